package org.careweave.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded platform keeps topics, committed offsets, schema ids and rows across a restart on the same data dir,
 * and refuses clearly when a port is taken.
 */
class EmbeddedPlatformRestartIT {

    @TempDir
    Path dataDir;

    @Test
    void keepsTopicsOffsetsSchemaIdsAndRowsAcrossRestart() throws Exception {
        PlatformConfig config = EmbeddedPlatformExtension.freshEmbeddedConfig(dataDir);
        List<String> progress = new ArrayList<>();
        int schemaId;
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(config, progress::add)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", platform.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("restart-test", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = producer(platform)) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("restart-test", "k" + i, "v" + i)).get();
                }
            }
            try (KafkaConsumer<String, String> consumer = consumer(platform)) {
                assertThat(pollAll(consumer, 5)).hasSize(5);
                consumer.commitSync();
            }
            schemaId = registerSchema(platform, "restart-test-value");
            try (Connection c = DriverManager.getConnection(platform.jdbcUrl(), platform.jdbcUser(),
                    platform.jdbcPassword()); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (id int primary key)");
                s.execute("INSERT INTO kept VALUES (42)");
            }
        }
        assertThat(progress).anyMatch(line -> line.startsWith("kafka") && line.contains("ready in"))
                .anyMatch(line -> line.startsWith("schema registry") && line.contains("ready in"))
                .anyMatch(line -> line.startsWith("postgresql") && line.contains("ready in"));

        try (EmbeddedPlatform platform = EmbeddedPlatform.start(config, line -> { })) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", platform.bootstrapServers()))) {
                Set<String> topics = admin.listTopics().names().get();
                assertThat(topics).contains("restart-test");
            }
            try (KafkaConsumer<String, String> consumer = consumer(platform)) {
                // The group's committed offset survived: the 5 records not yet consumed, starting at v5.
                List<ConsumerRecord<String, String>> rest = pollAll(consumer, 5);
                assertThat(rest).extracting(ConsumerRecord::value).containsExactly("v5", "v6", "v7", "v8", "v9");
            }
            assertSchemaAndRowKept(platform, schemaId, "kept", 42);
        }
    }

    /**
     * The registry and PostgreSQL killed under a running platform (as the kernel's out-of-memory killer would) come
     * back on their own, on the same ports, with the schema ids and rows they had.
     */
    @Test
    void startsTheRegistryAndDatabaseAgainWhenTheyAreKilled() throws Exception {
        PlatformConfig config = EmbeddedPlatformExtension.freshEmbeddedConfig(dataDir);
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(config, line -> { })) {
            int schemaId = registerSchema(platform, "killed-test-value");
            try (Connection c = DriverManager.getConnection(platform.jdbcUrl(), platform.jdbcUser(),
                    platform.jdbcPassword()); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept_through_kill (id int primary key)");
                s.execute("INSERT INTO kept_through_kill VALUES (7)");
            }
            ProcessHandle registry = platform.registryProcess();
            ProcessHandle database = platform.databaseProcess();

            assertThat(registry.destroyForcibly()).isTrue();
            assertThat(database.destroyForcibly()).isTrue();
            registry.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            database.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);

            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (platform.childRestarts() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertThat(platform.childRestarts()).as("each started again once").isEqualTo(2);
            assertThat(platform.registryProcess().pid()).isNotEqualTo(registry.pid());
            assertThat(platform.databaseProcess().pid()).isNotEqualTo(database.pid());
            assertSchemaAndRowKept(platform, schemaId, "kept_through_kill", 7);
        }
        assertThat(Files.exists(dataDir.resolve("postgres").resolve("postmaster.pid")))
                .as("stopped on close, not started again").isFalse();
    }

    @Test
    void refusesClearlyWhenAPortIsTaken() throws Exception {
        PlatformConfig config = EmbeddedPlatformExtension.freshEmbeddedConfig(dataDir);
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), config.registryPort()));
            assertThatThrownBy(() -> EmbeddedPlatform.start(config, line -> { }))
                    .isInstanceOf(PlatformStartupException.class)
                    .hasMessageContaining(Integer.toString(config.registryPort()))
                    .hasMessageContaining("schema registry")
                    .hasMessageContaining("already in use");
        }
    }

    /** The registry still knows the schema by its id, and PostgreSQL still has the committed row. */
    private static void assertSchemaAndRowKept(Platform platform, int schemaId, String table, int id)
            throws Exception {
        HttpResponse<String> schema = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(platform.schemaRegistryUrl() + "/schemas/ids/" + schemaId)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(schema.statusCode()).isEqualTo(200);
        assertThat(schema.body()).contains("RestartProbe");
        try (Connection c = DriverManager.getConnection(platform.jdbcUrl(), platform.jdbcUser(),
                platform.jdbcPassword()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM " + table)) {
            assertThat(rs.next()).as("the committed row is kept").isTrue();
            assertThat(rs.getInt(1)).isEqualTo(id);
        }
    }

    private static int registerSchema(Platform platform, String subject) throws Exception {
        String body = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"RestartProbe\\\","
                + "\\\"fields\\\":[{\\\"name\\\":\\\"x\\\",\\\"type\\\":\\\"int\\\"}]}\"}";
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(platform.schemaRegistryUrl() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return Integer.parseInt(response.body().replaceAll("\\D", ""));
    }

    private static KafkaProducer<String, String> producer(Platform platform) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(Platform platform) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of("restart-test"));
        return consumer;
    }

    private static List<ConsumerRecord<String, String>> pollAll(KafkaConsumer<String, String> consumer, int wanted) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (out.size() < wanted && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }
}
