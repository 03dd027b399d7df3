package org.careweave.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.careweave.platform.EmbeddedPlatform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.PlatformStartupException;
import org.careweave.platform.config.SettingsSource;
import org.careweave.schemas.topics.TopicProvisioner;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code careweave up}: everything embedded, on loopback, under one data dir, until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the embedded platform (Kafka, schema registry, PostgreSQL) and careweave on it.")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Where all data is kept (default: ./careweave-data, "
            + "or CAREWEAVE_DATA_DIR).")
    Path dataDir;

    private final PrintStream out = System.out;
    private volatile EmbeddedPlatform platform;
    private volatile Pipeline running;
    private volatile boolean stopping;
    /** Counted down once starting has finished, failed, or given up because a stop was asked for. */
    private final CountDownLatch settled = new CountDownLatch(1);

    @Override
    public Integer call() {
        Map<String, String> explicit = new HashMap<>();
        explicit.put(PlatformConfig.KIND.key(), "embedded");
        if (dataDir != null) {
            explicit.put(PlatformConfig.DATA_DIR.key(), dataDir.toString());
        }
        SettingsSource settings = SettingsSource.fromProcess(explicit);
        PlatformConfig config = PlatformConfig.from(settings);
        out.println("careweave: starting under " + config.dataDir());
        HeapAdvice.forProcessors(Runtime.getRuntime().maxMemory()).ifPresent(w -> out.println("careweave: " + w));
        long t0 = System.nanoTime();
        CountDownLatch stopped = new CountDownLatch(1);
        // Registered before anything starts: a Ctrl-C during startup stops what has started (before, it found no
        // hook, and left the platform to the 20 s fallback of its components' own exit hooks).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            out.println("careweave: stopping");
            awaitSettled();
            if (running != null) {
                running.close();
            }
            if (platform != null) {
                platform.close();
            }
            out.println("careweave: stopped");
            stopped.countDown();
        }, "careweave-shutdown"));
        Pipeline pipeline;
        try {
            platform = EmbeddedPlatform.start(config, line -> out.println("  " + line));
            if (stopping) {
                return 0;
            }
            List<String> created = TopicProvisioner.ensureTopics(platform.kafka().clientConfig(),
                    config.topicPrefix(), config.topicPartitions(), config.topicReplicationFactor());
            out.printf("  %-16s %d created, prefix %s%n", "topics", created.size(), config.topicPrefix());
            pipeline = Pipeline.start(settings, platform, config, config.dataDir(), out);
            running = pipeline;
        } catch (RuntimeException e) {
            if (stopping) {
                out.println("careweave: start abandoned for the stop (" + e.getClass().getSimpleName() + ")");
                return 0;
            }
            System.err.println("careweave: could not start: " + e.getMessage());
            return 2;
        } finally {
            settled.countDown();
        }
        EmbeddedPlatform platform = this.platform;
        out.printf("careweave: ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        out.println("  MLLP              " + pipeline.mllpAddress());
        out.println("  HTTP API          " + pipeline.apiAddress() + " (admin token in " + pipeline.adminToken() + ")");
        out.println("  Kafka bootstrap   " + platform.bootstrapServers());
        out.println("  Schema registry   " + platform.schemaRegistryUrl());
        out.println("  PostgreSQL        " + platform.jdbcUrl() + " (user " + platform.jdbcUser() + ")");
        out.println("Press Ctrl-C to stop.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** A start cannot be stopped halfway: let it finish (or fail), then close what it started. */
    private void awaitSettled() {
        try {
            if (!settled.await(2, TimeUnit.MINUTES)) {
                out.println("careweave: still starting after 2 minutes; stopping what has started");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
