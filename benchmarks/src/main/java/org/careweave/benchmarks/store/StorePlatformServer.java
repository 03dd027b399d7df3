package org.careweave.benchmarks.store;

import java.nio.file.Path;

import org.careweave.benchmarks.common.ChildJvm;
import org.careweave.benchmarks.common.PlatformServer;
import org.careweave.platform.EmbeddedPlatform;
import org.careweave.schemas.topics.TopicProvisioner;

/**
 * Child-JVM main: the embedded platform, like {@link PlatformServer}, but it also announces PostgreSQL's JDBC URL and
 * user, since the sink benchmark needs the database. Prints {@code READY <bootstrap> <registry> <jdbc url> <user>};
 * stops when stdin closes. Arguments: data dir, topic prefix, partitions.
 */
public final class StorePlatformServer {

    private StorePlatformServer() {
    }

    public static void main(String[] args) {
        EmbeddedPlatform platform = EmbeddedPlatform.start(PlatformServer.freePorts(Path.of(args[0])),
                line -> System.err.println("platform: " + line));
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "platform-stop"));
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), args[1], Integer.parseInt(args[2]), (short) 1);
        ChildJvm.announceReady(platform.bootstrapServers(), platform.schemaRegistryUrl(), platform.jdbcUrl(),
                platform.jdbcUser());
        ChildJvm.awaitParentExit();
        System.exit(0);
    }
}
