package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.careweave.platform.config.SettingsSource;
import org.careweave.processors.ProcessorsConfig;
import org.junit.jupiter.api.Test;

class ReplayCommandTest {

    @Test
    void replaysWithTheProcessorsSettingsAsDeployedButWithoutTheSecondaryUseStream() {
        // Secondary use on and no pseudonym key: the live processors would refuse to start; a replay needs none.
        SettingsSource deployed = SettingsSource.of(Map.of("processors.max.record.bytes", "33554432",
                "processors.views.publish.delay.ms", "50", "secondary.enabled", "true"));

        ProcessorsConfig replay = ReplayCommand.processorsConfig(deployed);

        assertThat(replay.maxRecordBytes()).isEqualTo(33_554_432);
        assertThat(replay.viewsPublishDelayMs()).isEqualTo(50);
        assertThat(replay.secondary()).isEmpty();
    }
}
