package org.careweave.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    @Test
    void confluentDefaults() {
        assertThat(AvroSerdeConfig.fromConfigs(Map.of())).isEqualTo(new AvroSerdeConfig(true, false, false));
    }

    @Test
    void readsBooleansGivenAsStringsOrBooleans() {
        AvroSerdeConfig config = AvroSerdeConfig.fromConfigs(Map.of(
                "auto.register.schemas", "false", "specific.avro.reader", true));

        assertThat(config).isEqualTo(new AvroSerdeConfig(false, false, true));
    }

    @Test
    void useLatestVersionTurnsAutoRegistrationOffUnlessSetExplicitly() {
        assertThat(AvroSerdeConfig.fromConfigs(Map.of("use.latest.version", "true")))
                .isEqualTo(new AvroSerdeConfig(false, true, false));
    }

    @Test
    void useLatestVersionWithAutoRegistrationIsRefused() {
        assertThatThrownBy(() -> AvroSerdeConfig.fromConfigs(Map.of(
                "use.latest.version", true, "auto.register.schemas", true)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auto.register.schemas=false");
    }

    @Test
    void nonBooleanIsRefused() {
        assertThatThrownBy(() -> AvroSerdeConfig.fromConfigs(Map.of("specific.avro.reader", "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("specific.avro.reader");
    }
}
