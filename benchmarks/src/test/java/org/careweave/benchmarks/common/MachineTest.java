package org.careweave.benchmarks.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

class MachineTest {

    @Test
    void theParallelCapacityIsTheBestWindowOfAllThreadsOverTheBestWindowOfOne() {
        // Rates as a machine whose windows are disturbed now and then would give them (after the two warm-ups).
        Iterator<Double> ones = List.of(0.0, 50.0, 100.0, 90.0).iterator();
        Iterator<Double> alls = List.of(0.0, 180.0, 120.0, 200.0).iterator();
        double capacity = ParallelCapacity.measure(2, Duration.ofMillis(300),
                (threads, window) -> threads == 1 ? ones.next() : alls.next());

        assertThat(capacity).isEqualTo(2.0);
        assertThat(ParallelCapacity.measure(2, Duration.ofMillis(300), (threads, window) -> 0.0))
                .as("nothing measured").isZero();
    }

    @Test
    void theRealMeasurementIsAPositiveRatio() {
        // Timing on a shared machine: only that it measures something is asserted, never how much.
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
