package org.careweave.benchmarks.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.Test;

class MachineTest {

    @Test
    void theParallelCapacityIsThePositiveRatioOfAllThreadsWorkToOnes() {
        // One thread against one thread: the same work, so about 1 whatever the machine (no speed is asserted).
        double same = ParallelCapacity.measure(1, Duration.ofMillis(200));
        assertThat(same).isBetween(0.5, 1.5);
        assertThat(ParallelCapacity.measure(2, Duration.ofMillis(200))).isPositive().isFinite();
    }

    @Test
    void aRunsDescriptionStatesTheCapacityBesideTheLoadAverage() {
        Machine machine = Machine.now().finished();
        assertThat(machine.parallelCapacityAtStart()).isPositive();
        assertThat(machine.describe())
                .contains("load average " + machine.loadAverageAtStart() + " at start")
                .contains("cores together did " + String.format(Locale.ROOT, "%.2f",
                        machine.parallelCapacityAtStart()) + "× one core's work");
    }
}
