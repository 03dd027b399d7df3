package org.careweave.benchmarks.common;

import java.nio.file.Path;

import org.careweave.platform.EmbeddedPlatform;
import org.careweave.platform.PlatformConfig;
import org.careweave.schemas.topics.TopicProvisioner;

/**
 * Child-JVM main: the embedded platform (Kafka, registry, PostgreSQL) on free loopback ports under a data dir,
 * with careweave's topics under a prefix. Prints {@code READY <bootstrap> <registry url>}; stops when stdin closes.
 *
 * <p>Arguments: data dir, topic prefixes (comma-separated), partitions.
 */
public final class PlatformServer {

    private PlatformServer() {
    }

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        EmbeddedPlatform platform = EmbeddedPlatform.start(freePorts(dataDir),
                line -> System.err.println("platform: " + line));
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "platform-stop"));
        int partitions = Integer.parseInt(args[2]);
        for (String prefix : args[1].split(",")) {
            TopicProvisioner.ensureTopics(platform.bootstrapServers(), prefix, partitions, (short) 1);
        }
        announceAndWait(platform);
        System.exit(0);
    }

    /** Like EmbeddedPlatformExtension.freshEmbeddedConfig, without needing JUnit on the class path. */
    public static PlatformConfig freePorts(Path dataDir) {
        return PlatformConfig.embedded(dataDir).withPorts(FreePorts.next(), FreePorts.next(), FreePorts.next(),
                FreePorts.next());
    }

    private static void announceAndWait(EmbeddedPlatform platform) {
        ChildJvm.announceReady(platform.bootstrapServers(), platform.schemaRegistryUrl());
        ChildJvm.awaitParentExit();
    }
}
