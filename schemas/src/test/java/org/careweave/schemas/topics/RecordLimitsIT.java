package org.careweave.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The largest record careweave's topics take, on the real broker: set at creation, raised later, never lowered. */
@ExtendWith(EmbeddedPlatformExtension.class)
class RecordLimitsIT {

    @Test
    void rawDeadLetterAndViewTopicsAreCreatedToTakeLargeRecordsAndOthersKeepTheClustersLimit(Platform platform) throws Exception {
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), "it-limits-new.", 1, (short) 1);
        try (Admin admin = admin(platform)) {
            assertThat(limit(admin, "it-limits-new.person.views")).isEqualTo(Topics.LARGE_RECORD_BYTES);
            assertThat(limit(admin, "it-limits-new.hl7.raw")).isEqualTo(Topics.LARGE_RECORD_BYTES);
            assertThat(limit(admin, "it-limits-new.hl7.deadletter")).isEqualTo(Topics.LARGE_RECORD_BYTES);
            assertThat(limit(admin, "it-limits-new.observation.events")).isEqualTo(Topics.LARGE_RECORD_BYTES);
            assertThat(limit(admin, "it-limits-new.identity.links")).isEqualTo(1024 * 1024 + 12); // the broker's
        }
    }

    @Test
    void anExistingPersonViewsTopicWithTheDefaultLimitIsRaisedWhenCareweaveStarts(Platform platform)
            throws Exception {
        String views = "it-limits-old.person.views";
        try (Admin admin = admin(platform)) {
            admin.createTopics(List.of(new NewTopic(views, 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact", TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048576")))).all().get();

            TopicProvisioner.ensureTopics(platform.bootstrapServers(), "it-limits-old.", 1, (short) 1);

            assertThat(limit(admin, views)).isEqualTo(Topics.LARGE_RECORD_BYTES);
        }
    }

    @Test
    void aLimitIsNeverLowered(Platform platform) throws Exception {
        try (Admin admin = admin(platform)) {
            admin.createTopics(List.of(new NewTopic("it-limits-large", 1, (short) 1).configs(Map.of(
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024))))).all().get();
            admin.createTopics(List.of(new NewTopic("it-limits-small", 1, (short) 1))).all().get();

            RecordLimits.Outcome outcome = RecordLimits.raise(admin, List.of("it-limits-large", "it-limits-small"),
                    Topics.LARGE_RECORD_BYTES);

            assertThat(outcome.raised()).containsOnlyKeys("it-limits-small");
            assertThat(outcome.refused()).isEmpty();
            assertThat(limit(admin, "it-limits-large")).isEqualTo(64 * 1024 * 1024);
            assertThat(limit(admin, "it-limits-small")).isEqualTo(Topics.LARGE_RECORD_BYTES);
        }
    }

    @Test
    void aTopicThatDoesNotExistIsReportedNotRaised(Platform platform) throws Exception {
        try (Admin admin = admin(platform)) {
            RecordLimits.Outcome outcome = RecordLimits.raise(admin, List.of("it-limits-missing"),
                    Topics.LARGE_RECORD_BYTES);

            assertThat(outcome.raised()).isEmpty();
            assertThat(outcome.refused()).containsOnlyKeys("it-limits-missing");
            assertThat(RecordLimits.command("it-limits-missing", Topics.LARGE_RECORD_BYTES))
                    .contains("--entity-name it-limits-missing").contains("max.message.bytes=16777216");
        }
    }

    private static Admin admin(Platform platform) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()));
    }

    private static int limit(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return Integer.parseInt(admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
    }
}
