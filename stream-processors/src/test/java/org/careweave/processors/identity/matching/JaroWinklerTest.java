package org.careweave.processors.identity.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class JaroWinklerTest {

    @Test
    void matchesWinklersPublishedValues() {
        assertThat(JaroWinkler.similarity("martha", "marhta")).isCloseTo(0.961, within(0.001));
        assertThat(JaroWinkler.similarity("dwayne", "duane")).isCloseTo(0.840, within(0.001));
        assertThat(JaroWinkler.similarity("dixon", "dicksonx")).isCloseTo(0.813, within(0.001));
    }

    @Test
    void identicalIsOneAndNothingInCommonIsZero() {
        assertThat(JaroWinkler.similarity("smith", "smith")).isEqualTo(1.0);
        assertThat(JaroWinkler.similarity("abc", "xyz")).isEqualTo(0.0);
        assertThat(JaroWinkler.similarity("", "smith")).isEqualTo(0.0);
    }

    @Test
    void isSymmetric() {
        assertThat(JaroWinkler.similarity("smyth", "smith")).isEqualTo(JaroWinkler.similarity("smith", "smyth"));
    }

    @Test
    void longStringsGiveTheSameValueAsTheBitMaskPath() {
        String a = "flat4rosebankcourt".repeat(4);
        String b = "flat4rosebankcuort".repeat(4);
        assertThat(a.length()).isGreaterThan(64);
        double shortValue = JaroWinkler.similarity(a.substring(0, 60), b.substring(0, 60));
        assertThat(JaroWinkler.similarity(a, b)).isBetween(0.9, 1.0);
        assertThat(shortValue).isBetween(0.9, 1.0);
    }
}
