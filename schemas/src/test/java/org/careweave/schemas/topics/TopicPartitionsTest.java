package org.careweave.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** patient.events is created with one partition whatever the deployment's setting; every other topic follows it. */
class TopicPartitionsTest {

    @Test
    void patientEventsHasOnePartitionSoThatIdentityCanReadItWithoutARepartition() {
        assertThat(Topics.PATIENT_EVENTS.partitionsToCreate(3)).isEqualTo(1);
        assertThat(Topics.PATIENT_EVENTS.partitionsToCreate(12)).isEqualTo(1);
    }

    @Test
    void everyOtherTopicHasTheDeploymentsPartitions() {
        assertThat(Topics.all()).filteredOn(topic -> topic != Topics.PATIENT_EVENTS)
                .allSatisfy(topic -> assertThat(topic.partitionsToCreate(6)).isEqualTo(6));
    }
}
