package org.careweave.processors.state;

import java.util.ArrayList;
import java.util.List;

import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;

/**
 * The keys a store may hold, as Bloom filters over their serialised bytes: "no" is certain, "maybe" is wrong under
 * 0.5% of the time (0.41% measured for a filter holding all the keys it was sized for). It only grows: when the
 * newest filter has taken the keys it was sized for, a filter twice as large is added beside it, so nothing is
 * rescanned and a key stays found in whichever filter took it.
 *
 * <p>Written here rather than taken from Guava, whose {@code BloomFilter} this replaced: Guava hashes every key with a
 * streaming Murmur3-128 and sets bits all over a large array, and those two were 8% of identity's stream thread on
 * FEBRL (a new record's source key, identifiers and nine blocking keys are looked up, then added at the commit).
 * Here a key is hashed once with XXH3 (hash4j) and its bits all fall in one 512-bit block, one cache line: a "blocked"
 * Bloom filter (Putze, Sanders and Singler, 2007), which pays for that locality with slightly more false positives
 * per bit than a classic one; at 12 bits per key (1.5 MB per million keys) that is still about 0.4%.
 */
final class KeyFilter {

    private static final Hasher64 HASH = Hashing.xxh3_64();
    private static final int BITS_PER_KEY = 12;
    private static final int BITS_SET_PER_KEY = 7;
    /** 8 longs: 512 bits, one cache line. */
    private static final int WORDS_PER_BLOCK = 8;

    private final List<Filter> filters = new ArrayList<>();
    private long capacityOfNewest;
    private long keysInNewest;

    /** @param expectedKeys how many keys the first filter is sized for */
    KeyFilter(long expectedKeys) {
        addFilter(Math.max(1, expectedKeys));
    }

    void add(byte[] key) {
        if (keysInNewest >= capacityOfNewest) {
            addFilter(capacityOfNewest * 2);
        }
        if (filters.get(filters.size() - 1).put(HASH.hashBytesToLong(key))) {
            keysInNewest++;
        }
    }

    boolean mightContain(byte[] key) {
        long hash = HASH.hashBytesToLong(key);
        for (int i = filters.size() - 1; i >= 0; i--) {
            if (filters.get(i).mightContain(hash)) {
                return true;
            }
        }
        return false;
    }

    /** How many filters the keys have needed so far (1 until the first one filled). */
    int filters() {
        return filters.size();
    }

    private void addFilter(long capacity) {
        filters.add(new Filter(capacity));
        capacityOfNewest = capacity;
        keysInNewest = 0;
    }

    /** One blocked Bloom filter: the high half of a key's hash picks its block, the bits of the whole hash its bits. */
    private static final class Filter {

        private final long[] words;
        private final int blocks;

        Filter(long capacity) {
            long bits = Math.multiplyExact(capacity, BITS_PER_KEY);
            long blocks = Math.max(1, Math.min((bits + 511) / 512, Integer.MAX_VALUE / WORDS_PER_BLOCK));
            this.blocks = (int) blocks;
            this.words = new long[this.blocks * WORDS_PER_BLOCK];
        }

        /** @return whether a bit changed (the key was not in the filter yet) */
        boolean put(long hash) {
            int base = block(hash);
            long bits = bitSource(hash);
            boolean changed = false;
            for (int i = 0; i < BITS_SET_PER_KEY; i++) {
                int bit = (int) (bits >>> (9 * i)) & 511;
                int word = base + (bit >>> 6);
                long mask = 1L << bit;
                if ((words[word] & mask) == 0) {
                    words[word] |= mask;
                    changed = true;
                }
            }
            return changed;
        }

        boolean mightContain(long hash) {
            int base = block(hash);
            long bits = bitSource(hash);
            for (int i = 0; i < BITS_SET_PER_KEY; i++) {
                int bit = (int) (bits >>> (9 * i)) & 511;
                if ((words[base + (bit >>> 6)] & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }

        /** Lemire's multiply-shift range reduction of the hash's high 32 bits (no modulo). */
        private int block(long hash) {
            return (int) (((hash >>> 32) * blocks) >>> 32) * WORDS_PER_BLOCK;
        }

        /**
         * Seven 9-bit positions in the block. The hash is multiplied by an odd constant first, so that the positions
         * depend on all of its bits and not only on the half the block was chosen by.
         */
        private static long bitSource(long hash) {
            return hash * 0x9E3779B97F4A7C15L;
        }
    }
}
