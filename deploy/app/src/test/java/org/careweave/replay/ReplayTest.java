package org.careweave.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class ReplayTest {

    private static final TopicPartition EVENTS = new TopicPartition("v2.patient.events", 0);
    private static final TopicPartition DECISIONS = new TopicPartition("v2.identity.decisions", 0);

    @Test
    void inputsWithNoRecordsAndNoCommittedOffsetAreNothingToRead() {
        assertThat(Replay.lag(Map.of(), Map.of(EVENTS, 0L, DECISIONS, 0L), Map.of(EVENTS, 0L, DECISIONS, 0L)))
                .isZero();
    }

    @Test
    void aPartitionWithRecordsTheProcessorsHaveNotCommittedIsStillToRead() {
        // Kafka Streams commits only partitions it has read: no offset there yet is not "caught up".
        assertThat(Replay.lag(Map.of(EVENTS, 11L), Map.of(EVENTS, 0L, DECISIONS, 0L),
                Map.of(EVENTS, 11L, DECISIONS, 3L))).isEqualTo(3);
        // Within a transaction marker of the end is caught up.
        assertThat(Replay.lag(Map.of(EVENTS, 10L, DECISIONS, 3L), Map.of(), Map.of(EVENTS, 11L, DECISIONS, 3L)))
                .isZero();
    }

    @Test
    void aStreamApplicationThatStoppedEndsTheWaitSayingWhy() {
        assertThat(Replay.stopped("processors", () -> KafkaStreams.State.RUNNING, Optional::empty)).isEmpty();
        assertThat(Replay.stopped("processors", () -> KafkaStreams.State.REBALANCING, Optional::empty)).isEmpty();
        assertThat(Replay.stopped("processors (careweave-replay-processors-x)", () -> KafkaStreams.State.ERROR,
                () -> Optional.of("RecordTooLargeException on v2.person.views")))
                .hasValueSatisfying(why -> assertThat(why).contains("careweave-replay-processors-x")
                        .contains("ERROR").contains("Kafka refused: RecordTooLargeException on v2.person.views"));
        assertThat(Replay.stopped("mapping", () -> KafkaStreams.State.NOT_RUNNING, Optional::empty))
                .hasValueSatisfying(why -> assertThat(why).contains("mapping stopped (NOT_RUNNING)"));
    }
}
