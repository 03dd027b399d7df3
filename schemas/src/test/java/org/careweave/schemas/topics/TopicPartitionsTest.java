package org.careweave.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * patient.events and identity.decisions are created with one partition whatever the deployment's setting (identity
 * reads both in its one task); every other topic follows the setting.
 */
class TopicPartitionsTest {

    @Test
    void patientEventsHasOnePartitionSoThatIdentityCanReadItWithoutARepartition() {
        assertThat(Topics.PATIENT_EVENTS.partitionsToCreate(3)).isEqualTo(1);
        assertThat(Topics.PATIENT_EVENTS.partitionsToCreate(12)).isEqualTo(1);
    }

    @Test
    void reviewDecisionsHaveOnePartitionSoThatIdentityAppliesThemInItsOneTask() {
        assertThat(Topics.IDENTITY_DECISIONS.partitionsToCreate(3)).isEqualTo(1);
    }

    @Test
    void everyOtherTopicHasTheDeploymentsPartitions() {
        assertThat(Topics.all())
                .filteredOn(topic -> topic != Topics.PATIENT_EVENTS && topic != Topics.IDENTITY_DECISIONS)
                .allSatisfy(topic -> assertThat(topic.partitionsToCreate(6)).isEqualTo(6));
    }
}
