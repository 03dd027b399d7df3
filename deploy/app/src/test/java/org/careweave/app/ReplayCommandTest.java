package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.careweave.platform.config.SettingsSource;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.replay.Replay;
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

    @Test
    void aRerunOfAFinishedReplaySaysItContinuedTheLabelAndHowToStartAfresh() {
        Replay.Summary rerun = new Replay.Summary(0, 120, 0, 0, 0, 0, Map.of(), Duration.ofSeconds(3));

        assertThat(ReplayCommand.notes(rerun, "v2-start-end-")).singleElement().asString()
                .contains("continued the replay labelled v2-start-end-").contains("had read 120 raw messages")
                .contains("new --label");
    }

    @Test
    void aReplayThatMappedNothingSaysSo() {
        Replay.Summary nothing = new Replay.Summary(40, 0, 0, 40, 0, 0, Map.of(), Duration.ofSeconds(3));

        assertThat(ReplayCommand.notes(nothing, "v2-start-end-NOSUCH")).singleElement().asString()
                .contains("no raw message was selected and mapped");
        assertThat(ReplayCommand.notes(new Replay.Summary(40, 0, 40, 0, 0, 0, Map.of(), Duration.ofSeconds(3)),
                "v2-start-end-")).isEmpty();
    }
}
