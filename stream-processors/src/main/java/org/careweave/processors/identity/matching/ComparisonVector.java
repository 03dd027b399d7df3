package org.careweave.processors.identity.matching;

/**
 * A pair's levels, one per comparison, packed four bits each into a long so the hot path allocates nothing.
 * Code 15 means a value was missing on either side.
 */
final class ComparisonVector {

    static final int MAX_COMPARISONS = 16;
    static final int MAX_LEVELS = 15;
    static final int MISSING = 15;
    static final String MISSING_LEVEL = "missing";

    private ComparisonVector() {
    }

    static int level(long vector, int comparison) {
        return (int) (vector >>> (comparison * 4)) & 0xF;
    }

    static long with(long vector, int comparison, int level) {
        return vector | ((long) level << (comparison * 4));
    }
}
