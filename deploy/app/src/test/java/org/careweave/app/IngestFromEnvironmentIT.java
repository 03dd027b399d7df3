package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocketFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.careweave.events.RawMessage;
import org.careweave.events.Transport;
import org.careweave.ingest.mllp.MllpClient;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.serde.ConfluentAvroDeserializer;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.careweave.store.auth.Role;
import org.careweave.store.auth.TokensFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The careweave jar started as a container starts it: {@code java -jar careweave.jar ingest}, a child process whose
 * whole configuration is CAREWEAVE_ environment variables, against the embedded platform's Kafka and registry as an
 * external platform, with MLLP over TLS from deploy/compose/make-certs.sh as the compose stack has it. A message
 * sent over MLLP is answered AA and is in the raw topic.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class IngestFromEnvironmentIT {

    /** Other test classes share the platform: topics of our own. */
    private static final String PREFIX = "it-env-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private static final Path JAR = JarProcess.JAR;
    private static final String HOSPITAL = "CN=Trial hospital interface engine,O=Invented Trust,C=GB";
    private static final Duration STARTUP = Duration.ofSeconds(120);

    @TempDir
    static Path dir;

    private static Process ingest;
    private static Path log;
    private static Path secrets;
    private static int mllpPort;
    private static int httpPort;
    /** An invented operator's token, of role admin, given to the process in its tokens file. */
    private static final String OPERATOR_TOKEN = "it-env-operator-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startIngestFromTheEnvironment(Platform platform) throws Exception {
        assertThat(JAR).as("the shaded jar (failsafe runs after package)").isRegularFile();
        secrets = dir.resolve("secrets");
        makeCertificates(secrets);
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 3, (short) 1);

        mllpPort = EmbeddedPlatformExtension.freePort();
        httpPort = EmbeddedPlatformExtension.freePort();
        Path tokens = dir.resolve("api-tokens");
        Files.write(tokens, List.of(TokensFile.line(OPERATOR_TOKEN, Role.ADMIN, "Test operator")));
        Map<String, String> tls = DeploymentFiles.envFile(secrets.resolve("mllp-tls.env"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CAREWEAVE_PLATFORM", "external");
        env.put("CAREWEAVE_KAFKA_BOOTSTRAP_SERVERS", platform.bootstrapServers());
        env.put("CAREWEAVE_SCHEMA_REGISTRY_URL", platform.schemaRegistryUrl());
        env.put("CAREWEAVE_JDBC_URL", platform.jdbcUrl());
        env.put("CAREWEAVE_JDBC_USER", platform.jdbcUser());
        env.put("CAREWEAVE_JDBC_PASSWORD", platform.jdbcPassword());
        env.put("CAREWEAVE_TOPIC_PREFIX", PREFIX);
        env.put("CAREWEAVE_TOPIC_PARTITIONS", "3");
        env.put("CAREWEAVE_TOPIC_REPLICATION_FACTOR", "1");
        env.put("CAREWEAVE_DATA_DIR", dir.resolve("data").toString());
        env.put("CAREWEAVE_MLLP_HOST", "127.0.0.1");
        env.put("CAREWEAVE_MLLP_PORT", String.valueOf(mllpPort));
        env.put("CAREWEAVE_API_HOST", "127.0.0.1");
        env.put("CAREWEAVE_API_PORT", String.valueOf(httpPort));
        env.put("CAREWEAVE_API_TOKENS_FILE", tokens.toString());
        env.put("CAREWEAVE_MLLP_TLS_KEY_STORE", secrets.resolve("mllp-server.p12").toString());
        env.put("CAREWEAVE_MLLP_TLS_KEY_STORE_PASSWORD", tls.get("CAREWEAVE_MLLP_TLS_KEY_STORE_PASSWORD"));
        env.put("CAREWEAVE_MLLP_TLS_TRUST_STORE", secrets.resolve("ca-trust.p12").toString());
        env.put("CAREWEAVE_MLLP_TLS_TRUST_STORE_PASSWORD", tls.get("CAREWEAVE_MLLP_TLS_TRUST_STORE_PASSWORD"));
        env.put("CAREWEAVE_MLLP_TLS_ALLOWLIST", secrets.resolve("mllp-allowlist.txt").toString());

        log = dir.resolve("ingest.log");
        ingest = JarProcess.start("ingest", env, dir, log);
        awaitRunning();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (ingest != null) {
            ingest.destroy(); // SIGTERM, as docker stop and Kubernetes send
            if (!ingest.waitFor(30, TimeUnit.SECONDS)) {
                ingest.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aMessageOverMllpWithTlsIsAcknowledgedAndInTheRawTopic(Platform platform) throws Exception {
        String controlId = "ENV" + System.nanoTime();
        byte[] message = registration("RHMX1", controlId).getBytes(StandardCharsets.ISO_8859_1);

        String ack;
        try (MllpClient client = MllpClient.connect(MllpClient.Settings.plain("127.0.0.1", mllpPort)
                .withTls(hospitalClient(), true))) {
            ack = client.send(message);
        }

        assertThat(ack).as(logText()).contains("MSA|AA|" + controlId);
        RawMessage raw = awaitRaw(platform, controlId).orElseThrow(() -> new AssertionError(
                "no record with control id " + controlId + " in " + Topics.HL7_RAW.name(PREFIX)));
        assertThat(raw.getSendingFacility()).isEqualTo("RHMX1");
        assertThat(raw.getTransport()).isEqualTo(Transport.MLLP_TLS);
        assertThat(raw.getTlsPeer()).isEqualTo(HOSPITAL);
        assertThat(bytes(raw.getPayload())).isEqualTo(message);
        // Logs carry control ids and counts, never patient names.
        assertThat(logText()).doesNotContain("Testperson");
    }

    @Test
    void aFacilityTheCertificateMayNotSendForIsRefused() throws Exception {
        String controlId = "ENVGP" + System.nanoTime();
        String ack;
        try (MllpClient client = MllpClient.connect(MllpClient.Settings.plain("127.0.0.1", mllpPort)
                .withTls(hospitalClient(), true))) {
            ack = client.send(registration("B86001", controlId).getBytes(StandardCharsets.ISO_8859_1));
        }
        assertThat(ack).as(logText()).contains("MSA|AR|" + controlId);
    }

    /**
     * The ingest process serves no API, yet answers /health and /metrics on its HTTP port: the container's
     * HEALTHCHECK, Kubernetes' probes, HAProxy's checks in the compose trial and Prometheus all ask there.
     */
    @Test
    void healthAndMetricsAreServedOnTheHttpPortAsProbesAndScrapersExpect() throws Exception {
        String controlId = "ENVOPS" + System.nanoTime();
        try (MllpClient client = MllpClient.connect(MllpClient.Settings.plain("127.0.0.1", mllpPort)
                .withTls(hospitalClient(), true))) {
            assertThat(client.send(registration("RHMX1", controlId).getBytes(StandardCharsets.ISO_8859_1)))
                    .as(logText()).contains("MSA|AA|" + controlId);
        }

        HttpResponse<String> health = get("/health", null);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode components = new ObjectMapper().readTree(health.body()).path("components");
        assertThat(components.path("kafka").path("status").asText()).as(health.body()).isEqualTo("UP");
        assertThat(components.path("schema-registry").path("status").asText()).as(health.body()).isEqualTo("UP");

        HttpResponse<String> anonymous = get("/metrics", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        HttpResponse<String> metrics = get("/metrics", OPERATOR_TOKEN);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("careweave_ingest_messages_total{").contains("outcome=\"accepted\"");
        // The runtime series the heap and descriptor alerts read.
        assertThat(metrics.body()).contains("jvm_memory_usage_after_gc{", "jvm_gc_overhead ",
                "process_files_open_files ", "process_files_max_files ");
    }

    @Test
    void kafkaSettingsCareweaveOwnsAreRefusedBeforeAnythingStarts() throws Exception {
        Path clientConfig = Files.writeString(dir.resolve("kafka-client.properties"),
                "security.protocol=SSL\nacks=1\n");
        Path output = dir.resolve("refused.log");
        Process refused = JarProcess.start("ingest", Map.of(
                "CAREWEAVE_PLATFORM", "external",
                "CAREWEAVE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + EmbeddedPlatformExtension.freePort(),
                "CAREWEAVE_KAFKA_CLIENT_CONFIG", clientConfig.toString(),
                "CAREWEAVE_SCHEMA_REGISTRY_URL", "http://127.0.0.1:1",
                "CAREWEAVE_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/none"), dir, output);

        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).as("it stops at once").isTrue();
        assertThat(refused.exitValue()).isEqualTo(2);
        assertThat(Files.readString(output)).isEqualTo("careweave ingest: " + clientConfig
                + ": 'acks' is not a Kafka connection setting careweave passes on: only security.protocol, ssl.* and"
                + " sasl.* may be given (careweave sets the others itself)\n");
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLSocketFactory hospitalClient() throws Exception {
        String clientPassword = Files.readString(secrets.resolve("client-store.password")).strip();
        Map<String, String> tls = DeploymentFiles.envFile(secrets.resolve("mllp-tls.env"));
        return MllpClient.tlsSocketFactory(secrets.resolve("hospital-client.p12"), clientPassword,
                secrets.resolve("ca-trust.p12"), tls.get("CAREWEAVE_MLLP_TLS_TRUST_STORE_PASSWORD"));
    }

    /** An invented person; NHS number in the 999 test range. */
    private static String registration(String facility, String controlId) {
        return String.join("\r",
                "MSH|^~\\&|PAS|" + facility + "|CAREWEAVE|CAREWEAVE|20260601091500+0100||ADT^A28^ADT_A05|"
                        + controlId + "|P|2.4|||AL|NE|GBR|8859/1",
                "EVN|A28|20260601091500+0100",
                "PID|1||9990000018^^^NHS^NH~RHM100231^^^RHMX1^PI||Testperson^Alexandra^^^Ms||19800101|F|||"
                        + "1 Example Street^^Exampleton^^ZZ99 1AA^GBR",
                "PV1|1|N");
    }

    private static Optional<RawMessage> awaitRaw(Platform platform, String controlId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-env-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        ConfluentAvroDeserializer<RawMessage> values = new ConfluentAvroDeserializer<>();
        values.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl(), "specific.avro.reader", true),
                false);
        try (KafkaConsumer<String, RawMessage> consumer = new KafkaConsumer<>(p, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(Topics.HL7_RAW.name(PREFIX)));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, RawMessage> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null && record.value().getControlId().equals(controlId)) {
                        return Optional.of(record.value());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Until the process says it runs, or fails with its own output when it exits or takes too long. */
    private static void awaitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (logText().contains("careweave ingest: running")) {
                return;
            }
            if (!ingest.isAlive()) {
                throw new AssertionError("careweave ingest exited with " + ingest.exitValue() + ":\n" + logText());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("careweave ingest did not start within " + STARTUP.toSeconds() + " s:\n"
                + logText());
    }

    private static void makeCertificates(Path out) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", DeploymentFiles.MAKE_CERTS.toString(), out.toString())
                .redirectErrorStream(true);
        // The keytool of the JDK running the tests.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process script = builder.start();
        String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!script.waitFor(180, TimeUnit.SECONDS) || script.exitValue() != 0) {
            throw new AssertionError("make-certs.sh failed:\n" + output);
        }
    }

    private static String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
