package org.careweave.processors.identity.matching;

import java.util.HashMap;
import java.util.Map;

/**
 * How many pairs fell into each combination of levels. EM only needs these counts, so it iterates over a few
 * thousand distinct patterns instead of every pair.
 */
final class PatternCounts {

    private final Map<Long, double[]> counts = new HashMap<>();
    private long[] vectors;
    private double[] weights;

    void add(long vector) {
        counts.computeIfAbsent(vector, v -> new double[1])[0]++;
        vectors = null;
    }

    int size() {
        freeze();
        return vectors.length;
    }

    long vector(int pattern) {
        freeze();
        return vectors[pattern];
    }

    double count(int pattern) {
        freeze();
        return weights[pattern];
    }

    double total() {
        freeze();
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        return sum;
    }

    /** Patterns in ascending vector order, so that sums (and so estimates) do not depend on hash order. */
    private void freeze() {
        if (vectors != null) {
            return;
        }
        vectors = counts.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        weights = new double[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            weights[i] = counts.get(vectors[i])[0];
        }
    }
}
