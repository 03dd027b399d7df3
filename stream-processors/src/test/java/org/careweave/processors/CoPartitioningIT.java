package org.careweave.processors;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A deployment whose golden records have another partition count than routing's inputs (person.golden created by
 * hand, or before topic.partitions was changed) is refused at start: Kafka Streams would run it, folding a person's
 * golden record and their results in different tasks.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class CoPartitioningIT {

    private static final String PREFIX = "it-copartitioning.";

    @Test
    void theProcessorsRefuseToStartWhenPersonGoldenHasAnotherPartitionCount(Platform platform,
                                                                           @TempDir Path stateDir) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.PERSON_GOLDEN.name(PREFIX), 1, (short) 1))).all().get();
        }
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 3, (short) 1);

        assertThatThrownBy(() -> ProcessorsService.start(
                ProcessorsConfig.defaults().withApplicationId("it-copartitioning"), platform.kafka(),
                platform.schemaRegistryUrl(), PREFIX, (short) 1, stateDir, new SimpleMeterRegistry()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("same number of partitions")
                .hasMessageContaining(PREFIX + "identity.links has 3, " + PREFIX + "observation.events has 3, "
                        + PREFIX + "encounter.events has 3, " + PREFIX + "person.golden has 1");
    }
}
