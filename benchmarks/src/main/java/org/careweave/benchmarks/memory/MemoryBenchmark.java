package org.careweave.benchmarks.memory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.careweave.benchmarks.common.FreePorts;
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
        Path dataDir = Files.createTempDirectory("careweave-memory-");
        Path log = Path.of("benchmarks/target/logs/memory/careweave-up.log");
        Files.createDirectories(log.getParent());
        Machine machine = Machine.now();

        // Run a copy: other builds on this machine may replace the jar under deploy/app/target while this runs.
        Path jarCopy = Files.createTempFile("careweave-memory-", ".jar");
        Files.copy(jar, jarCopy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        int mllpPort = FreePorts.next();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jarCopy.toString(), "up", "--data-dir", dataDir.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("CAREWEAVE_KAFKA_PORT", Integer.toString(FreePorts.next()));
        env.put("CAREWEAVE_KAFKA_CONTROLLER_PORT", Integer.toString(FreePorts.next()));
        env.put("CAREWEAVE_REGISTRY_PORT", Integer.toString(FreePorts.next()));
        env.put("CAREWEAVE_POSTGRES_PORT", Integer.toString(FreePorts.next()));
        env.put("CAREWEAVE_API_PORT", Integer.toString(FreePorts.next()));
        env.put("CAREWEAVE_MLLP_PORT", Integer.toString(mllpPort));
        long t0 = System.nanoTime();
        Process up = builder.start();
        try {
            awaitReady(up, log, Duration.ofMinutes(4));
            double startup = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(rest.toMillis());
            Snapshot atRest = snapshot("at rest, " + rest.toSeconds() + " s after ready", up.toHandle(), dataDir);
            LoadResult load = LoadGenerator.run(LoadSettings.of(mllpPort, connections, Duration.ofSeconds(3),
                    loadTime, "MEM"), AckListener.NONE);
            Snapshot underLoad = snapshot("after " + connections + " connections for " + loadTime.toSeconds() + " s",
                    up.toHandle(), dataDir);
            Report report = new Report(options.date(), machine.finished(), "java -jar " + jar + " up",
                    Math.round(startup * 10) / 10.0, atRest, underLoad, load);
            ResultFiles.write(options.out(), "memory", options.date(), report, markdown(report));
        } finally {
            stop(up);
            deleteTree(dataDir);
            Files.deleteIfExists(jarCopy);
        }
    }

    private static Snapshot snapshot(String when, ProcessHandle root, Path dataDir) {
        List<ProcessMemory> tree = ProcessMemory.tree(root, dataDir.toString());
        return new Snapshot(when, tree, tree.get(0).peakRssMib(),
                tree.stream().mapToLong(ProcessMemory::peakRssMib).sum(),
                tree.stream().mapToLong(ProcessMemory::rssMib).sum());
    }

    /** Reads careweave's output (to the log) until it says it is ready. */
    private static void awaitReady(Process up, Path log, Duration timeout) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    if (line.startsWith("careweave: ready")) {
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new IllegalStateException("careweave up exited; see " + log));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, "careweave-up-output");
        reader.setDaemon(true);
        reader.start();
        ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGTERM (careweave's shutdown hook stops it cleanly), then force, children included. */
    private static void stop(Process up) throws InterruptedException {
        List<ProcessHandle> children = new ArrayList<>(up.descendants().toList());
        up.destroy();
        if (!up.waitFor(90, TimeUnit.SECONDS)) {
            up.destroyForcibly();
            up.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroy();
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

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
