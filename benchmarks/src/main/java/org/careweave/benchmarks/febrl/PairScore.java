package org.careweave.benchmarks.febrl;

import java.util.HashMap;
import java.util.Map;

/**
 * Precision, recall and F1 over record pairs placed in one person. With {@code crossOnly}, only pairs with one
 * record from each file count (FEBRL4); otherwise every pair (FEBRL3).
 */
record PairScore(long truePairs, long predictedPairs, long correctPairs) {

    static PairScore of(int[] person, int[] entity, boolean[] fromB, boolean crossOnly) {
        Map<Integer, int[]> sidesByPerson = new HashMap<>();
        Map<Long, int[]> sidesByPersonEntity = new HashMap<>();
        Map<Integer, int[]> sidesByEntity = new HashMap<>();
        for (int i = 0; i < person.length; i++) {
            int side = fromB[i] ? 1 : 0;
            sidesByPerson.computeIfAbsent(person[i], k -> new int[2])[side]++;
            sidesByEntity.computeIfAbsent(entity[i], k -> new int[2])[side]++;
            sidesByPersonEntity.computeIfAbsent(((long) person[i] << 32) | entity[i], k -> new int[2])[side]++;
        }
        return new PairScore(pairs(sidesByEntity, crossOnly), pairs(sidesByPerson, crossOnly),
                pairs(sidesByPersonEntity, crossOnly));
    }

    private static <K> long pairs(Map<K, int[]> groups, boolean crossOnly) {
        long total = 0;
        for (int[] sides : groups.values()) {
            if (crossOnly) {
                total += (long) sides[0] * sides[1];
            } else {
                long n = sides[0] + sides[1];
                total += n * (n - 1) / 2;
            }
        }
        return total;
    }

    double precision() {
        return predictedPairs == 0 ? 1.0 : (double) correctPairs / predictedPairs;
    }

    double recall() {
        return truePairs == 0 ? 1.0 : (double) correctPairs / truePairs;
    }

    double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
