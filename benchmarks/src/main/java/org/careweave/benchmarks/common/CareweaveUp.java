package org.careweave.benchmarks.common;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.careweave.platform.Directories;

/**
 * {@code java -jar careweave.jar up} as a child process, as a user runs it (no JVM options), on free loopback ports
 * and a temporary data dir, so that it never collides with a careweave already running. Its output goes to a log;
 * the endpoints are read from what it prints once ready ("MLLP", "HTTP API ... (admin token in FILE)", "Kafka
 * bootstrap", "Schema registry").
 *
 * <p>{@link #close()} stops it with SIGTERM (its shutdown hook stops Kafka, the registry and PostgreSQL cleanly),
 * then by force, and then ends any process left working on its data dir (PostgreSQL runs as a daemon, started by
 * pg_ctl, so it is not a descendant). A JVM shutdown hook does the same if this JVM is stopped first.
 */
public final class CareweaveUp implements AutoCloseable {

    private final Process process;
    private final Path dataDir;
    private final Path jarCopy;
    private final Path log;
    private final Map<String, String> printed;
    private final double startupSeconds;
    private final Thread hook;
    private volatile boolean closed;

    private CareweaveUp(Process process, Path dataDir, Path jarCopy, Path log, Map<String, String> printed,
                        double startupSeconds) {
        this.process = process;
        this.dataDir = dataDir;
        this.jarCopy = jarCopy;
        this.log = log;
        this.printed = printed;
        this.startupSeconds = startupSeconds;
        this.hook = new Thread(this::stop, "careweave-up-stop");
    }

    /**
     * @param jar the careweave jar; it is copied first, as other builds on this machine may replace it under
     *            deploy/app/target while this runs
     */
    public static CareweaveUp start(Path jar, Path log, Duration startTimeout) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -o -pl deploy/app -am package "
                    + "-DskipTests");
        }
        Path dataDir = null;
        Path jarCopy = null;
        Process process = null;
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Files.deleteIfExists(log);
            dataDir = Files.createTempDirectory("careweave-up-bench-");
            jarCopy = Files.createTempFile("careweave-up-bench-", ".jar");
            Files.copy(jar, jarCopy, StandardCopyOption.REPLACE_EXISTING);
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jarCopy.toString(), "up", "--data-dir", dataDir.toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.put("CAREWEAVE_KAFKA_PORT", Integer.toString(FreePorts.next()));
            env.put("CAREWEAVE_KAFKA_CONTROLLER_PORT", Integer.toString(FreePorts.next()));
            env.put("CAREWEAVE_REGISTRY_PORT", Integer.toString(FreePorts.next()));
            env.put("CAREWEAVE_POSTGRES_PORT", Integer.toString(FreePorts.next()));
            env.put("CAREWEAVE_API_PORT", Integer.toString(FreePorts.next()));
            env.put("CAREWEAVE_MLLP_PORT", Integer.toString(FreePorts.next()));
            long t0 = System.nanoTime();
            process = builder.start();
            Map<String, String> printed = new ConcurrentHashMap<>();
            CompletableFuture<Void> ready = follow(process, log, printed);
            CareweaveUp up;
            try {
                ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
                up = new CareweaveUp(process, dataDir, jarCopy, log, printed, (System.nanoTime() - t0) / 1e9);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                new CareweaveUp(process, dataDir, jarCopy, log, printed, 0).stop();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("careweave up did not become ready within " + startTimeout
                        + "; see " + log, e);
            }
            Runtime.getRuntime().addShutdownHook(up.hook);
            return up;
        } catch (IOException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            Directories.deleteQuietly(dataDir);
            Directories.deleteQuietly(jarCopy);
            throw new UncheckedIOException("Cannot start careweave up", e);
        }
    }

    /** Copies careweave's output to the log; completes once it has printed its endpoints. */
    private static CompletableFuture<Void> follow(Process process, Path log, Map<String, String> printed) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    append(log, line);
                    String s = line.strip();
                    if (s.startsWith("careweave: ready")) {
                        printed.put("ready", s);
                    } else if (printed.containsKey("ready")) {
                        for (String name : List.of("MLLP", "HTTP API", "Kafka bootstrap", "Schema registry")) {
                            if (s.startsWith(name + " ")) {
                                printed.putIfAbsent(name, s.substring(name.length()).strip());
                            }
                        }
                        if (s.startsWith("Press Ctrl-C")) {
                            ready.complete(null);
                        }
                    }
                }
                ready.completeExceptionally(new IllegalStateException("careweave up exited; see " + log));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, "careweave-up-output");
        reader.setDaemon(true);
        reader.start();
        return ready;
    }

    private static synchronized void append(Path log, String line) {
        try {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // A log line lost is not worth failing a benchmark for.
        }
    }

    public double startupSeconds() {
        return startupSeconds;
    }

    public long pid() {
        return process.pid();
    }

    /** The instance's data dir (PostgreSQL's server processes are found by it). */
    public Path dataDir() {
        return dataDir;
    }

    public Path log() {
        return log;
    }

    /** "127.0.0.1:2575" as printed. */
    public int mllpPort() {
        String mllp = required("MLLP");
        return Integer.parseInt(mllp.substring(mllp.lastIndexOf(':') + 1).strip());
    }

    /** "http://127.0.0.1:8080", without a trailing slash. */
    public String apiUrl() {
        String api = required("HTTP API");
        int space = api.indexOf(' ');
        String url = space < 0 ? api : api.substring(0, space);
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The file named in "(admin token in FILE)", or {@code <data dir>/admin.token}. */
    public Path adminTokenFile() {
        String api = required("HTTP API");
        String marker = "(admin token in ";
        int at = api.indexOf(marker);
        if (at >= 0 && api.endsWith(")")) {
            return Path.of(api.substring(at + marker.length(), api.length() - 1));
        }
        return dataDir.resolve("admin.token");
    }

    /** The admin token (never printed or logged by the benchmarks). */
    public String adminToken() {
        try {
            return Files.readString(adminTokenFile()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the admin token file", e);
        }
    }

    public String bootstrapServers() {
        return required("Kafka bootstrap");
    }

    public String schemaRegistryUrl() {
        return required("Schema registry");
    }

    /** careweave up's default topic prefix (this class sets no other). */
    public String topicPrefix() {
        return "careweave.";
    }

    /**
     * CPU time of careweave (its JVM: broker, ingest, mapping, processors, sink, API), its descendants (the registry
     * JVM) and the PostgreSQL server on its data dir with its workers. Processes that have ended are not counted.
     */
    public long treeCpuNanos() {
        long total = 0;
        for (ProcessHandle p : tree()) {
            total += ProcessCpu.nanos(p.pid());
        }
        return total;
    }

    /** CPU time of the careweave JVM alone. */
    public long careweaveCpuNanos() {
        return ProcessCpu.nanos(process.pid());
    }

    private List<ProcessHandle> tree() {
        List<ProcessHandle> out = new ArrayList<>();
        out.add(process.toHandle());
        process.descendants().forEach(out::add);
        out.addAll(onDataDir());
        return out;
    }

    /** Processes (and their descendants) whose command line names our data dir, which is unique to this run. */
    private List<ProcessHandle> onDataDir() {
        String dir = dataDir.toString();
        List<ProcessHandle> out = new ArrayList<>();
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != process.pid())
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dir)).orElse(false))
                .forEach(p -> {
                    out.add(p);
                    p.descendants().forEach(out::add);
                });
        return out;
    }

    private String required(String name) {
        String value = printed.get(name);
        if (value == null) {
            throw new IllegalStateException("careweave up did not print its " + name + " line; see " + log);
        }
        return value;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down already.
        }
    }

    /** SIGTERM, then force; then whatever still works on the data dir; then the temporary files. */
    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        try {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            children.addAll(onDataDir());
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroy();
                }
            }
            for (ProcessHandle child : children) {
                child.onExit().get(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        Directories.deleteQuietly(dataDir);
        Directories.deleteQuietly(jarCopy);
    }
}
