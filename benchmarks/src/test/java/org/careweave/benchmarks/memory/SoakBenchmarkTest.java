package org.careweave.benchmarks.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.careweave.benchmarks.memory.SoakBenchmark.Sample;
import org.careweave.benchmarks.memory.SoakBenchmark.Trend;
import org.junit.jupiter.api.Test;

class SoakBenchmarkTest {

    @Test
    void trendsLeaveOutTheFirstTenthAndTheDrainAndFitAnHourlySlope() {
        List<Sample> samples = new ArrayList<>();
        for (int minute = 1; minute <= 60; minute++) {
            // Start-up noise in the first minutes, then RSS growing 1 MiB a minute; open files flat.
            long rss = minute <= 5 ? 5_000 : 1_000 + minute;
            samples.add(sample(minute, rss, 800));
        }
        samples.add(sample(65, 9_999, 9_999)); // after the drain: not part of the trend
        List<Trend> trends = SoakBenchmark.trends(samples);
        Trend rss = trends.stream().filter(t -> t.what().equals("careweave RSS")).findFirst().orElseThrow();
        assertThat(rss.first()).isEqualTo(1_007);
        assertThat(rss.last()).isEqualTo(1_060);
        assertThat(rss.perHour()).isCloseTo(60, within(0.001));
        Trend files = trends.stream().filter(t -> t.what().equals("open files")).findFirst().orElseThrow();
        assertThat(files.perHour()).isEqualTo(0);
    }

    private static Sample sample(double minutes, long rss, double files) {
        return new Sample(minutes, 100, 0, 250, 10, 500, 0.1, 300, 0.02, 0.1, 160, files, rss, 500, 290, 300, 1.0, 100,
                20, 300, 0, 0);
    }
}
