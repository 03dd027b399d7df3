package org.careweave.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.careweave.events.SecondaryPerson;
import org.careweave.schemas.topics.Topic.Cleanup;
import org.junit.jupiter.api.Test;

/**
 * The configuration topics are created with. A compacted topic keeps a superseded record until its segment is rolled
 * and the cleaner passes: on the secondary-use topics that record is an opted-out person's, which analysts may read
 * until then, so those topics bound how long that takes.
 */
class TopicConfigsTest {

    private static final String ONE_DAY_MS = Long.toString(Duration.ofDays(1).toMillis());

    @Test
    void theSecondaryUseTopicsHaveRetractedRecordsCompactedAwayWithinADay() {
        for (Topic<?> topic : new Topic<?>[] {Topics.SECONDARY_PERSONS, Topics.SECONDARY_RESULTS}) {
            assertThat(topic.configs()).as(topic.suffix())
                    .containsEntry("cleanup.policy", "compact")
                    .containsEntry("max.compaction.lag.ms", ONE_DAY_MS)
                    // Kept as they were: a tombstone must still outlive a consumer's week behind.
                    .containsEntry("delete.retention.ms", Long.toString(Duration.ofDays(7).toMillis()))
                    .containsEntry("retention.ms", "-1");
        }
    }

    @Test
    void otherTopicsKeepTheBrokersCompactionLag() {
        assertThat(Topics.all())
                .filteredOn(t -> t != Topics.SECONDARY_PERSONS && t != Topics.SECONDARY_RESULTS)
                .allSatisfy(t -> assertThat(t.configs()).as(t.suffix()).doesNotContainKey("max.compaction.lag.ms"));
    }

    @Test
    void aCompactionLagIsRefusedOnATopicThatIsNotCompacted() {
        assertThatThrownBy(() -> new Topic<>("it.deleted", SecondaryPerson.class, Cleanup.DELETE, null, "key",
                "description", null, null, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
