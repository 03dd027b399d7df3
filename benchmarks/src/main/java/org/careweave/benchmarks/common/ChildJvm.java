package org.careweave.benchmarks.common;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child JVM on this JVM's class path, so that a component's CPU time and memory can be measured on their own.
 * The child prints one line {@code READY <values...>} on stdout when it is up, and stops when its stdin closes
 * (see {@link #awaitParentExit()}); its output goes to a log file.
 */
public final class ChildJvm implements AutoCloseable {

    private static final String READY = "READY";

    private final Process process;
    private final List<String> readyValues;
    private final Path log;

    private ChildJvm(Process process, List<String> readyValues, Path log) {
        this.process = process;
        this.readyValues = readyValues;
        this.log = log;
    }

    public static ChildJvm start(String mainClass, List<String> jvmArgs, List<String> args, Path log,
                                 Duration startTimeout) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            CompletableFuture<List<String>> ready = CompletableFuture.supplyAsync(() -> awaitReady(out, log));
            try {
                List<String> values = ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
                Thread drain = new Thread(() -> drain(out, log), "child-stdout-" + process.pid());
                drain.setDaemon(true);
                drain.start();
                return new ChildJvm(process, values, log);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                process.destroyForcibly();
                throw new IllegalStateException(mainClass + " did not become ready within " + startTimeout
                        + "; see " + log, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + mainClass, e);
        }
    }

    /** In the child: blocks until the parent closes our stdin (or dies). */
    public static void awaitParentExit() {
        try {
            while (System.in.read() >= 0) {
                // Nothing is sent; only the end matters.
            }
        } catch (IOException e) {
            // The parent is gone.
        }
    }

    /** In the child: tells the parent it is up. */
    public static void announceReady(Object... values) {
        StringBuilder line = new StringBuilder(READY);
        for (Object v : values) {
            line.append(' ').append(v);
        }
        System.out.println(line);
        System.out.flush();
    }

    public List<String> readyValues() {
        return readyValues;
    }

    public long pid() {
        return process.pid();
    }

    public long cpuNanos() {
        return ProcessCpu.nanos(process.pid());
    }

    public Path log() {
        return log;
    }

    /** Closes stdin, waits for the child to stop by itself, then ends it. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already closed.
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static List<String> awaitReady(BufferedReader out, Path log) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                append(log, line);
                if (line.startsWith(READY)) {
                    String rest = line.substring(READY.length()).strip();
                    return rest.isEmpty() ? List.of() : List.of(rest.split(" "));
                }
            }
            throw new IllegalStateException("child exited before it was ready");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drain(BufferedReader out, Path log) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                append(log, line);
            }
        } catch (IOException e) {
            // The child has gone.
        }
    }

    private static synchronized void append(Path log, String line) {
        try {
            Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // A log line lost is not worth failing a benchmark for.
        }
    }
}
