package org.careweave.processors.state;

import java.util.ArrayList;
import java.util.List;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;

/**
 * The keys a store may hold, as Bloom filters over their serialised bytes: "no" is certain, "maybe" is wrong about 1%
 * of the time. It only grows: when the newest filter has taken the keys it was sized for, a filter twice as large is
 * added beside it, so nothing is rescanned and a key stays found in whichever filter took it.
 */
final class KeyFilter {

    private static final double FALSE_POSITIVES = 0.01;

    private final List<BloomFilter<byte[]>> filters = new ArrayList<>();
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
        if (filters.get(filters.size() - 1).put(key)) {
            keysInNewest++;
        }
    }

    boolean mightContain(byte[] key) {
        for (int i = filters.size() - 1; i >= 0; i--) {
            if (filters.get(i).mightContain(key)) {
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
        filters.add(BloomFilter.create(Funnels.byteArrayFunnel(), capacity, FALSE_POSITIVES));
        capacityOfNewest = capacity;
        keysInNewest = 0;
    }
}
