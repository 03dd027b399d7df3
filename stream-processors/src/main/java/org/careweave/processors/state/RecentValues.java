package org.careweave.processors.state;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The least recently used values a write-behind store keeps deserialised, bounded by their total weight: by default
 * each value weighs 1, so the bound is a count; a store whose values differ much in size (identity's block chunks hold
 * 1 to 25 records) weighs them by size, so that many small values fit where few large ones would.
 *
 * <p>Not thread-safe: a store belongs to one task, run by one stream thread.
 */
final class RecentValues<K> {

    private final LinkedHashMap<K, Weighed> values = new LinkedHashMap<>(1024, 0.75f, true);
    private final ToIntFunction<Object> weigher;
    private final long maxWeight;
    private long weight;

    /**
     * A value with its weight when it was put. The store hands out the object it keeps and processors change it in
     * place before putting it back (a person's state gains encounters and alerts), so weighing it again when it
     * leaves would take away more than was added, and the bound would drift upwards unnoticed.
     */
    private record Weighed(Object value, int weight) {
    }

    /**
     * @param weigher the weight of a value (at least 1); it sees the values put, including any marker the store
     *                puts for a key it knows to be absent
     */
    RecentValues(long maxWeight, ToIntFunction<Object> weigher) {
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    /** A value, now the most recently used; null when none is kept. */
    Object get(K key) {
        Weighed kept = values.get(key);
        return kept == null ? null : kept.value();
    }

    void put(K key, Object value) {
        Weighed added = new Weighed(value, weightOf(value));
        Weighed previous = values.put(key, added);
        if (previous != null) {
            weight -= previous.weight();
        }
        weight += added.weight();
        if (weight > maxWeight) {
            evictEldest();
        }
    }

    /** The value just put is the most recent, last in order: it stays, however heavy. */
    private void evictEldest() {
        Iterator<Map.Entry<K, Weighed>> eldest = values.entrySet().iterator();
        while (weight > maxWeight && values.size() > 1) {
            Map.Entry<K, Weighed> entry = eldest.next();
            weight -= entry.getValue().weight();
            eldest.remove();
        }
    }

    void remove(K key) {
        Weighed previous = values.remove(key);
        if (previous != null) {
            weight -= previous.weight();
        }
    }

    void clear() {
        values.clear();
        weight = 0;
    }

    int size() {
        return values.size();
    }

    long weight() {
        return weight;
    }

    private int weightOf(Object value) {
        return Math.max(1, weigher.applyAsInt(value));
    }
}
