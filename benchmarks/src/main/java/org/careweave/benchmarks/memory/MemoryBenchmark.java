package org.careweave.benchmarks.memory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.careweave.benchmarks.common.CareweaveUp;
import org.careweave.benchmarks.common.Machine;
import org.careweave.benchmarks.common.Options;
import org.careweave.benchmarks.common.ResultFiles;
import org.careweave.benchmarks.load.AckListener;
import org.careweave.benchmarks.load.LoadGenerator;
import org.careweave.benchmarks.load.LoadResult;
import org.careweave.benchmarks.load.LoadSettings;

/**
 * Peak resident memory (VmHWM) of {@code java -jar deploy/app/target/careweave.jar up}, run as a user would (no JVM
 * options), and of its children (the registry JVM, PostgreSQL): once at rest after start-up, once after the
 * 64-connection load. Ports are free ones and the data dir is temporary, so it never collides with a careweave
 * already running.
 *
 * <p>Options: {@code --jar deploy/app/target/careweave.jar --rest-seconds 20 --load-seconds 30 --connections 64
 * --out DIR --date D}.
 */
public final class MemoryBenchmark {

    public record Snapshot(String when, List<ProcessMemory> processes, long careweavePeakMib, long treePeakMib,
                           long treeRssMib) {
    }

    public record Report(String date, Machine machine, String command, double startupSeconds, Snapshot atRest,
                         Snapshot underLoad, LoadResult load) {
    }

    private MemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, Set.of());
        Path jar = Path.of(options.text("jar", "deploy/app/target/careweave.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -pl deploy/app -am package "
                    + "-DskipTests");
        }
        Duration rest = options.seconds("rest-seconds", 20);
        Duration loadTime = options.seconds("load-seconds", 30);
        int connections = options.integer("connections", 64);
        Path log = Path.of("benchmarks/target/logs/memory/careweave-up.log");
        Machine machine = Machine.now();
        try (CareweaveUp up = CareweaveUp.start(jar, log, Duration.ofMinutes(4))) {
            Thread.sleep(rest.toMillis());
            ProcessHandle root = ProcessHandle.of(up.pid()).orElseThrow();
            Snapshot atRest = snapshot("at rest, " + rest.toSeconds() + " s after ready", root, up.dataDir());
            LoadResult load = LoadGenerator.run(LoadSettings.of(up.mllpPort(), connections, Duration.ofSeconds(3),
                    loadTime, "MEM"), AckListener.NONE);
            Snapshot underLoad = snapshot("after " + connections + " connections for " + loadTime.toSeconds() + " s",
                    root, up.dataDir());
            Report report = new Report(options.date(), machine.finished(), "java -jar " + jar + " up",
                    Math.round(up.startupSeconds() * 10) / 10.0, atRest, underLoad, load);
            ResultFiles.write(options.out(), "memory", options.date(), report, markdown(report));
        }
    }

    private static Snapshot snapshot(String when, ProcessHandle root, Path dataDir) {
        List<ProcessMemory> tree = ProcessMemory.tree(root, dataDir.toString());
        return new Snapshot(when, tree, tree.get(0).peakRssMib(),
                tree.stream().mapToLong(ProcessMemory::peakRssMib).sum(),
                tree.stream().mapToLong(ProcessMemory::rssMib).sum());
    }

    /** Reads careweave's output (to the log) until it says it is ready. */
    private static String markdown(Report r) {
        StringBuilder s = new StringBuilder();
        s.append("# Memory of careweave up, ").append(r.date()).append("\n\n").append(r.machine().describe())
                .append("\n\n");
        s.append(String.format(Locale.ROOT, "`%s` with default JVM settings (no -Xmx: the JVM may take up to a "
                + "quarter of the machine's memory for heap), ready in %.1f s. Peak RSS is VmHWM from "
                + "/proc/<pid>/status; the tree total double-counts PostgreSQL's shared memory.%n%n", r.command(),
                r.startupSeconds()));
        s.append("| process | peak RSS at rest MiB | peak RSS after load MiB | RSS after load MiB |\n"
                + "|---|---:|---:|---:|\n");
        for (ProcessMemory after : r.underLoad().processes()) {
            ProcessMemory before = r.atRest().processes().stream().filter(p -> p.pid() == after.pid()).findFirst()
                    .orElse(null);
            s.append(String.format(Locale.ROOT, "| %s (pid %d) | %s | %,d | %,d |%n", after.command(), after.pid(),
                    before == null ? "-" : String.format(Locale.ROOT, "%,d", before.peakRssMib()),
                    after.peakRssMib(), after.rssMib()));
        }
        s.append(String.format(Locale.ROOT, "| **all** | %,d | %,d | %,d |%n%n", r.atRest().treePeakMib(),
                r.underLoad().treePeakMib(), r.underLoad().treeRssMib()));
        s.append(String.format(Locale.ROOT, "Load: %d connections for %.0f s: %,.0f msg/s, ACK p99 %.1f ms, %,d AA, "
                        + "%d AE, %d AR, %d timeouts.%n", r.load().connections(), r.load().seconds(),
                r.load().messagesPerSecond(), r.load().ack().p99Ms(), r.load().aa(), r.load().ae(), r.load().ar(),
                r.load().timeouts()));
        return s.toString();
    }
}
