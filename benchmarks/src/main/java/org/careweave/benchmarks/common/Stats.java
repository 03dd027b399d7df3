package org.careweave.benchmarks.common;

import java.util.Arrays;
import java.util.List;

/** Medians and rounding for reports. */
public final class Stats {

    private Stats() {
    }

    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** a ÷ b, or NaN when b is 0. */
    public static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : round(a / b, 2);
    }
}
