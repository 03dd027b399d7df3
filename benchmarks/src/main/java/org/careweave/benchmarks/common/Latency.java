package org.careweave.benchmarks.common;

import org.HdrHistogram.Histogram;

/** A latency distribution in milliseconds, from an HdrHistogram recorded in microseconds. */
public record Latency(long count, double p50Ms, double p99Ms, double p999Ms, double maxMs, double meanMs) {

    /** Microseconds from 1 µs to 10 minutes, 3 significant digits. */
    public static Histogram newHistogram() {
        return new Histogram(1, 600_000_000L, 3);
    }

    public static Latency of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0, 0);
        }
        return new Latency(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()),
                Math.round(micros.getMean()) / 1000.0);
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
