package org.careweave.processors.state;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A state store with the most recently used values kept deserialised in memory. Reads of hot keys (a blocking key's
 * candidates, a busy person's state) then cost no deserialisation; every write still goes to the store, so the
 * store (and its changelog) stays the truth.
 *
 * <p>Safe under exactly-once: the cache belongs to one processor instance, and Kafka Streams re-creates the processor
 * (so the cache) whenever it restores the store, including after an aborted transaction.
 */
public final class CachedStore<K, V> {

    private final KeyValueStore<K, V> store;
    private final Map<K, V> recent;

    public CachedStore(KeyValueStore<K, V> store, int capacity) {
        this.store = store;
        this.recent = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    public V get(K key) {
        V value = recent.get(key);
        if (value == null) {
            value = store.get(key);
            if (value != null) {
                recent.put(key, value);
            }
        }
        return value;
    }

    public void put(K key, V value) {
        store.put(key, value);
        if (value == null) {
            recent.remove(key);
        } else {
            recent.put(key, value);
        }
    }

    public KeyValueStore<K, V> store() {
        return store;
    }
}
