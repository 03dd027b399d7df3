package org.careweave.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The secondary-use topics' compaction lag, as the real broker took it when careweave created them. */
@ExtendWith(EmbeddedPlatformExtension.class)
class TopicConfigsIT {

    @Test
    void theSecondaryUseTopicsAreCreatedWithTheirCompactionLagAndOthersWithTheBrokers(Platform platform)
            throws Exception {
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), "it-lag.", 1, (short) 1);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers()))) {
            assertThat(lag(admin, "it-lag.secondary.persons")).isEqualTo("86400000");
            assertThat(lag(admin, "it-lag.secondary.results")).isEqualTo("86400000");
            assertThat(config(admin, "it-lag.person.views").get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG).source())
                    .isNotEqualTo(ConfigSource.DYNAMIC_TOPIC_CONFIG);
        }
    }

    private static String lag(Admin admin, String topic) throws Exception {
        return config(admin, topic).get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG).value();
    }

    private static Config config(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
}
