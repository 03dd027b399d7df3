package org.careweave.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.careweave.ingest.mapping.NhsNumbers;
import org.junit.jupiter.api.Test;

class TestNhsNumbersTest {

    @Test
    void checkDigitFollowsModulus11() {
        // 943 476 5919 is the NHS's own worked example: weights 10..2 give 299, 299 mod 11 = 2, 11 - 2 = 9.
        assertThat(TestNhsNumbers.checkDigit(943_476_591L)).isEqualTo(9);
        assertThat(TestNhsNumbers.isValid("9434765919")).isTrue();
        assertThat(TestNhsNumbers.isValid("9434765918")).isFalse();
    }

    @Test
    void generatedNumbersAreInThe999RangeDistinctAndValidForCareweave() {
        String[] numbers = TestNhsNumbers.first(20_000);
        Set<String> distinct = new HashSet<>(List.of(numbers));
        assertThat(distinct).hasSize(numbers.length);
        for (String n : numbers) {
            assertThat(n).hasSize(10).startsWith("999");
            assertThat(TestNhsNumbers.isValid(n)).as(n).isTrue();
            assertThat(NhsNumbers.isValid(n)).as(n).isTrue();
        }
    }

    @Test
    void theSameCountGivesTheSameNumbers() {
        assertThat(TestNhsNumbers.first(100)).containsExactly(TestNhsNumbers.first(100));
    }
}
