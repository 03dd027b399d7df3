package org.careweave.benchmarks.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.careweave.benchmarks.common.ChildJvm;
import org.careweave.benchmarks.common.PlatformProcess;

/** One side of the ingest comparison: which listener, and how its child JVM is started. */
public enum IngestSide {
    CAREWEAVE("careweave", CareweaveIngestServer.class.getName()),
    CAMEL_DEFAULTS("camel (producer defaults, linger.ms=5)", CamelIngestServer.class.getName()),
    CAMEL_TUNED("camel (tuned, linger.ms=0)", CamelIngestServer.class.getName());

    /** Topic prefix of careweave's side, and the Camel peer's topic (both 3 partitions on the same broker). */
    public static final String CAREWEAVE_PREFIX = "bench.";
    public static final String CAMEL_TOPIC = "bench.camel.raw";
    /** Both sides get the same heap and collector. */
    public static final List<String> JVM_ARGS = List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC");

    private final String label;
    private final String mainClass;

    IngestSide(String label, String mainClass) {
        this.label = label;
        this.mainClass = mainClass;
    }

    public String label() {
        return label;
    }

    /** Starts this side's listener in a child JVM; {@code extraJvmArgs} e.g. for a flight recording. */
    public ChildJvm start(PlatformProcess platform, Path logDir, List<String> extraJvmArgs) {
        List<String> args = switch (this) {
            case CAREWEAVE -> List.of(platform.bootstrapServers(), platform.schemaRegistryUrl(), CAREWEAVE_PREFIX);
            case CAMEL_DEFAULTS -> List.of(platform.bootstrapServers(), CAMEL_TOPIC, "default");
            case CAMEL_TUNED -> List.of(platform.bootstrapServers(), CAMEL_TOPIC, "0");
        };
        List<String> jvm = new ArrayList<>(JVM_ARGS);
        jvm.addAll(extraJvmArgs);
        return ChildJvm.start(mainClass, jvm, args, logDir.resolve(name().toLowerCase() + ".log"),
                Duration.ofMinutes(2));
    }

    public int port(ChildJvm child) {
        return Integer.parseInt(child.readyValues().get(0));
    }
}
