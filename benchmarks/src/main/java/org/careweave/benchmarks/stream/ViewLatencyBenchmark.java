package org.careweave.benchmarks.stream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.HdrHistogram.Histogram;
import org.careweave.benchmarks.common.Latency;
import org.careweave.benchmarks.common.Machine;
import org.careweave.benchmarks.common.Options;
import org.careweave.benchmarks.common.PlatformProcess;
import org.careweave.benchmarks.common.ResultFiles;
import org.careweave.benchmarks.common.Stats;
import org.careweave.benchmarks.load.AckListener;
import org.careweave.benchmarks.load.LoadGenerator;
import org.careweave.benchmarks.load.LoadResult;
import org.careweave.benchmarks.load.LoadSettings;
import org.careweave.events.PersonView;
import org.careweave.schemas.topics.Topics;

/**
 * End-to-end latency at a steady rate: messages are sent over MLLP at a fixed rate (1,000/s by default) to
 * careweave's whole pipeline (ingest, mapping, identity, results, views in one child JVM), and for each message the
 * time from its AA to the first person.views record that shows it is measured, by a read_committed consumer. Each
 * message carries a marker in the patient's phone number (PID-13), which the golden record and so the view carry.
 * The HTTP API (sink-store) would add the sink's own delay on top.
 *
 * <p>Options: {@code --rates 1000,200 --connections 16 --seconds 30 --warmup 10 --population 100000 --out DIR
 * --date D}: one fresh pipeline per rate, on one platform.
 */
public final class ViewLatencyBenchmark {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    /** One steady rate. */
    public record RateResult(double targetRate, int connections, LoadResult load, long markedAa, long seenInViews,
                             long notSeen, Latency aaToView, double pipelineCpuSeconds,
                             double pipelineCpuMicrosPerMessage, long viewRecords) {
    }

    public record Report(String date, Machine machine, List<RateResult> rates) {
    }

    private ViewLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, Set.of());
        List<Integer> rates = options.integers("rates", List.of(1000));
        int connections = options.integer("connections", 16);
        Duration duration = options.seconds("seconds", 30);
        Duration warmup = options.seconds("warmup", 10);
        int population = options.integer("population", 100_000);
        Path logDir = Path.of("benchmarks/target/logs/latency");
        Files.createDirectories(logDir);
        Machine machine = Machine.now();
        List<RateResult> results = new ArrayList<>();
        List<String> prefixes = rates.stream().map(r -> "latency" + r + ".").toList();
        try (PlatformProcess platform = PlatformProcess.start(prefixes, 3, logDir)) {
            for (int i = 0; i < rates.size(); i++) {
                results.add(run(platform, prefixes.get(i), rates.get(i), connections, warmup, duration, population,
                        logDir));
            }
        }
        Report report = new Report(options.date(), machine.finished(), results);
        ResultFiles.write(options.out(), "view-latency", options.date(), report, markdown(report));
    }

    /** A fresh pipeline (its own topics) at one steady rate. */
    private static RateResult run(PlatformProcess platform, String prefix, double rate, int connections,
                                  Duration warmup, Duration duration, int population, Path logDir) throws Exception {
        Map<Long, Long> ackedAt = new ConcurrentHashMap<>();
        Histogram latencies = Latency.newHistogram();
        long[] seen = new long[1];
        try (PipelineProcess pipeline = PipelineProcess.start(platform, prefix, "ingest,mapping,processors", null,
                     logDir.resolve(prefix + "pipeline.log"), List.of());
             TopicTail<PersonView> views = TopicTail.avro(platform.bootstrapServers(), platform.schemaRegistryUrl(),
                     Topics.PERSON_VIEWS.name(prefix), PersonView.class, (record, arrivedAt) -> {
                         long marker = marker(record.value());
                         Long acked = marker < 0 ? null : ackedAt.remove(marker);
                         if (acked != null) {
                             synchronized (latencies) {
                                 latencies.recordValue(Math.max(1, (arrivedAt - acked) / 1000));
                                 seen[0]++;
                             }
                         }
                     })) {
            AckListener listener = (message, code, at) -> {
                if ("AA".equals(code)) {
                    ackedAt.put(message.marker(), at);
                }
            };
            long cpu0 = pipeline.cpuNanos();
            LoadSettings settings = LoadSettings.of(pipeline.mllpPort(), connections, warmup, duration,
                    "LAT" + (int) rate).withRate(rate).withMarkedPhones().withPopulation(population);
            LoadResult load = LoadGenerator.run(settings, listener);
            long deadline = System.nanoTime() + SETTLE.toNanos();
            while (!ackedAt.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            double cpu = (pipeline.cpuNanos() - cpu0) / 1e9;
            synchronized (latencies) {
                RateResult result = new RateResult(rate, connections, load, load.aa(), seen[0], ackedAt.size(),
                        Latency.of(latencies), Stats.round(cpu, 1),
                        Stats.round(cpu * 1e6 / Math.max(1, load.messagesIncludingWarmup()), 0), views.records());
                System.err.printf(Locale.ROOT, "%,.0f msg/s target: sent %,.0f msg/s, AA->view p50 %.0f ms, p99 %.0f ms, "
                                + "%d not seen%n", rate, load.messagesPerSecond(), result.aaToView().p50Ms(),
                        result.aaToView().p99Ms(), result.notSeen());
                return result;
            }
        }
    }

    /** The number after '#' in the view's phone (PID-13 of the latest message about the person), or -1. */
    static long marker(PersonView view) {
        if (view == null || view.getPhone() == null) {
            return -1;
        }
        String phone = view.getPhone();
        int hash = phone.lastIndexOf('#');
        if (hash < 0) {
            return -1;
        }
        try {
            return Long.parseLong(phone.substring(hash + 1).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String markdown(Report r) {
        StringBuilder s = new StringBuilder();
        s.append("# End-to-end latency: AA to person.views, ").append(r.date()).append("\n\n")
                .append(r.machine().describe()).append("\n\n");
        s.append(String.format(Locale.ROOT, "Messages of the load mix at a steady rate over %d MLLP connections "
                        + "(one in flight each) to careweave's whole pipeline in one JVM (%s: ingest, mapping, identity, "
                        + "results, views; exactly-once, commit interval 100 ms), a fresh pipeline per rate. Latency: "
                        + "from the AA to the first person.views record showing the message (a marker in PID-13, "
                        + "carried by the golden record into the view), as a read_committed consumer sees it. Not "
                        + "through the HTTP API: the sink (PostgreSQL) and the API would add their own delay. "
                        + "\"not seen\": AA'd messages whose view had not appeared %d s after sending stopped.%n%n",
                r.rates().isEmpty() ? 0 : r.rates().get(0).connections(), String.join(" ", PipelineProcess.JVM_ARGS),
                SETTLE.toSeconds()));
        s.append("| target msg/s | sent msg/s | ACK p50 ms | ACK p99 ms | AA | seen in a view | not seen "
                + "| AA→view p50 ms | p99 ms | p99.9 ms | max ms | pipeline CPU µs/msg |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RateResult x : r.rates()) {
            boolean none = x.seenInViews() == 0;
            s.append(String.format(Locale.ROOT, "| %,.0f | %,.0f | %.2f | %.2f | %,d | %,d | %,d | %s | %s | %s | %s "
                            + "| %,.0f |%n", x.targetRate(), x.load().messagesPerSecond(), x.load().ack().p50Ms(),
                    x.load().ack().p99Ms(), x.markedAa(), x.seenInViews(), x.notSeen(),
                    none ? "-" : String.format(Locale.ROOT, "%,.0f", x.aaToView().p50Ms()),
                    none ? "-" : String.format(Locale.ROOT, "%,.0f", x.aaToView().p99Ms()),
                    none ? "-" : String.format(Locale.ROOT, "%,.0f", x.aaToView().p999Ms()),
                    none ? "-" : String.format(Locale.ROOT, "%,.0f", x.aaToView().maxMs()),
                    x.pipelineCpuMicrosPerMessage()));
        }
        r.rates().stream().filter(x -> x.targetRate() == 1000).findFirst().ifPresent(x -> s.append(String.format(
                Locale.ROOT, "%nGoal: p99 <= 1 s at a steady 1,000 messages/s: %s (p99 %s, %,.0f msg/s sent, "
                        + "%,d of %,d not seen).%n", x.aaToView().p99Ms() <= 1000 && x.load().messagesPerSecond() >= 950
                        && x.notSeen() == 0 ? "MET" : "NOT MET", x.seenInViews() == 0 ? "not measurable: no view "
                        + "showed a measured message in time" : String.format(Locale.ROOT, "%,.0f ms",
                        x.aaToView().p99Ms()), x.load().messagesPerSecond(), x.notSeen(), x.markedAa())));
        return s.toString();
    }
}
