package org.careweave.processors.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A persistent, changelogged key-value store that keeps values as objects and writes them out once per commit.
 *
 * <p>Why: Kafka Streams' own store cache holds serialised bytes, so every {@code put} serialises the value, however
 * often the same key is written before the next commit (a person's state is rewritten for every one of the 5–40
 * results of a lab report; a blocking key's list for every record that joins it). Profiles of the rebuild put a fifth
 * of the processors' CPU in those serialisations and in the byte cache. This store keeps written values as objects
 * and hands each key's last value to the real store (RocksDB, changelog) once, when Kafka Streams flushes caches
 * before it commits; reads of recent keys cost no deserialisation either.
 *
 * <p>Exactly-once holds because of when that happens: Kafka Streams calls {@link #flushCache()} on every
 * {@link CachedStateStore} while preparing a commit, before it flushes the producer and commits the transaction (the
 * same hook that makes its own caches safe), so the changelog records of a commit's writes are in that commit's
 * transaction. A task closed without committing (a failure, an aborted transaction) closes the store, which drops the
 * unwritten values with the transaction they belonged to; the restored store then matches the committed offsets.
 * {@code CachedStateStore} is an internal interface of Kafka Streams (its DSL caches use it); it is pinned with the
 * Kafka version in the parent pom.
 *
 * <p>Values are shared, not copied: a processor that changes a value it read must put it back (every processor here
 * does), and must not change a value after putting it unless it puts it again.
 */
public final class WriteBehindStore<K, V> implements KeyValueStore<K, V>, CachedStateStore<K, V> {

    private final KeyValueStore<K, V> store;
    /**
     * Stands in {@link #clean} for a key the store does not have. Identity asks for the same new blocking key or
     * source record several times while it decides one record (match, then attach), and for a full block's next
     * chunk at every record of that block; without it each of those asks searched RocksDB's memtables and files
     * again for a key that is not there (RocksDB lookups were 29% of the processors' samples at 400 msg/s).
     */
    private static final Object ABSENT = new Object();
    /** A key filter's first size at least: 1.5 MB (12 bits per key). */
    private static final long MINIMUM_FILTER_KEYS = 1_000_000;
    /** RocksDB's key count is an estimate (Long.MAX_VALUE when it overflows): no first filter is sized past this. */
    private static final long MAXIMUM_FIRST_FILTER_KEYS = 100_000_000;

    /** Values written since the last flush; a {@code null} value is a delete. */
    private final Map<K, V> dirty = new HashMap<>();
    /** Recently read or flushed values, and keys known to be absent ({@link #ABSENT}). */
    private final RecentValues<K> clean;

    /**
     * Serialises keys for {@link #mayExist}; null when the store has no such filter. A lookup of a key RocksDB does
     * not have costs more than one of a key it has (its Java binding unwinds a C++ exception for "not found"), and
     * identity looks up every new record's source key, identifiers and blocking keys before it writes them: such
     * lookups were 16% of identity's stream thread on FEBRL.
     */
    private final Serializer<K> keySerializer;
    /** The filters' smallest first size. */
    private final long minimumFilterKeys;
    /**
     * Every key the store may hold. Built at first use from a scan of the store (after Kafka Streams restored it),
     * then kept up to date by this layer, the store's only writer while the task runs (keys join it when they are
     * flushed); dropped with the caches whenever Kafka Streams clears them or (re)initialises the store.
     */
    private KeyFilter mayExist;

    WriteBehindStore(KeyValueStore<K, V> store, int cleanCapacity) {
        this(store, cleanCapacity, value -> 1, null, 0);
    }

    /**
     * @param cleanWeight the most the values kept deserialised may weigh together
     * @param weigher     a value's weight (a key known to be absent weighs 1)
     */
    @SuppressWarnings("unchecked")
    WriteBehindStore(KeyValueStore<K, V> store, long cleanWeight, ToIntFunction<? super V> weigher,
                     Serializer<K> keySerializer, long minimumFilterKeys) {
        this.store = store;
        this.keySerializer = keySerializer;
        this.minimumFilterKeys = minimumFilterKeys;
        this.clean = new RecentValues<>(cleanWeight, value -> value == ABSENT ? 1 : weigher.applyAsInt((V) value));
    }

    /**
     * A builder of a persistent RocksDB store with a changelog, no Kafka Streams cache, and this write-behind layer
     * keeping up to {@code cleanCapacity} recently used values deserialised.
     */
    public static <K, V> StoreBuilder<WriteBehindStore<K, V>> builder(String name, Serde<K> keys, Serde<V> values,
                                                                     int cleanCapacity) {
        return builder(name, keys, values, cleanCapacity, value -> 1);
    }

    /**
     * As {@link #builder}, with a filter of the keys the store holds (about 1.5 MB per million keys), so that most
     * lookups of keys it does not hold are answered without RocksDB. For stores where such lookups are common.
     */
    public static <K, V> StoreBuilder<WriteBehindStore<K, V>> builderWithKeyFilter(String name, Serde<K> keys,
                                                                                  Serde<V> values,
                                                                                  int cleanCapacity) {
        return builderWithKeyFilter(name, keys, values, cleanCapacity, value -> 1);
    }

    /**
     * As {@link #builder(String, Serde, Serde, int)}, keeping recently used values up to a total {@code cleanWeight}
     * by the weigher's measure: for values whose sizes differ much, so that the cache's memory is bounded.
     */
    public static <K, V> StoreBuilder<WriteBehindStore<K, V>> builder(String name, Serde<K> keys, Serde<V> values,
                                                                     long cleanWeight,
                                                                     ToIntFunction<? super V> weigher) {
        return new Builder<>(rocksDb(name, keys, values), cleanWeight, weigher, null);
    }

    /**
     * As {@link #builderWithKeyFilter(String, Serde, Serde, int)}, keeping recently used values up to a total
     * {@code cleanWeight} by the weigher's measure, for values whose sizes differ much.
     */
    public static <K, V> StoreBuilder<WriteBehindStore<K, V>> builderWithKeyFilter(String name, Serde<K> keys,
                                                                                  Serde<V> values, long cleanWeight,
                                                                                  ToIntFunction<? super V> weigher) {
        return new Builder<>(rocksDb(name, keys, values), cleanWeight, weigher, keys.serializer());
    }

    /** The store below this layer: persistent RocksDB with a changelog and without Kafka Streams' own cache. */
    private static <K, V> StoreBuilder<KeyValueStore<K, V>> rocksDb(String name, Serde<K> keys, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values).withCachingDisabled();
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(K key) {
        if (dirty.containsKey(key)) {
            return dirty.get(key);
        }
        Object known = clean.get(key);
        if (known == ABSENT) {
            return null;
        }
        if (known != null) {
            return (V) known;
        }
        V value = mayExist(key) ? store.get(key) : null;
        clean.put(key, value == null ? ABSENT : value);
        return value;
    }

    @Override
    public void put(K key, V value) {
        dirty.put(key, value);
        clean.remove(key);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        for (KeyValue<K, V> entry : entries) {
            put(entry.key, entry.value);
        }
    }

    @Override
    public V delete(K key) {
        V existing = get(key);
        put(key, null);
        return existing;
    }

    /** Writes every value changed since the last flush to the store (and so to its changelog). */
    @Override
    public void flushCache() {
        if (dirty.isEmpty()) {
            return;
        }
        // One putAll: RocksDB writes the commit's values as one batch (a null value deletes), where a put per key
        // paid RocksDB's write path and a JNI crossing for every key.
        List<KeyValue<K, V>> batch = new ArrayList<>(dirty.size());
        // Written keys join the filter here, once per commit, not at every put: until now they were in dirty, which
        // get reads first.
        KeyFilter filter = keySerializer == null ? null : keyFilter();
        for (Map.Entry<K, V> entry : dirty.entrySet()) {
            batch.add(KeyValue.pair(entry.getKey(), entry.getValue()));
            clean.put(entry.getKey(), entry.getValue() == null ? ABSENT : entry.getValue());
            if (filter != null && entry.getValue() != null) {
                filter.add(serialize(entry.getKey()));
            }
        }
        store.putAll(batch);
        dirty.clear();
    }

    @Override
    public void clearCache() {
        dirty.clear();
        clean.clear();
        mayExist = null;
    }

    private boolean mayExist(K key) {
        return keySerializer == null || keyFilter().mightContain(serialize(key));
    }

    private KeyFilter keyFilter() {
        if (mayExist == null) {
            mayExist = scanKeys();
        }
        return mayExist;
    }

    /**
     * Reads every key in the store into a new filter, sized from the store's own estimate of its keys (the filter
     * grows if that was low), so that no list of all keys is held on the way. Through the serialised store below
     * the metered one where there is one (Kafka Streams' internal {@code WrappedStateStore}, pinned with the Kafka
     * version like {@code CachedStateStore}), so that no value is deserialised.
     */
    @SuppressWarnings("unchecked")
    private KeyFilter scanKeys() {
        long estimate = Math.min(store.approximateNumEntries(), MAXIMUM_FIRST_FILTER_KEYS);
        KeyFilter filter = new KeyFilter(Math.max(minimumFilterKeys, 2 * estimate));
        if (store instanceof WrappedStateStore<?, ?, ?> wrapped
                && wrapped.wrapped() instanceof KeyValueStore<?, ?> raw) {
            try (KeyValueIterator<Bytes, byte[]> all = ((KeyValueStore<Bytes, byte[]>) raw).all()) {
                all.forEachRemaining(entry -> filter.add(entry.key.get()));
            }
        } else {
            try (KeyValueIterator<K, V> all = store.all()) {
                all.forEachRemaining(entry -> filter.add(serialize(entry.key)));
            }
        }
        dirty.forEach((key, value) -> {
            if (value != null) {
                filter.add(serialize(key));
            }
        });
        return filter;
    }

    /** How many Bloom filters the key filter has needed (0: none built, or the store has no filter). */
    int keyFilters() {
        return mayExist == null ? 0 : mayExist.filters();
    }

    private byte[] serialize(K key) {
        return keySerializer.serialize(store.name(), key);
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return false; // nothing is forwarded from this store
    }

    // Scans read the store itself, so pending writes go there first.

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        flushCache();
        return store.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        flushCache();
        return store.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        flushCache();
        return store.all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        flushCache();
        return store.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        flushCache();
        return store.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return store.approximateNumEntries() + dirty.size();
    }

    @Override
    public String name() {
        return store.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        clearCache(); // the filter too: Kafka Streams restores the store below this layer after init
        store.init(context, root);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        store.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        store.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return store.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return store.managesOffsets();
    }

    /** Closing without a commit drops what was not written: it belonged to a transaction that will not commit. */
    @Override
    public void close() {
        clearCache();
        store.close();
    }

    @Override
    public boolean persistent() {
        return store.persistent();
    }

    @Override
    public boolean isOpen() {
        return store.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return store.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return store.getPosition();
    }

    private static final class Builder<K, V> implements StoreBuilder<WriteBehindStore<K, V>> {

        private final StoreBuilder<KeyValueStore<K, V>> store;
        private final long cleanWeight;
        private final ToIntFunction<? super V> weigher;
        private final Serializer<K> keySerializer;

        Builder(StoreBuilder<KeyValueStore<K, V>> store, long cleanWeight, ToIntFunction<? super V> weigher,
                Serializer<K> keySerializer) {
            this.store = store;
            this.cleanWeight = cleanWeight;
            this.weigher = weigher;
            this.keySerializer = keySerializer;
        }

        @Override
        public StoreBuilder<WriteBehindStore<K, V>> withCachingEnabled() {
            throw new UnsupportedOperationException("a write-behind store is its own cache");
        }

        @Override
        public StoreBuilder<WriteBehindStore<K, V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<WriteBehindStore<K, V>> withLoggingEnabled(Map<String, String> config) {
            store.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<WriteBehindStore<K, V>> withLoggingDisabled() {
            throw new UnsupportedOperationException("a write-behind store needs its changelog for exactly-once");
        }

        @Override
        public WriteBehindStore<K, V> build() {
            return new WriteBehindStore<>(store.build(), cleanWeight, weigher, keySerializer, MINIMUM_FILTER_KEYS);
        }

        @Override
        public Map<String, String> logConfig() {
            return store.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return store.loggingEnabled();
        }

        @Override
        public String name() {
            return store.name();
        }
    }
}
