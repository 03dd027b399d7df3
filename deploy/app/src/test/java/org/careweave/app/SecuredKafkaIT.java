package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.streams.KafkaStreams;
import org.careweave.ingest.mapping.MappingConfig;
import org.careweave.ingest.mllp.MllpClient;
import org.careweave.ingest.tls.TestCertificates;
import org.careweave.optout.OptOutChanges;
import org.careweave.optout.OptOutLoader;
import org.careweave.platform.KafkaConnection;
import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.Platforms;
import org.careweave.platform.config.SettingsSource;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.platform.kafka.EmbeddedKafka;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.processors.ProcessorsService;
import org.careweave.replay.Replay;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.store.health.HealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * careweave against a Kafka cluster that only speaks TLS with SASL authentication and authorises with ACLs,
 * configured as a deployment is (platform external, kafka.client.config): every component (ingest's producer,
 * mapping's and the processors' Kafka Streams, the sinks' consumers, the health and lag admin clients) must carry the
 * settings, or the message below would never reach the API. The broker refuses a client without them and a wrong
 * password, so passing means the settings were used; and careweave's principal is allowed only what
 * {@link KafkaAcls} lists, so passing also means that list is enough.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class SecuredKafkaIT {

    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    private static final String PASSWORD = "invented-test-secret";
    private static final String STRANGER_PASSWORD = "another-invented-secret";
    private static final String ANALYST_PASSWORD = "a-third-invented-secret";
    private static final String HALFWAY_PASSWORD = "a-fourth-invented-secret";
    private static final String HALFWAY_PROCESSORS = "it-secured-halfway-processors";
    private static final String PREFIX = "it-secured.";
    private static final String MAPPING = "it-secured-mapping";
    private static final String PROCESSORS = "it-secured-processors";

    @TempDir
    static Path dir;
    private static EmbeddedKafka securedKafka;
    private static String securedBootstrap;
    private static Path trustStore;
    private static Platform platform;
    private static Pipeline pipeline;
    private static ApiReader api;

    @BeforeAll
    static void start(Platform shared) throws Exception {
        TestCertificates authority = TestCertificates.newAuthority("careweave test Kafka CA");
        Path keyStore = authority.issue(dir, "CN=kafka-test", true);
        trustStore = authority.trustStore(dir);
        securedKafka = EmbeddedKafka.start(dir.resolve("kafka"), "127.0.0.1", EmbeddedPlatformExtension.freePort(),
                EmbeddedPlatformExtension.freePort(), Optional.of(new EmbeddedKafka.SecuredListener(
                        EmbeddedPlatformExtension.freePort(), keyStore, TestCertificates.PASSWORD,
                        Map.of("careweave", PASSWORD, "stranger", STRANGER_PASSWORD, "analyst",
                                ANALYST_PASSWORD, "halfway", HALFWAY_PASSWORD), true)));
        securedBootstrap = securedKafka.securedBootstrapServers().orElseThrow();
        // careweave's principal may do what `careweave kafka-acls` lists for this deployment, and nothing else.
        try (Admin administrator = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                securedKafka.bootstrapServers()))) {
            administrator.createAcls(KafkaAcls.careweave("User:careweave", PREFIX, MAPPING, PROCESSORS).bindings())
                    .all().get(60, TimeUnit.SECONDS);
            administrator.createAcls(KafkaAcls.analyst("User:analyst", PREFIX, "analyst-").bindings())
                    .all().get(60, TimeUnit.SECONDS);
            // What careweave needs but its transactional ids: the processors cannot commit.
            administrator.createAcls(KafkaAcls.careweave("User:halfway", PREFIX, MAPPING, HALFWAY_PROCESSORS)
                    .bindings().stream().filter(acl -> acl.pattern().resourceType() != ResourceType.TRANSACTIONAL_ID)
                    .toList()).all().get(60, TimeUnit.SECONDS);
        }
        Path clientConfig = Files.writeString(dir.resolve("kafka-client.properties"),
                clientSettings("careweave", PASSWORD));

        Platform ownDatabase = OwnDatabase.on(shared, "it_secured_kafka");
        SettingsSource settings = SettingsSource.of(Map.ofEntries(
                Map.entry("platform", "external"),
                Map.entry("kafka.bootstrap.servers", securedBootstrap),
                Map.entry("kafka.client.config", clientConfig.toString()),
                Map.entry("schema.registry.url", ownDatabase.schemaRegistryUrl()),
                Map.entry("jdbc.url", ownDatabase.jdbcUrl()),
                Map.entry("jdbc.user", ownDatabase.jdbcUser()),
                Map.entry("jdbc.password", ownDatabase.jdbcPassword()),
                Map.entry(PlatformConfig.TOPIC_PREFIX.key(), PREFIX),
                Map.entry(PlatformConfig.DATA_DIR.key(), dir.resolve("data").toString()),
                Map.entry("mllp.port", "0"),
                Map.entry("api.port", "0"),
                Map.entry("mapping.application.id", MAPPING),
                Map.entry("processors.application.id", PROCESSORS)));
        PlatformConfig config = PlatformConfig.from(settings);
        platform = Platforms.open(config, line -> { });
        Path dataDir = Files.createDirectories(config.dataDir());
        TopicProvisioner.ensureTopics(platform.kafka().clientConfig(), config.topicPrefix(), 3, (short) 1);
        pipeline = Pipeline.start(settings, platform, config, dataDir,
                new PrintStream(OutputStream.nullOutputStream()));
        api = new ApiReader(pipeline.apiAddress(), Files.readString(pipeline.adminToken()).strip());
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (securedKafka != null) {
            securedKafka.close();
        }
    }

    @Test
    void aMessageTravelsFromMllpToTheApiOverTheSecuredCluster() throws Exception {
        assertThat(platform.kafka().describe()).isEqualTo(securedBootstrap + " (SASL_SSL, PLAIN)");
        int port = Integer.parseInt(pipeline.mllpAddress().replaceAll(".*:(\\d+).*", "$1"));
        try (MllpClient mllp = MllpClient.connect("127.0.0.1", port)) {
            String ack = mllp.send(("MSH|^~\\&|PAS|RSEC1|CW|CW|20261127100000+0000||ADT^A01^ADT_A01|SEC-1|P|2.5\r"
                    + "PID|1||9990000026^^^NHS^NH~SEC100^^^RSEC1^MR||Securefield^Morgan||19750304|F\r"
                    + "PV1|1|I|WARD2^BED1^^RSEC1||||||||||||||||VSEC1^^^RSEC1\r").getBytes(StandardCharsets.UTF_8));
            assertThat(ack).as("acknowledged only once written to the secured cluster").contains("MSA|AA|SEC-1");
        }

        JsonNode found = api.await("/api/persons?identifier=" + URLEncoder.encode(NHS + "|9990000026",
                StandardCharsets.UTF_8), body -> body.path("persons").size() == 1);
        String person = found.path("persons").get(0).path("personId").asText();
        JsonNode view = api.await("/api/persons/" + person, body -> body.path("encounters").size() == 1);
        assertThat(view.path("name").path("family").asText()).isEqualTo("Securefield");

        JsonNode health = api.await("/health", body -> body.path("status").asText().equals("UP"));
        assertThat(health.path("components").path("kafka").path("detail").asText())
                .as("the health check's admin client reaches the cluster too").isEqualTo("1 broker(s)");
    }

    @Test
    void anOptOutLoadAndAReplayRunUnderCareweavesAclsToo() throws Exception {
        OptOutLoader optOuts = new OptOutLoader(platform, PREFIX);
        Map<String, LocalDate> list = Map.of("9990000018", LocalDate.of(2026, 11, 1));
        optOuts.apply(OptOutChanges.between(optOuts.current(), list), list, true, Instant.now());
        assertThat(optOuts.current()).isEqualTo(list);

        int port = Integer.parseInt(pipeline.mllpAddress().replaceAll(".*:(\\d+).*", "$1"));
        try (MllpClient mllp = MllpClient.connect("127.0.0.1", port)) {
            assertThat(mllp.send(("MSH|^~\\&|PAS|RSEC1|CW|CW|20261127110000+0000||ADT^A04^ADT_A01|SEC-2|P|2.5\r"
                    + "PID|1||SEC200^^^RSEC1^MR||Replayfield^Robin||19900512|M\r"
                    + "PV1|1|O\r").getBytes(StandardCharsets.UTF_8))).contains("MSA|AA|SEC-2");
        }
        Replay.Summary replay = Replay.run(new Replay.Request(PREFIX, PREFIX + "v2.", Optional.empty(),
                Optional.empty(), Set.of(), "secured", 1, (short) 1,
                MappingConfig.defaults(), ProcessorsConfig.defaults()), platform,
                Files.createDirectories(dir.resolve("replay")), progress -> { });
        assertThat(replay.mapped()).as("the replay's mapping and processors ran as careweave's principal")
                .isPositive();
    }

    @Test
    void anotherPrincipalOfTheClusterCannotReadWhatCareweaveWrote() throws Exception {
        try (Admin stranger = adminAs("stranger", STRANGER_PASSWORD)) {
            assertThat(stranger.listTopics().names().get(30, TimeUnit.SECONDS))
                    .as("topics it has no ACL for are not even listed").noneMatch(name -> name.startsWith(PREFIX));
            assertThatThrownBy(() -> stranger.listOffsets(Map.of(new TopicPartition(PREFIX + "hl7.raw", 0),
                    OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void anAnalystReadsTheSecondaryUseTopicsAndNoIdentifiableOne() throws Exception {
        try (Admin analyst = adminAs("analyst", ANALYST_PASSWORD)) {
            assertThat(analyst.listTopics().names().get(30, TimeUnit.SECONDS)).filteredOn(t -> t.startsWith(PREFIX))
                    .containsExactlyInAnyOrder(PREFIX + "secondary.persons", PREFIX + "secondary.results");
            assertThat(analyst.listOffsets(Map.of(new TopicPartition(PREFIX + "secondary.persons", 0),
                    OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS)).hasSize(1);
            for (String identifiable : List.of("hl7.raw", "person.views", "patient.events", "optout")) {
                assertThatThrownBy(() -> analyst.listOffsets(Map.of(new TopicPartition(PREFIX + identifiable, 0),
                        OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS))
                        .as(identifiable).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void processorsKafkaRefusesStopAndSayWhyInsteadOfLookingHealthy() throws Exception {
        KafkaConnection halfway = KafkaConnection.withSettingsFile(securedBootstrap, Files.writeString(
                dir.resolve("halfway.properties"), clientSettings("halfway", HALFWAY_PASSWORD)));
        try (ProcessorsService processors = ProcessorsService.start(
                ProcessorsConfig.defaults().withApplicationId(HALFWAY_PROCESSORS), halfway,
                platform.schemaRegistryUrl(), PREFIX, (short) 1, Files.createDirectories(dir.resolve("halfway")),
                new SimpleMeterRegistry())) {
            HealthCheck health = StoreComponents.streams("processors", processors::state, processors::refusal);
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (processors.state() != KafkaStreams.State.ERROR && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }

            assertThat(processors.state()).as("stopped, not replacing threads for ever")
                    .isEqualTo(KafkaStreams.State.ERROR);
            assertThat(processors.refusal()).hasValueSatisfying(r -> assertThat(r)
                    .startsWith("TransactionalIdAuthorizationException"));
            HealthCheck.Status status = health.check();
            assertThat(status.up()).isFalse();
            assertThat(status.detail()).startsWith("ERROR: Kafka refused: TransactionalIdAuthorizationException");
        }
    }

    @Test
    void theClusterRefusesAWrongPassword() throws Exception {
        try (Admin admin = adminAs("careweave", "not-the-password")) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aComponentWithAWrongPasswordStopsAtOnceSayingSoAndNotThePassword() throws Exception {
        assertThat(JarProcess.JAR).as("the shaded jar (failsafe runs after package)").isRegularFile();
        Path clientConfig = Files.writeString(dir.resolve("rotated-elsewhere.properties"),
                clientSettings("careweave", "an-old-invented-password"));
        Path output = dir.resolve("wrong-password.log");
        Process ingest = JarProcess.start("ingest", Map.of(
                "CAREWEAVE_PLATFORM", "external",
                "CAREWEAVE_KAFKA_BOOTSTRAP_SERVERS", securedBootstrap,
                "CAREWEAVE_KAFKA_CLIENT_CONFIG", clientConfig.toString(),
                "CAREWEAVE_SCHEMA_REGISTRY_URL", platform.schemaRegistryUrl(),
                "CAREWEAVE_JDBC_URL", platform.jdbcUrl(),
                "CAREWEAVE_TOPIC_PREFIX", PREFIX,
                "CAREWEAVE_DATA_DIR", dir.resolve("wrong-password-data").toString(),
                "CAREWEAVE_MLLP_PORT", "0",
                "CAREWEAVE_API_PORT", "0"), dir, output);

        assertThat(ingest.waitFor(120, TimeUnit.SECONDS)).as("it stops instead of retrying for ever").isTrue();
        String printed = Files.readString(output);
        assertThat(ingest.exitValue()).as(printed).isEqualTo(2);
        assertThat(printed).contains("careweave ingest: could not start: ")
                .contains("Authentication failed")
                .doesNotContain("an-old-invented-password");
    }

    @Test
    void theClusterAnswersNoClientWithoutTlsAndSasl() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, securedBootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
    }

    /** An admin client of the secured listener as {@code user}, quick to give up. */
    private static Admin adminAs(String user, String password) throws Exception {
        Map<String, Object> config = KafkaConnection.withSettingsFile(securedBootstrap, Files.writeString(
                dir.resolve(user + "-" + password.hashCode() + ".properties"), clientSettings(user, password)))
                .clientConfig();
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        return Admin.create(config);
    }

    private static String clientSettings(String user, String password) {
        return "security.protocol=SASL_SSL\n"
                + "ssl.truststore.location=" + trustStore + "\n"
                + "ssl.truststore.type=PKCS12\n"
                + "ssl.truststore.password=" + TestCertificates.PASSWORD + "\n"
                + "sasl.mechanism=PLAIN\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"" + user + "\" password=\"" + password + "\";\n";
    }
}
