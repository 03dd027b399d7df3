package org.careweave.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.careweave.platform.KafkaConnection;
import org.careweave.events.Coding;
import org.careweave.platform.config.SettingsSource;
import org.careweave.processors.results.LocalCodes;
import org.careweave.processors.results.ResultsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorsConfigTest {

    @Test
    void secondaryUseRunsByDefaultAndThenNeedsItsKey() {
        assertThatThrownBy(() -> ProcessorsConfig.from(SettingsSource.of(Map.of())))
                .hasMessageContaining("CAREWEAVE_SECONDARY_PSEUDONYM_KEY");
        assertThat(ProcessorsConfig.from(SettingsSource.of(Map.of("secondary.pseudonym.key", "k".repeat(40))))
                .secondary()).isPresent();
    }

    @Test
    void secondaryUseSwitchedOffNeedsNoKeyAndIsNotRun() {
        ProcessorsConfig off = ProcessorsConfig.from(SettingsSource.of(Map.of("secondary.enabled", "false")));

        assertThat(off.secondary()).isEmpty();
        assertThat(ProcessorsConfig.from(SettingsSource.of(Map.of("secondary.enabled", "false",
                "secondary.pseudonym.key", "k".repeat(40)))).secondary()).isEmpty();
    }

    @Test
    void aDeploymentsOwnCodeMappingAndRetestRulesReplaceTheShippedExamples(@TempDir Path dir) throws IOException {
        Path codes = Files.writeString(dir.resolve("codes.yaml"), """
                facilities:
                  RXX99:
                    - code: NA
                      loinc: 2951-2
                """);
        Path rules = Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - id: sodium-7d
                    codes: ["http://loinc.org|2951-2"]
                    minimumIntervalDays: 7
                    source: "the trust's own guidance"
                """);
        SettingsSource settings = SettingsSource.of(Map.of("secondary.enabled", "false",
                "results.local.codes", codes.toString(), "results.retest.rules", rules.toString()));

        ResultsConfig results = ProcessorsConfig.from(settings).results();

        Coding sodium = Coding.newBuilder().setSystem("RXX99").setCode("NA").build();
        assertThat(results.codes().map(sodium, "RXX99").code().getCode()).isEqualTo("2951-2");
        Coding shippedExample = Coding.newBuilder().setSystem("RHMX1").setCode("HBA1C").build();
        assertThat(results.codes().map(shippedExample, "RHMX1").code()).as("the examples are gone")
                .isEqualTo(shippedExample);
        assertThat(ProcessorsConfig.retestRules(settings).ruleFor(
                Coding.newBuilder().setSystem(LocalCodes.LOINC).setCode("2951-2").build()))
                .hasValueSatisfying(rule -> assertThat(rule.minimumIntervalDays()).isEqualTo(7));
        assertThat(ProcessorsConfig.defaults().results().codes().map(shippedExample, "RHMX1").code().getCode())
                .as("unset: the shipped file").isEqualTo("4548-4");
    }

    @Test
    void aCodeFileThatIsMissingOrDoesNotLoadStopsTheStartNamingTheSetting(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), """
                facilities:
                  RXX99:
                    - code: NA
                      loinc: sodium
                """);
        assertThatThrownBy(() -> ProcessorsConfig.from(SettingsSource.of(Map.of("secondary.enabled", "false",
                "results.local.codes", broken.toString()))))
                .hasMessageStartingWith("results.local.codes: ").hasMessageContaining("LOINC");
        assertThatThrownBy(() -> ProcessorsConfig.from(SettingsSource.of(Map.of("secondary.enabled", "false",
                "results.retest.rules", dir.resolve("absent.yaml").toString()))))
                .hasMessageContaining("results.retest.rules: no such file");
    }

    @Test
    void theLargestRecordIsSixteenMebibytesByDefaultAndNeverBelowKafkasOwnDefault() {
        assertThat(ProcessorsConfig.defaults().maxRecordBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(ProcessorsConfig.from(SettingsSource.of(Map.of("secondary.enabled", "false",
                "processors.max.record.bytes", "33554432"))).maxRecordBytes()).isEqualTo(32 * 1024 * 1024);
        assertThatThrownBy(() -> ProcessorsConfig.from(SettingsSource.of(Map.of("secondary.enabled", "false",
                "processors.max.record.bytes", "500000"))))
                .hasMessageContaining("processors.max.record.bytes").hasMessageContaining("1048576");
    }

    @Test
    void theProcessorsProducerAndTheirTopicsTakeRecordsUpToTheLimit() {
        Properties props = ProcessorsService.streamsProperties(
                ProcessorsConfig.defaults().withMaxRecordBytes(20_000_000), KafkaConnection.plaintext("127.0.0.1:9092"),
                (short) 1, Path.of("state"));

        assertThat(props.get("producer.max.request.size")).isEqualTo(20_000_000);
        assertThat(props.get("topic.max.message.bytes")).isEqualTo("20000000");
        assertThat(props.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG)).isEqualTo(OversizedRecords.class);
    }

    @Test
    void theProcessorsProducerSendsACommitInLargeBatches() {
        Properties props = ProcessorsService.streamsProperties(ProcessorsConfig.defaults(),
                KafkaConnection.plaintext("127.0.0.1:9092"), (short) 1, Path.of("state"));

        // What Kafka Streams hands its producers, so that a misspelt prefix (silently ignored) fails here.
        Map<String, Object> producer = new StreamsConfig(props).getProducerConfigs("careweave-processors-producer");
        assertThat(producer.get(ProducerConfig.BATCH_SIZE_CONFIG)).isEqualTo(256 * 1024);
        assertThat((Long) producer.get(ProducerConfig.BUFFER_MEMORY_CONFIG))
                .isGreaterThanOrEqualTo(90L * 256 * 1024);
    }

    @Test
    void theTopicsKafkaStreamsCreatesOnAReplicatedClusterNeedTwoInSyncCopies() {
        Properties replicated = ProcessorsService.streamsProperties(ProcessorsConfig.defaults(),
                KafkaConnection.plaintext("127.0.0.1:9092"), (short) 3, Path.of("state"));
        Properties embedded = ProcessorsService.streamsProperties(ProcessorsConfig.defaults(),
                KafkaConnection.plaintext("127.0.0.1:9092"), (short) 1, Path.of("state"));

        // The configs Kafka Streams gives the changelogs and repartition topics it creates.
        assertThat(new StreamsConfig(replicated).originalsWithPrefix(StreamsConfig.TOPIC_PREFIX))
                .containsEntry("min.insync.replicas", "2");
        assertThat(new StreamsConfig(embedded).originalsWithPrefix(StreamsConfig.TOPIC_PREFIX))
                .doesNotContainKey("min.insync.replicas");
    }
}
