package org.careweave.benchmarks.febrl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class IdentityThroughputBenchmarkTest {

    @Test
    void variedSettingTakesItsValuesInTurnRoundAfterRound() {
        var variation = IdentityThroughputBenchmark.Variation.parse("producer.batch.size=16384,262144").orElseThrow();

        assertThat(variation.key()).isEqualTo("producer.batch.size");
        assertThat(IntStream.range(0, 5).mapToObj(variation::valueFor))
                .containsExactly("16384", "262144", "16384", "262144", "16384");
    }

    @Test
    void noVariationWithoutTheOptionAndAClearErrorWithoutAKey() {
        assertThat(IdentityThroughputBenchmark.Variation.parse("")).isEmpty();
        assertThatThrownBy(() -> IdentityThroughputBenchmark.Variation.parse("16384,262144"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key=value1,value2");
    }
}
