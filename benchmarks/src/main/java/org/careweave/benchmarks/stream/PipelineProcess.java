package org.careweave.benchmarks.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.careweave.benchmarks.common.ChildJvm;
import org.careweave.benchmarks.common.PlatformProcess;
import org.careweave.platform.Directories;

/** careweave's components in a child JVM of their own (see {@link PipelineServer}), with a temporary state dir. */
public final class PipelineProcess implements AutoCloseable {

    public static final List<String> JVM_ARGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");

    private final ChildJvm child;
    private final Path stateDir;

    private PipelineProcess(ChildJvm child, Path stateDir) {
        this.child = child;
        this.stateDir = stateDir;
    }

    /** @param model identity model JSON, or null for the shipped model */
    public static PipelineProcess start(PlatformProcess platform, String prefix, String components, Path model,
                                        Path log, List<String> extraJvmArgs) {
        try {
            Path stateDir = Files.createTempDirectory("careweave-bench-state-");
            List<String> jvm = new ArrayList<>(JVM_ARGS);
            jvm.addAll(extraJvmArgs);
            ChildJvm child = ChildJvm.start(PipelineServer.class.getName(), jvm,
                    List.of(platform.bootstrapServers(), platform.schemaRegistryUrl(), prefix, components,
                            stateDir.toString(), model == null ? "-" : model.toAbsolutePath().toString()),
                    log, Duration.ofMinutes(3));
            return new PipelineProcess(child, stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int mllpPort() {
        return Integer.parseInt(child.readyValues().get(0));
    }

    public long cpuNanos() {
        return child.cpuNanos();
    }

    public long pid() {
        return child.pid();
    }

    @Override
    public void close() {
        child.close();
        Directories.deleteQuietly(stateDir);
    }
}
