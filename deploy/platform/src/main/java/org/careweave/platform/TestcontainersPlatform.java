package org.careweave.platform;

import java.util.function.Consumer;

import org.careweave.platform.registry.EmbeddedRegistry;
import org.careweave.platform.registry.RegistryDistribution;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same three services as containers: apache/kafka in KRaft mode, Apicurio Registry and PostgreSQL.
 * Only where a Docker engine is reachable; elsewhere {@link #start} refuses with {@link PlatformUnavailableException}
 * so that tests can skip with a clear reason.
 */
public final class TestcontainersPlatform implements Platform {

    private static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
    private static final String POSTGRES_IMAGE = "postgres:17";
    private static final int REGISTRY_HTTP_PORT = 8080;

    private final KafkaContainer kafka;
    private final GenericContainer<?> registry;
    private final PostgreSQLContainer<?> postgres;

    private TestcontainersPlatform(KafkaContainer kafka, GenericContainer<?> registry, PostgreSQLContainer<?> postgres) {
        this.kafka = kafka;
        this.registry = registry;
        this.postgres = postgres;
    }

    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    public static TestcontainersPlatform start(Consumer<String> progress) {
        if (!dockerAvailable()) {
            throw new PlatformUnavailableException(
                    "No Docker engine is reachable, so the testcontainers platform cannot start;"
                            + " use the embedded platform (the default) instead.");
        }
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
        GenericContainer<?> registry = new GenericContainer<>(DockerImageName.parse(
                "apicurio/apicurio-registry-mem:" + RegistryDistribution.version()))
                .withExposedPorts(REGISTRY_HTTP_PORT)
                .waitingFor(Wait.forHttp(EmbeddedRegistry.CONFLUENT_API_PATH + "/subjects").forStatusCode(200));
        PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>(DockerImageName.parse(POSTGRES_IMAGE))
                .withDatabaseName("careweave");
        progress.accept("starting Kafka, registry and PostgreSQL containers");
        kafka.start();
        registry.start();
        postgres.start();
        progress.accept("containers ready");
        return new TestcontainersPlatform(kafka, registry, postgres);
    }

    @Override
    public String kind() {
        return PlatformKind.TESTCONTAINERS.label();
    }

    @Override
    public String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String schemaRegistryUrl() {
        return "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_HTTP_PORT)
                + EmbeddedRegistry.CONFLUENT_API_PATH;
    }

    @Override
    public String jdbcUrl() {
        return postgres.getJdbcUrl();
    }

    @Override
    public String jdbcUser() {
        return postgres.getUsername();
    }

    @Override
    public String jdbcPassword() {
        return postgres.getPassword();
    }

    @Override
    public void close() {
        postgres.stop();
        registry.stop();
        kafka.stop();
    }
}
