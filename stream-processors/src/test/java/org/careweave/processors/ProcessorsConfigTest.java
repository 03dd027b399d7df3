package org.careweave.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

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
}
