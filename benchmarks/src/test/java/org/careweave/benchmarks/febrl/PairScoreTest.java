package org.careweave.benchmarks.febrl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PairScoreTest {

    @Test
    void crossFilePairsCountOnlyPairsWithOneRecordFromEachFile() {
        // Records: A0 A1 | B0 B1; true persons: {A0,B0}, {A1,B1}; predicted: {A0,B0,B1}, {A1}.
        int[] entity = {1, 2, 1, 2};
        boolean[] fromB = {false, false, true, true};
        int[] person = {0, 1, 0, 0};
        PairScore score = PairScore.of(person, entity, fromB, true);
        assertThat(score.truePairs()).isEqualTo(2);
        assertThat(score.predictedPairs()).isEqualTo(2);
        assertThat(score.correctPairs()).isEqualTo(1);
        assertThat(score.precision()).isEqualTo(0.5);
        assertThat(score.recall()).isEqualTo(0.5);
    }

    @Test
    void withinFileCountsEveryPairOfOnePerson() {
        int[] entity = {7, 7, 7, 8};
        boolean[] fromB = new boolean[4];
        int[] person = {0, 0, 1, 1};
        PairScore score = PairScore.of(person, entity, fromB, false);
        assertThat(score.truePairs()).isEqualTo(3);
        assertThat(score.predictedPairs()).isEqualTo(2);
        assertThat(score.correctPairs()).isEqualTo(1);
        assertThat(score.f1()).isEqualTo(0.4);
    }
}
