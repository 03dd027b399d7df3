package org.careweave.platform;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.careweave.platform.config.Setting;
import org.careweave.platform.config.SettingsSource;

/**
 * The platform's configuration, in one typed place. Defaults give a working embedded platform on 127.0.0.1.
 */
public record PlatformConfig(
        PlatformKind kind,
        Path dataDir,
        String host,
        int kafkaPort,
        int kafkaControllerPort,
        int registryPort,
        int postgresPort,
        String registryCompatibility,
        Optional<Path> registryDistribution,
        String topicPrefix,
        int topicPartitions,
        short topicReplicationFactor,
        External external,
        long minFreeBytes) {

    /** Endpoints of services run elsewhere (kind external). */
    public record External(KafkaConnection kafka, String schemaRegistryUrl, String jdbcUrl, String jdbcUser,
                           String jdbcPassword) {

        /** A Kafka cluster reached without TLS or SASL. */
        public External(String bootstrapServers, String schemaRegistryUrl, String jdbcUrl, String jdbcUser,
                        String jdbcPassword) {
            this(KafkaConnection.plaintext(bootstrapServers), schemaRegistryUrl, jdbcUrl, jdbcUser, jdbcPassword);
        }
    }

    public static final Setting<PlatformKind> KIND = new Setting<>("platform", "Which platform to use: embedded"
            + " (Kafka, registry and PostgreSQL started in this process and its children), external (endpoints below)"
            + " or testcontainers (needs a Docker engine).", "embedded", PlatformKind::parse);
    public static final Setting<Path> DATA_DIR = new Setting<>("data.dir", "Directory holding all embedded data"
            + " (Kafka logs, registry database, PostgreSQL cluster, logs).", "careweave-data", Path::of);
    public static final Setting<String> HOST = Setting.text("embedded.host", "127.0.0.1",
            "Address the embedded services listen on. Keep loopback unless you know why.");
    public static final Setting<Integer> KAFKA_PORT = Setting.port("kafka.port", 9092,
            "Embedded Kafka client listener port.");
    public static final Setting<Integer> KAFKA_CONTROLLER_PORT = Setting.port("kafka.controller.port", 9093,
            "Embedded Kafka KRaft controller listener port.");
    public static final Setting<Integer> REGISTRY_PORT = Setting.port("registry.port", 8081,
            "Embedded schema registry HTTP port (Confluent API under /apis/ccompat/v7).");
    public static final Setting<Integer> POSTGRES_PORT = Setting.port("postgres.port", 5433,
            "Embedded PostgreSQL port.");
    public static final Setting<String> REGISTRY_COMPATIBILITY = Setting.text("registry.compatibility",
            "BACKWARD_TRANSITIVE", "Global compatibility level set on the embedded registry at startup.");
    public static final Setting<String> REGISTRY_DISTRIBUTION = Setting.text("registry.distribution", "",
            "Path to the Apicurio Registry distribution (its -all.tar.gz, unpacked directory or runner jar);"
                    + " empty: take it from the local Maven repository.");
    public static final Setting<String> TOPIC_PREFIX = Setting.text("topic.prefix", "careweave.",
            "Prefix of every careweave topic name (and so of every schema subject).");
    public static final Setting<Integer> TOPIC_PARTITIONS = Setting.integer("topic.partitions", 3,
            "Partitions of each topic careweave creates; existing topics are left alone.");
    public static final Setting<Integer> TOPIC_REPLICATION_FACTOR = Setting.integer("topic.replication.factor", 1,
            "Replication factor of each topic careweave creates (1 embedded; 3 on a production cluster).");
    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text("kafka.bootstrap.servers", null,
            "Kafka bootstrap servers (platform external).");
    public static final Setting<String> KAFKA_CLIENT_CONFIG = Setting.text("kafka.client.config", "",
            "Properties file with the security settings of every Kafka client careweave creates (security.protocol,"
                    + " ssl.*, sasl.*), as Kafka's tools take with --command-config; for a cluster with TLS or SASL"
                    + " (platform external). Empty: plaintext.");
    public static final Setting<String> SCHEMA_REGISTRY_URL = Setting.text("schema.registry.url", null,
            "Confluent-compatible schema registry URL (platform external).");
    public static final Setting<String> JDBC_URL = Setting.text("jdbc.url", null,
            "PostgreSQL JDBC URL (platform external).");
    public static final Setting<String> JDBC_USER = Setting.text("jdbc.user", "careweave",
            "PostgreSQL user (platform external).");
    public static final Setting<String> JDBC_PASSWORD = Setting.text("jdbc.password", "",
            "PostgreSQL password (platform external).");

    public static final Setting<Integer> MIN_FREE_MEGABYTES = Setting.integer("embedded.min.free.megabytes", 512,
            "Embedded: below this much free space on the data dir's disk, ingest answers AE (nothing is written) so"
                    + " that the embedded broker does not fill the disk and stop; it accepts again once there is"
                    + " room.");

    public static List<Setting<?>> settings() {
        return List.of(KIND, DATA_DIR, HOST, KAFKA_PORT, KAFKA_CONTROLLER_PORT, REGISTRY_PORT, POSTGRES_PORT,
                REGISTRY_COMPATIBILITY, REGISTRY_DISTRIBUTION, TOPIC_PREFIX, TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR,
                BOOTSTRAP_SERVERS, KAFKA_CLIENT_CONFIG, SCHEMA_REGISTRY_URL, JDBC_URL,
                JDBC_USER, JDBC_PASSWORD, MIN_FREE_MEGABYTES);
    }

    public static PlatformConfig from(SettingsSource source) {
        PlatformKind kind = source.get(KIND);
        External external = null;
        String clientConfig = source.get(KAFKA_CLIENT_CONFIG);
        if (kind == PlatformKind.EXTERNAL) {
            String bootstrapServers = source.get(BOOTSTRAP_SERVERS);
            KafkaConnection kafka = clientConfig.isBlank() ? KafkaConnection.plaintext(bootstrapServers)
                    : KafkaConnection.withSettingsFile(bootstrapServers, Path.of(clientConfig));
            external = new External(kafka, source.get(SCHEMA_REGISTRY_URL),
                    source.get(JDBC_URL), source.get(JDBC_USER), source.get(JDBC_PASSWORD));
        } else if (!clientConfig.isBlank()) {
            // The embedded broker listens on loopback in plaintext: security settings would only stop it connecting.
            throw new IllegalArgumentException(KAFKA_CLIENT_CONFIG.key() + " applies to platform external only, not "
                    + kind.label());
        }
        String distribution = source.get(REGISTRY_DISTRIBUTION);
        return new PlatformConfig(kind, source.get(DATA_DIR).toAbsolutePath(), source.get(HOST),
                source.get(KAFKA_PORT), source.get(KAFKA_CONTROLLER_PORT), source.get(REGISTRY_PORT),
                source.get(POSTGRES_PORT), source.get(REGISTRY_COMPATIBILITY),
                distribution.isBlank() ? Optional.empty() : Optional.of(Path.of(distribution)),
                source.get(TOPIC_PREFIX), source.get(TOPIC_PARTITIONS), source.get(TOPIC_REPLICATION_FACTOR).shortValue(),
                external, Math.max(0, source.get(MIN_FREE_MEGABYTES)) * 1024L * 1024L);
    }

    /** The embedded defaults under the given data dir. */
    public static PlatformConfig embedded(Path dataDir) {
        return from(SettingsSource.of(java.util.Map.of(DATA_DIR.key(), dataDir.toString())));
    }

    public PlatformConfig withPorts(int kafka, int controller, int registry, int postgres) {
        return new PlatformConfig(kind, dataDir, host, kafka, controller, registry, postgres, registryCompatibility,
                registryDistribution, topicPrefix, topicPartitions, topicReplicationFactor, external, minFreeBytes);
    }
}
