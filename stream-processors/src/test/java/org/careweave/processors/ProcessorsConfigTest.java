package org.careweave.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.careweave.platform.KafkaConnection;
import org.careweave.platform.config.SettingsSource;
import org.junit.jupiter.api.Test;

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
}
