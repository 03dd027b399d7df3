package org.careweave.processors.state;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** A sorted in-memory key-value store that counts what reaches it: the writes a changelog would be sent. */
public final class RecordingStore<V> implements KeyValueStore<String, V> {

    private final String name;
    public final TreeMap<String, V> data = new TreeMap<>();
    public final List<String> writes = new ArrayList<>();
    public int reads;
    /** Calls of {@link #putAll}: RocksDB writes each as one batch. */
    public int batches;
    boolean open = true;

    public RecordingStore(String name) {
        this.name = name;
    }

    @Override
    public void put(String key, V value) {
        if (value == null) {
            delete(key); // KeyValueStore's contract: a null value deletes
            return;
        }
        writes.add(key + "=" + value);
        data.put(key, value);
    }

    @Override
    public V putIfAbsent(String key, V value) {
        // A write-behind layer answers putIfAbsent itself; a call reaching this store is a bug in the layer.
        throw new UnsupportedOperationException("putIfAbsent reached the store under the layer");
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        batches++;
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public V delete(String key) {
        writes.add(key + " deleted");
        return data.remove(key);
    }

    @Override
    public V get(String key) {
        reads++;
        return data.get(key);
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        return iterator(data.subMap(from, true, to, true));
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return iterator(data);
    }

    /** Prefixes are strings here (every store under test has string keys), as RocksDB compares their bytes. */
    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
        reads++;
        String from = (String) prefix;
        return iterator(data.subMap(from, true, from + Character.MAX_VALUE, false));
    }

    @Override
    public long approximateNumEntries() {
        return data.size();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        open = true;
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    private static <V> KeyValueIterator<String, V> iterator(Map<String, V> map) {
        Iterator<Map.Entry<String, V>> entries = new ArrayList<>(map.entrySet()).iterator();
        return new KeyValueIterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public KeyValue<String, V> next() {
                Map.Entry<String, V> e = entries.next();
                return KeyValue.pair(e.getKey(), e.getValue());
            }

            @Override
            public void close() {
            }

            @Override
            public String peekNextKey() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
