package org.careweave.platform.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.careweave.platform.ChildSupervisor;
import org.careweave.platform.PlatformStartupException;
import org.careweave.platform.StopOnExit;

/**
 * Apicurio Registry as a child process, serving the Confluent-compatible API on 127.0.0.1.
 *
 * <p>Apicurio 2.6 keeps its state in H2; pointing H2 at a file under the data dir (instead of its in-memory
 * default) keeps schema ids across restarts, so records written before a restart still decode after it.
 */
public final class EmbeddedRegistry implements AutoCloseable {

    public static final String CONFLUENT_API_PATH = "/apis/ccompat/v7";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final ProcessBuilder builder;
    private final String url;
    private final Path pidFile;
    private final Path logFile;
    private final String compatibility;
    private final StopOnExit stopOnExit;
    private final ChildSupervisor supervisor;
    /** The running registry; replaced when the supervisor starts it again. */
    private volatile Process process;

    private EmbeddedRegistry(ProcessBuilder builder, String url, Path pidFile, Path logFile, String compatibility) {
        this.builder = builder;
        this.url = url;
        this.pidFile = pidFile;
        this.logFile = logFile;
        this.compatibility = compatibility;
        // A registry left behind would hold the port and the H2 file lock; never outlive the parent JVM.
        this.stopOnExit = new StopOnExit("careweave-registry-reaper", this::stopProcess);
        this.supervisor = new ChildSupervisor("schema registry", this::startAgain);
    }

    public static EmbeddedRegistry start(Path stateDir, Path logFile, String host, int port,
                                         Optional<Path> distribution, String compatibility) {
        try {
            Files.createDirectories(stateDir);
            Files.createDirectories(logFile.getParent());
            Path pidFile = stateDir.resolve("registry.pid");
            Path runner = RegistryDistribution.runnerJar(distribution);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx384m");
            command.add("-XX:+UseSerialGC");
            command.add("-Dquarkus.http.host=" + host);
            command.add("-Dquarkus.http.port=" + port);
            command.add("-Dquarkus.log.level=WARN");
            command.add("-Dquarkus.log.category.\"io.apicurio\".level=WARN");
            command.add("-jar");
            command.add(runner.toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(stateDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            // WRITE_DELAY=0: H2 otherwise writes a commit to its file up to half a second later, and a registry
            // killed in that time came back without schemas whose ids records in Kafka already carried.
            builder.environment().put("REGISTRY_DATASOURCE_URL", "jdbc:h2:file:"
                    + stateDir.resolve("registry").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
            String base = "http://" + host + ":" + port;
            EmbeddedRegistry registry = new EmbeddedRegistry(builder, base + CONFLUENT_API_PATH, pidFile, logFile,
                    compatibility);
            try {
                registry.launchAndAwaitReady();
            } catch (RuntimeException e) {
                registry.close();
                throw e;
            }
            registry.supervisor.watch(registry.process.toHandle());
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the schema registry", e);
        }
    }

    private void launchAndAwaitReady() {
        try {
            process = builder.start();
            Files.writeString(pidFile, Long.toString(process.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the schema registry", e);
        }
        awaitReady(logFile);
        // Idempotent; a registry that lost its H2 file would otherwise come back with its own default.
        setGlobalCompatibility(compatibility);
    }

    /**
     * The supervisor's restart: the same command, port and H2 file, so the schema ids written into records before
     * are the same after.
     */
    private ProcessHandle startAgain() {
        try {
            launchAndAwaitReady();
        } catch (RuntimeException e) {
            stopProcess();
            throw e;
        }
        Process started = process;
        if (supervisor.closing()) {
            stopProcess(); // closed while it was starting: the owner's stop has already run
            throw new PlatformStartupException("the schema registry was closed while it started again");
        }
        return started.toHandle();
    }

    /** How many times the registry was started again after exiting on its own. */
    public long restarts() {
        return supervisor.restarts();
    }

    /** The running registry's process id (for tests that take it away). */
    public long pid() {
        return process.pid();
    }

    /** The Confluent-compatible API base URL. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        supervisor.close();
        stopProcess();
        stopOnExit.close();
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // The file is gone already: nothing left to clean.
        }
    }

    private void stopProcess() {
        Process process = this.process;
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Path logFile) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new PlatformStartupException("The schema registry exited with code " + process.exitValue()
                        + " before it was ready; last lines of " + logFile + ":\n" + tail(logFile));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformStartupException("Interrupted while waiting for the schema registry");
            }
            sleep(250);
        }
        throw new PlatformStartupException("The schema registry did not answer at " + url + " within "
                + READY_TIMEOUT.toSeconds() + " s; see " + logFile);
    }

    private void setGlobalCompatibility(String compatibility) {
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/config"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + compatibility + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new PlatformStartupException("The schema registry refused compatibility " + compatibility
                        + ": HTTP " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new PlatformStartupException("Cannot configure the schema registry at " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformStartupException("Interrupted while configuring the schema registry");
        }
    }

    /**
     * A registry from a run that was killed (so its reaper never ran) still holds the port and the H2 lock. Call only
     * while holding the data dir's lock, so that the registry it names is nobody's.
     */
    public static void stopOrphan(Path stateDir) {
        Path pidFile = stateDir.resolve("registry.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid)
                    .filter(h -> h.info().commandLine().map(c -> c.contains("apicurio-registry")).orElse(false))
                    .ifPresent(h -> {
                        h.destroyForcibly();
                        h.onExit().join();
                    });
        } catch (NumberFormatException e) {
            // A damaged pid file names no process.
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + pidFile, e);
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + pidFile, e);
        }
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
