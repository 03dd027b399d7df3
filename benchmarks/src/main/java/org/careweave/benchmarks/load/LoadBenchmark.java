package org.careweave.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.careweave.benchmarks.common.ChildJvm;
import org.careweave.benchmarks.common.Machine;
import org.careweave.benchmarks.common.Options;
import org.careweave.benchmarks.common.PlatformProcess;
import org.careweave.benchmarks.common.ResultFiles;
import org.careweave.benchmarks.ingest.IngestSide;

/**
 * The load generator on its own: N concurrent MLLP connections (1, 16, 64, 256 by default) against careweave's
 * listener, started in a child JVM on the embedded platform (or against any listener with {@code --port}).
 *
 * <p>Options: {@code --connections 1,16,64,256 --seconds 5 --warmup 2 --max-messages 0 --rate 0
 * --population 100000 --seed 42 --jvm-warmup 8 [--host 127.0.0.1 --port P] --out benchmarks/results
 * --date yyyy-mm-dd}. {@code --seed} picks another sequence of people and message kinds, so that a second run
 * against the same instance does not resend what it has seen; {@code --jvm-warmup 0} skips the unbounded warm-up
 * run (for an instance already warm, or a rate-limited experiment).
 * Only loopback addresses are accepted.
 */
public final class LoadBenchmark {

    public record Report(String date, Machine machine, String target, Map<String, Object> settings,
                         List<LoadResult> results) {
    }

    private static final Duration JVM_WARMUP = Duration.ofSeconds(8);

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args, Set.of());
        List<Integer> connectionCounts = options.integers("connections", List.of(1, 16, 64, 256));
        Duration duration = options.seconds("seconds", 5);
        Duration warmup = options.seconds("warmup", 2);
        long maxMessages = options.number("max-messages", 0);
        double rate = Double.parseDouble(options.text("rate", "0"));
        int population = options.integer("population", 100_000);
        long seed = options.number("seed", 42);
        Duration jvmWarmup = options.seconds("jvm-warmup", JVM_WARMUP.toSeconds());
        String host = options.text("host", "127.0.0.1");
        if (!host.equals("localhost") && !host.startsWith("127.") && !host.equals("::1")) {
            throw new IllegalArgumentException("The load generator only sends to loopback addresses");
        }
        Machine machine = Machine.now();
        List<LoadResult> results = new ArrayList<>();
        String target;
        if (options.text("port", null) != null) {
            int port = options.integer("port", 0);
            target = "MLLP listener at " + host + ":" + port;
            runAll(results, host, port, connectionCounts, jvmWarmup, warmup, duration, maxMessages, rate, population,
                    seed);
        } else {
            target = "careweave's MLLP listener (child JVM " + String.join(" ", IngestSide.JVM_ARGS)
                    + ") on the embedded platform (child JVM)";
            Path logDir = Path.of("benchmarks/target/logs/load");
            Files.createDirectories(logDir);
            try (PlatformProcess platform = PlatformProcess.start(List.of(IngestSide.CAREWEAVE_PREFIX), 3, logDir);
                 ChildJvm careweave = IngestSide.CAREWEAVE.start(platform, logDir, List.of())) {
                runAll(results, host, IngestSide.CAREWEAVE.port(careweave), connectionCounts, jvmWarmup, warmup,
                        duration, maxMessages, rate, population, seed);
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("connections", connectionCounts);
        settings.put("secondsPerRun", duration.toMillis() / 1000.0);
        settings.put("warmupSeconds", warmup.toMillis() / 1000.0);
        settings.put("maxMessages", maxMessages);
        settings.put("ratePerSecond", rate);
        settings.put("population", population);
        settings.put("seed", seed);
        settings.put("jvmWarmupSeconds", jvmWarmup.toSeconds());
        Report report = new Report(options.date(), machine.finished(), target, settings, results);
        ResultFiles.write(options.out(), "load", options.date(), report, markdown(report));
    }

    private static void runAll(List<LoadResult> results, String host, int port, List<Integer> connectionCounts,
                               Duration jvmWarmup, Duration warmup, Duration duration, long maxMessages, double rate,
                               int population, long seed) {
        // A fresh listener JVM is slow until the JIT has compiled its hot paths: one unmeasured run first.
        if (!jvmWarmup.isZero()) {
            LoadGenerator.run(LoadSettings.of(port, 16, Duration.ZERO, jvmWarmup, "W" + System.currentTimeMillis()
                    % 100_000).withPopulation(population).withSeed(seed), AckListener.NONE);
        }
        for (int connections : connectionCounts) {
            LoadSettings settings = new LoadSettings(host, port, connections, maxMessages, warmup, duration,
                    Duration.ofSeconds(20), rate, "L" + connections + "t" + System.currentTimeMillis() % 100_000,
                    population, seed, 0);
            LoadResult r = LoadGenerator.run(settings, AckListener.NONE);
            results.add(r);
            System.err.printf(Locale.ROOT, "%4d connections: %,9.0f msg/s, ACK p50 %.2f p99 %.2f p99.9 %.2f ms%n",
                    connections, r.messagesPerSecond(), r.ack().p50Ms(), r.ack().p99Ms(), r.ack().p999Ms());
        }
    }

    private static String markdown(Report r) {
        StringBuilder s = new StringBuilder();
        s.append("# Load generator, ").append(r.date()).append("\n\n").append(r.machine().describe()).append("\n\n");
        s.append("Target: ").append(r.target()).append(". Each connection has one message in flight and waits for "
                + "its ACK. Mix: ADT^A08 47.6%, A31 30%, A04 17%, ORU^R01 4% (5-40 OBX), A01 1%, A28 0.3%, A40 0.1%; ")
                .append(r.settings().get("population")).append(" invented people. ")
                .append(r.settings().get("secondsPerRun")).append(" s measured after ")
                .append(r.settings().get("warmupSeconds")).append(" s warm-up per connection count, after ")
                .append(r.settings().get("jvmWarmupSeconds")).append(" s unmeasured at 16 connections to warm the listener's JVM.\n\n");
        s.append("| connections | messages | msg/s | ACK p50 ms | p99 ms | p99.9 ms | max ms | AA | AE | AR | timeouts "
                + "| conn. errors | KiB/msg | generator CPU s | generator share of machine |\n");
        s.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LoadResult x : r.results()) {
            s.append(String.format(Locale.ROOT, "| %d | %,d | %,.0f | %.2f | %.2f | %.2f | %.1f | %,d | %d | %d | %d | %d "
                            + "| %.2f | %.2f | %.0f%% |%n", x.connections(), x.messages(), x.messagesPerSecond(),
                    x.ack().p50Ms(), x.ack().p99Ms(), x.ack().p999Ms(), x.ack().maxMs(), x.aa(), x.ae(), x.ar(),
                    x.timeouts(), x.connectionErrors(),
                    x.messages() == 0 ? 0 : x.bytesSent() / 1024.0 / x.messages(), x.generatorCpuSeconds(),
                    x.generatorCpuShare() * 100));
        }
        return s.toString();
    }
}
