package org.careweave.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.careweave.platform.config.SettingsSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"careweave\" password=\"not-for-logs\";";

    @TempDir
    Path dir;

    @Test
    void everyClientConfigurationCarriesTheBootstrapServersAndTheSecuritySettings() {
        KafkaConnection kafka = new KafkaConnection("kafka-1:9094,kafka-2:9094", Map.of(
                "security.protocol", "sasl_ssl", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS,
                "ssl.truststore.location", "/etc/careweave/kafka-ca.p12"));

        Map<String, Object> config = kafka.clientConfig();

        assertThat(config).containsEntry("bootstrap.servers", "kafka-1:9094,kafka-2:9094")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry("ssl.truststore.location", "/etc/careweave/kafka-ca.p12");
        config.put("acks", "all");
        assertThat(kafka.clientConfig()).as("each client gets a map of its own").doesNotContainKey("acks");
        assertThat(kafka.encrypted()).isTrue();
    }

    @Test
    void plaintextHasNoSettingsAndSaysSo() {
        KafkaConnection kafka = KafkaConnection.plaintext("127.0.0.1:9092");

        assertThat(kafka.clientConfig()).containsOnlyKeys("bootstrap.servers");
        assertThat(kafka.encrypted()).isFalse();
        assertThat(kafka.describe()).isEqualTo("127.0.0.1:9092 (PLAINTEXT)");
        assertThat(new KafkaConnection("k:9092", Map.of("security.protocol", "SASL_PLAINTEXT")).encrypted())
                .as("SASL without TLS authenticates but does not encrypt").isFalse();
    }

    @Test
    void describingTheConnectionNeverShowsAPasswordOrTheJaasLine() {
        KafkaConnection kafka = new KafkaConnection("kafka:9094", Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "PLAIN", "sasl.jaas.config", JAAS, "ssl.truststore.password", "trust-secret"));

        assertThat(kafka.describe()).isEqualTo("kafka:9094 (SASL_SSL, PLAIN)");
        assertThat(kafka.toString()).doesNotContain("not-for-logs").doesNotContain("trust-secret")
                .doesNotContain("PlainLoginModule");
    }

    @Test
    void settingsCareweaveOwnsCannotBeOverridden() {
        for (String key : new String[] {"acks", "enable.idempotence", "isolation.level", "bootstrap.servers",
            "transactional.id", "processing.guarantee"}) {
            assertThatThrownBy(() -> new KafkaConnection("k:9092", Map.of(key, "x")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + key + "'")
                    .hasMessageContaining("security.protocol, ssl.* and sasl.*");
        }
    }

    @Test
    void anUnknownSecurityProtocolOrNoBootstrapServersIsRefused() {
        assertThatThrownBy(() -> new KafkaConnection("k:9092", Map.of("security.protocol", "TLS")))
                .hasMessageContaining("'TLS' is not one of [PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL]");
        assertThatThrownBy(() -> KafkaConnection.plaintext(" ")).hasMessageContaining("bootstrap servers");
    }

    @Test
    void readsTheSettingsFromAPropertiesFileAsKafkasToolsDo() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka-client.properties"), """
                # TLS to the brokers, SCRAM to authenticate
                security.protocol=SASL_SSL
                ssl.truststore.location=/etc/careweave/kafka-ca.p12
                ssl.truststore.type=PKCS12
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                    username="careweave" password="secret";
                """);

        KafkaConnection kafka = KafkaConnection.withSettingsFile("kafka:9094", file);

        assertThat(kafka.securityProtocol()).isEqualTo("SASL_SSL");
        assertThat(kafka.clientSettings()).containsEntry("sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"careweave\""
                        + " password=\"secret\";");
        assertThat(kafka.describe()).isEqualTo("kafka:9094 (SASL_SSL, SCRAM-SHA-512)");
    }

    @Test
    void aFileWithAForbiddenKeyOrNoFileAtAllIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"), "security.protocol=SSL\nacks=1\n");

        assertThatThrownBy(() -> KafkaConnection.withSettingsFile("kafka:9094", file))
                .hasMessageStartingWith(file + ": 'acks' is not a Kafka connection setting");
        assertThatThrownBy(() -> KafkaConnection.withSettingsFile("kafka:9094", dir.resolve("missing.properties")))
                .hasMessageContaining("Cannot read the Kafka client settings file");
    }

    @Test
    void theExternalPlatformTakesItsKafkaConnectionFromTheSettingsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka-client.properties"), "security.protocol=SSL\n");

        PlatformConfig config = PlatformConfig.from(SettingsSource.of(Map.of(
                "platform", "external",
                "kafka.bootstrap.servers", "kafka:9094",
                "kafka.client.config", file.toString(),
                "schema.registry.url", "https://registry:8081",
                "jdbc.url", "jdbc:postgresql://db/careweave")));

        try (Platform platform = Platforms.open(config, line -> { })) {
            assertThat(platform.kafka().describe()).isEqualTo("kafka:9094 (SSL)");
            assertThat(platform.bootstrapServers()).isEqualTo("kafka:9094");
        }
    }

    @Test
    void theEmbeddedPlatformRefusesKafkaSecuritySettings() {
        assertThatThrownBy(() -> PlatformConfig.from(SettingsSource.of(Map.of(
                "data.dir", dir.toString(), "kafka.client.config", "/etc/careweave/kafka-client.properties"))))
                .hasMessage("kafka.client.config applies to platform external only, not embedded");
    }
}
