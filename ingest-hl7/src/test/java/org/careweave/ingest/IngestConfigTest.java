package org.careweave.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.careweave.platform.config.SettingsSource;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

    @Test
    void ingestWritesUncompressedUnlessToldOtherwise() {
        assertThat(IngestConfig.defaults().compression()).isEqualTo("none");
        assertThat(IngestConfig.from(SettingsSource.of(Map.of("ingest.compression", "lz4"))).compression())
                .isEqualTo("lz4");
    }

    @Test
    void aCompressionKafkaDoesNotKnowIsRefusedAtStart() {
        assertThatThrownBy(() -> IngestConfig.from(SettingsSource.of(Map.of("ingest.compression", "brotli"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ingest.compression").hasMessageContaining("lz4");
    }

    @Test
    void theListenerTakesNoMoreThanCareweavesTopicsTakeWithTheEnvelope() {
        assertThat(IngestConfig.from(SettingsSource.of(Map.of("mllp.max.message.bytes", "16711680")))
                .maxMessageBytes()).isEqualTo(16_711_680);
        assertThatThrownBy(() -> IngestConfig.from(SettingsSource.of(Map.of("mllp.max.message.bytes", "16777216"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mllp.max.message.bytes").hasMessageContaining("16711680");
    }
}
