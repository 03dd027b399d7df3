package org.careweave.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.careweave.ingest.intake.WriteGate;
import org.careweave.platform.PlatformConfig;
import org.careweave.store.health.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The free space of `careweave up`'s data dir, looked at every 2 s. Below {@code embedded.min.free.megabytes} ingest
 * stops writing (AE: the senders keep their messages and resend) and {@code /health} says so. Why: the embedded
 * broker shuts down when it cannot append (Kafka's behaviour when its log dirs fail), and the whole of careweave with
 * it; stopping ingest first leaves room for what is already under way, and careweave answering.
 */
final class DiskSpace implements WriteGate, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DiskSpace.class);
    private static final long MIB = 1024L * 1024L;

    private final FileStore disk;
    private final Path dir;
    private final long minFreeBytes;
    private final ScheduledExecutorService checker;
    private volatile long freeBytes;
    private volatile boolean low;

    private DiskSpace(FileStore disk, Path dir, long minFreeBytes) {
        this.disk = disk;
        this.dir = dir;
        this.minFreeBytes = minFreeBytes;
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "careweave-disk-space");
            t.setDaemon(true);
            return t;
        });
    }

    static DiskSpace watch(Path dataDir, long minFreeBytes, MeterRegistry metrics) {
        try {
            DiskSpace space = new DiskSpace(Files.getFileStore(dataDir), dataDir, minFreeBytes);
            space.check();
            space.checker.scheduleWithFixedDelay(space::check, 2, 2, TimeUnit.SECONDS);
            Gauge.builder("careweave.platform.disk.free.bytes", space, s -> s.freeBytes)
                    .description("Free space on the data dir's disk (embedded); ingest stops writing below"
                            + " embedded.min.free.megabytes")
                    .register(metrics);
            return space;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the free space of " + dataDir, e);
        }
    }

    void check() {
        try {
            freeBytes = disk.getUsableSpace();
        } catch (IOException e) {
            log.warn("Cannot read the free space of {}: {}", dir, e.getClass().getSimpleName());
            return;
        }
        boolean nowLow = freeBytes < minFreeBytes;
        if (nowLow != low) {
            if (nowLow) {
                log.warn("The data dir's disk has {} MiB free, less than {} ({} MiB): ingest answers AE until there"
                        + " is room", freeBytes / MIB, PlatformConfig.MIN_FREE_MEGABYTES.key(), minFreeBytes / MIB);
            } else {
                log.info("The data dir's disk has {} MiB free again: ingest accepts messages", freeBytes / MIB);
            }
            low = nowLow;
        }
    }

    @Override
    public Optional<String> closedBecause() {
        return low ? Optional.of("careweave's disk is nearly full (" + freeBytes / MIB + " MiB free, less than "
                + minFreeBytes / MIB + " MiB)") : Optional.empty();
    }

    HealthCheck healthCheck() {
        return HealthCheck.of("disk", () -> low
                ? HealthCheck.Status.down(freeBytes / MIB + " MiB free, ingest refusing (AE) below "
                        + minFreeBytes / MIB + " MiB")
                : HealthCheck.Status.up(freeBytes / MIB + " MiB free"));
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
