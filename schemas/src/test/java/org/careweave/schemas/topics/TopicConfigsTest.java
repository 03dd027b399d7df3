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
    private static final short ONE_REPLICA = 1;

    @Test
    void theSecondaryUseTopicsHaveRetractedRecordsCompactedAwayWithinADay() {
        for (Topic<?> topic : new Topic<?>[] {Topics.SECONDARY_PERSONS, Topics.SECONDARY_RESULTS}) {
            assertThat(topic.configs(ONE_REPLICA)).as(topic.suffix())
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
                .allSatisfy(t -> assertThat(t.configs(ONE_REPLICA)).as(t.suffix()).doesNotContainKey("max.compaction.lag.ms"));
    }

    @Test
    void aCompactionLagIsRefusedOnATopicThatIsNotCompacted() {
        assertThatThrownBy(() -> new Topic<>("it.deleted", SecondaryPerson.class, Cleanup.DELETE, null, "key",
                "description", null, null, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onAClusterWithThreeReplicasEveryTopicNeedsTwoInSyncCopiesBeforeAWriteIsAcknowledged() {
        // acks=all waits for the replicas in sync only: with the broker's default of 1, an AA could rest on the
        // leader's copy alone.
        assertThat(Topics.all()).allSatisfy(t -> assertThat(t.configs((short) 3)).as(t.suffix())
                .containsEntry("min.insync.replicas", "2"));
        assertThat(Topics.HL7_RAW.configs((short) 5)).containsEntry("min.insync.replicas", "2");
    }

    @Test
    void withFewerThanThreeReplicasTheBrokersMinInSyncReplicasStands() {
        // One replica (embedded): nothing to wait for. Two: 2 would stop writes while either broker is down, and 1
        // would override a cluster that chose 2.
        for (short replicas : new short[] {1, 2}) {
            assertThat(Topics.all()).allSatisfy(t -> assertThat(t.configs(replicas)).as(t.suffix() + " " + replicas)
                    .doesNotContainKey("min.insync.replicas"));
        }
    }
}
