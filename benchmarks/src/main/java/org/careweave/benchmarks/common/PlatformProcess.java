package org.careweave.benchmarks.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.careweave.platform.Directories;

/**
 * The embedded platform in a child JVM of its own, so that the broker's CPU and pauses are not charged to the load
 * generator or to either side of a comparison. Its data dir is temporary and removed on close.
 */
public final class PlatformProcess implements AutoCloseable {

    private final ChildJvm child;
    private final Path dataDir;

    private PlatformProcess(ChildJvm child, Path dataDir) {
        this.child = child;
        this.dataDir = dataDir;
    }

    /** @param prefixes topic prefixes to provision, e.g. "bench." */
    public static PlatformProcess start(List<String> prefixes, int partitions, Path logDir) {
        try {
            Path dataDir = Files.createTempDirectory("careweave-bench-");
            ChildJvm child = ChildJvm.start(PlatformServer.class.getName(),
                    List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC"),
                    List.of(dataDir.toString(), String.join(",", prefixes), Integer.toString(partitions)),
                    logDir.resolve("platform.log"), Duration.ofMinutes(3));
            return new PlatformProcess(child, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return child.readyValues().get(0);
    }

    public String schemaRegistryUrl() {
        return child.readyValues().get(1);
    }

    public long pid() {
        return child.pid();
    }

    public long cpuNanos() {
        return child.cpuNanos();
    }

    @Override
    public void close() {
        child.close();
        Directories.deleteQuietly(dataDir);
    }
}
