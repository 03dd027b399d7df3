package org.careweave.benchmarks.febrl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
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

    @Test
    void rateAfterTheFirstCommitCountsFromTheEndOfTheFirstBurstOfLinks() {
        long ms = 1_000_000;
        // Three commits' links: 2 at 300-301 ms (the task's start came before), 3 at 400-402 ms, 2 at 500 ms.
        List<Long> arrivals = List.of(300 * ms, 301 * ms, 400 * ms, 401 * ms, 402 * ms, 500 * ms, 500 * ms);

        var bursts = IdentityThroughputBenchmark.Bursts.of(arrivals, Duration.ofMillis(20));

        assertThat(bursts.firstBurst()).isEqualTo(2);
        // 5 links after the first burst, over the 199 ms from its last link to the last one.
        assertThat(bursts.recordsPerSecondAfterFirst()).isCloseTo(5 / 0.199, within(1e-9));
    }

    @Test
    void noRateAfterTheFirstCommitWhenEveryLinkCameInOneBurst() {
        long ms = 1_000_000;

        assertThat(IdentityThroughputBenchmark.Bursts.of(List.of(300 * ms, 305 * ms, 310 * ms), Duration.ofMillis(20))
                .recordsPerSecondAfterFirst()).isNaN();
        assertThat(IdentityThroughputBenchmark.Bursts.of(List.of(), Duration.ofMillis(20))
                .recordsPerSecondAfterFirst()).isNaN();
    }
}
