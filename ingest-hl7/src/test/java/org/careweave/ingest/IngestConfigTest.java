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
}
