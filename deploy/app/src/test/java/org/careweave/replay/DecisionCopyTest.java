package org.careweave.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DecisionCopyTest {

    private static DecisionCopy.Copied decision(String pair, String verdict) {
        return new DecisionCopy.Copied(pair, ByteBuffer.wrap(verdict.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRerunSkipsWhatTheTargetHoldsButNotALaterDecisionOnTheSamePair() {
        // A first run copied the refused decision only; the pair has had another since.
        Map<DecisionCopy.Copied, Integer> target = new HashMap<>(Map.of(decision("pair-1", "SAME_PERSON"), 1));

        assertThat(DecisionCopy.takeOne(target, decision("pair-1", "SAME_PERSON"))).isTrue();
        assertThat(DecisionCopy.takeOne(target, decision("pair-1", "DIFFERENT_PERSONS"))).isFalse();
    }

    @Test
    void eachCopyInTheTargetAnswersForOneSourceRecord() {
        Map<DecisionCopy.Copied, Integer> target = new HashMap<>(Map.of(decision("pair-1", "SAME_PERSON"), 1));

        assertThat(DecisionCopy.takeOne(target, decision("pair-1", "SAME_PERSON"))).isTrue();
        assertThat(DecisionCopy.takeOne(target, decision("pair-1", "SAME_PERSON"))).isFalse();
    }
}
