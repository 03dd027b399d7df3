package org.careweave.platform.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one), inside this JVM.
 *
 * <p>Everything that touches Kafka's internal server API ({@code KafkaRaftServer}, {@code Formatter}) is in this
 * class: those APIs change between minor versions and should break in one place only.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String SECURED_LISTENER = "SASL_SSL";

    /**
     * A second client listener with TLS and SASL/PLAIN, so that tests can run careweave against a secured cluster
     * (careweave's own embedded platform does not use it: it listens on loopback only).
     *
     * @param keyStore  PKCS#12 key store with the broker's certificate
     * @param users     SASL/PLAIN user names and their passwords
     * @param authorize whether the broker authorises with ACLs: then the users may do only what ACLs allow them, and
     *                  the plaintext listener's anonymous clients (the test's administrator) everything
     */
    public record SecuredListener(int port, Path keyStore, String keyStorePassword, Map<String, String> users,
                                  boolean authorize) {

        public SecuredListener {
            users = Map.copyOf(users);
        }
    }

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Optional<String> securedBootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Optional<String> securedBootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.securedBootstrapServers = securedBootstrapServers;
    }

    /** Formats the log directory on first use, then starts the broker; a restart on the same directory keeps all data. */
    public static EmbeddedKafka start(Path logDir, String host, int port, int controllerPort) {
        return start(logDir, host, port, controllerPort, Optional.empty());
    }

    /** As above, with a TLS and SASL/PLAIN client listener beside the plaintext one when {@code secured} is given. */
    public static EmbeddedKafka start(Path logDir, String host, int port, int controllerPort,
                                      Optional<SecuredListener> secured) {
        try {
            Files.createDirectories(logDir);
            Properties props = brokerProperties(logDir, host, port, controllerPort);
            secured.ifPresent(listener -> addSecuredListener(props, host, listener));
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(logDir);
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            return new EmbeddedKafka(server, host + ":" + port,
                    secured.map(listener -> host + ":" + listener.port()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka log directory " + logDir, e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The TLS and SASL/PLAIN listener's address, if it was asked for. */
    public Optional<String> securedBootstrapServers() {
        return securedBootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties brokerProperties(Path logDir, String host, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + "," + CONTROLLER_LISTENER + "://" + host + ":"
                + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A single node has nobody to hand leadership to; controlled shutdown would wait minutes for nothing.
        p.put("controlled.shutdown.enable", "false");
        p.put("num.partitions", "3");
        return p;
    }

    private static void addSecuredListener(Properties p, String host, SecuredListener listener) {
        String address = SECURED_LISTENER + "://" + host + ":" + listener.port();
        p.put("listeners", p.getProperty("listeners") + "," + address);
        p.put("advertised.listeners", p.getProperty("advertised.listeners") + "," + address);
        p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + ","
                + SECURED_LISTENER + ":SASL_SSL");
        String prefix = "listener.name." + SECURED_LISTENER.toLowerCase(Locale.ROOT) + ".";
        p.put("sasl.enabled.mechanisms", "PLAIN");
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        listener.users().forEach((user, password) -> jaas.append(" user_").append(user).append("=\"")
                .append(password).append('"'));
        p.put(prefix + "plain.sasl.jaas.config", jaas.append(';').toString());
        p.put(prefix + "ssl.keystore.location", listener.keyStore().toString());
        p.put(prefix + "ssl.keystore.type", "PKCS12");
        p.put(prefix + "ssl.keystore.password", listener.keyStorePassword());
        p.put(prefix + "ssl.key.password", listener.keyStorePassword());
        if (listener.authorize()) {
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            // The plaintext and controller listeners authenticate nobody: their clients are ANONYMOUS.
            p.put("super.users", "User:ANONYMOUS");
        }
    }

    private static void format(Path logDir) throws IOException {
        try {
            new Formatter()
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .run();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka log directory " + logDir, e);
        }
    }
}
