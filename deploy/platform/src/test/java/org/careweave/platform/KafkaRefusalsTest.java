package org.careweave.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaRefusalsTest {

    @Test
    void anAuthorisationErrorDeepInTheCausesIsARefusal() {
        KafkaRefusals refusals = new KafkaRefusals();
        Exception failure = new RuntimeException("task failed", new KafkaException("commit failed",
                new TransactionalIdAuthorizationException("Transactional Id authorization failed.")));

        assertThat(refusals.refused(failure)).isTrue();
        assertThat(refusals.refusal()).contains(
                "TransactionalIdAuthorizationException: Transactional Id authorization failed.");
    }

    @Test
    void aRejectedPasswordIsARefusalAndTheFirstRefusalIsKept() {
        KafkaRefusals refusals = new KafkaRefusals();

        assertThat(refusals.refused(new SaslAuthenticationException("Authentication failed"))).isTrue();
        refusals.refused(new TransactionalIdAuthorizationException("later"));

        assertThat(refusals.refusal()).contains("SaslAuthenticationException: Authentication failed");
    }

    @Test
    void aRecordTooLargeIsARefusalWithItsOwnRemedy() {
        KafkaRefusals refusals = new KafkaRefusals();
        Exception failure = new RuntimeException("Error encountered sending record to topic person.views",
                new RecordTooLargeException("The message is 1052785 bytes when serialized which is larger than"
                        + " 1048576, which is the value of the max.request.size configuration."));

        assertThat(refusals.refused(failure)).isTrue();
        assertThat(refusals.refusal()).hasValueSatisfying(r -> assertThat(r)
                .startsWith("RecordTooLargeException: The message is 1052785 bytes"));
        assertThat(refusals.remedy("raise the limit")).isEqualTo("raise the limit");
        assertThat(KafkaRefusals.tooLarge(failure)).isTrue();
        assertThat(KafkaRefusals.tooLarge(new RuntimeException(new TimeoutException("no leader")))).isFalse();
    }

    @Test
    void aPrincipalRefusedIsToldToCheckItsAcls() {
        KafkaRefusals refusals = new KafkaRefusals();
        refusals.refused(new TransactionalIdAuthorizationException("Transactional Id authorization failed."));

        assertThat(refusals.remedy("raise the limit")).contains("ACLs");
    }

    @Test
    void otherFailuresAreNot() {
        KafkaRefusals refusals = new KafkaRefusals();

        assertThat(refusals.refused(new RuntimeException(new TimeoutException("no leader")))).isFalse();
        assertThat(refusals.refused(new IllegalStateException("a bug"))).isFalse();
        assertThat(refusals.refusal()).isEmpty();
    }
}
