package org.careweave.processors.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The write-behind layer on its own, over a plain sorted map standing in for RocksDB and its changelog (which are
 * exercised by the topology integration tests on the real broker).
 */
class WriteBehindStoreTest {

    private final RecordingStore<String> inner = new RecordingStore<>("recording");
    private final WriteBehindStore<String, String> store = new WriteBehindStore<>(inner, 2);

    @Test
    void writesReachTheStoreOnlyWhenCachesAreFlushedAndThenOncePerKey() {
        store.put("p1", "a");
        store.put("p1", "b");
        store.put("p2", "c");

        assertThat(store.get("p1")).isEqualTo("b");
        assertThat(inner.writes).isEmpty();

        store.flushCache();

        assertThat(inner.writes).containsExactlyInAnyOrder("p1=b", "p2=c");
        assertThat(inner.data).containsEntry("p1", "b").containsEntry("p2", "c");
    }

    @Test
    void aFlushWritesItsValuesAndDeletesAsOneBatch() {
        inner.data.put("p3", "old");
        store.put("p1", "a");
        store.put("p2", "b");
        store.delete("p3");

        store.flushCache();
        store.flushCache(); // nothing left to write: no empty batch either

        assertThat(inner.batches).isEqualTo(1);
        assertThat(inner.writes).containsExactlyInAnyOrder("p1=a", "p2=b", "p3 deleted");
        assertThat(inner.data).containsOnlyKeys("p1", "p2");
    }

    @Test
    void deletesArePendingWritesToo() {
        inner.data.put("p1", "a");

        assertThat(store.delete("p1")).isEqualTo("a");
        assertThat(store.get("p1")).isNull();
        assertThat(inner.data).containsKey("p1");

        store.flushCache();

        assertThat(inner.data).doesNotContainKey("p1");
        assertThat(store.get("p1")).isNull();
    }

    @Test
    void closingWithoutAFlushDropsUnwrittenValues() {
        inner.data.put("p1", "committed");
        store.put("p1", "uncommitted");

        store.close();
        store.init(null, store);

        assertThat(store.get("p1")).isEqualTo("committed");
        assertThat(inner.writes).isEmpty();
    }

    @Test
    void readsOfStoredValuesAreKeptAndBoundedByCapacity() {
        inner.data.put("p1", "a");
        inner.data.put("p2", "b");
        inner.data.put("p3", "c");

        store.get("p1");
        store.get("p2");
        store.get("p1");
        store.get("p3"); // capacity 2: p2, the least recently used, leaves the cache
        inner.data.put("p2", "changed underneath");
        inner.data.put("p1", "changed underneath");

        assertThat(store.get("p1")).isEqualTo("a");
        assertThat(store.get("p2")).isEqualTo("changed underneath");
        assertThat(inner.reads).isEqualTo(4);
    }

    @Test
    void aKeyFoundMissingIsNotLookedUpAgainUntilWritten() {
        assertThat(store.get("new")).isNull();
        assertThat(store.get("new")).isNull();
        assertThat(inner.reads).isEqualTo(1);

        store.put("new", "a");
        assertThat(store.get("new")).isEqualTo("a");
        store.flushCache();
        assertThat(store.get("new")).isEqualTo("a");
        assertThat(inner.reads).isEqualTo(1);
    }

    @Test
    void aFlushedDeleteIsKnownMissing() {
        inner.data.put("p1", "a");
        store.delete("p1");
        store.flushCache();

        assertThat(store.get("p1")).isNull();
        assertThat(store.putIfAbsent("p1", "b")).isNull();
        assertThat(store.get("p1")).isEqualTo("b");
        assertThat(inner.reads).isEqualTo(1); // the delete's own read of the old value
    }

    @Test
    void knownMissingKeysShareTheCapacityAndAreForgottenOnReinit() {
        store.get("m1");
        store.get("m2");
        store.get("m3"); // capacity 2: m1 leaves
        inner.data.put("m1", "arrived");
        inner.data.put("m3", "arrived");

        assertThat(store.get("m1")).isEqualTo("arrived");
        assertThat(store.get("m3")).isNull();

        store.close();
        store.init(null, store);
        assertThat(store.get("m3")).isEqualTo("arrived");
    }

    @Test
    void scansSeePendingWrites() {
        inner.data.put("p1", "a");
        store.put("p2", "b");
        store.delete("p1");

        List<String> seen = new ArrayList<>();
        try (KeyValueIterator<String, String> all = store.all()) {
            all.forEachRemaining(kv -> seen.add(kv.key + "=" + kv.value));
        }

        assertThat(seen).containsExactly("p2=b");
    }

    @Test
    void putIfAbsentAndPutAllGoThroughTheLayer() {
        inner.data.put("p1", "a");

        assertThat(store.putIfAbsent("p1", "x")).isEqualTo("a");
        assertThat(store.putIfAbsent("p2", "y")).isNull();
        store.putAll(List.of(KeyValue.pair("p3", "z")));
        store.flushCache();

        assertThat(inner.data).containsExactlyEntriesOf(new TreeMap<>(Map.of("p1", "a", "p2", "y", "p3", "z")));
    }

    @Test
    void withAKeyFilterKeysTheStoreDoesNotHoldAreAnsweredWithoutReadingIt() {
        RecordingStore<String> below = new RecordingStore<>("filtered");
        below.data.put("p1", "a");
        WriteBehindStore<String, String> filtered = new WriteBehindStore<>(below, 2, value -> 1,
                new StringSerializer(), 4);

        assertThat(filtered.get("p2")).isNull();
        assertThat(filtered.get("p3")).isNull();
        assertThat(below.reads).isZero();
        assertThat(filtered.get("p1")).isEqualTo("a");
        assertThat(below.reads).isEqualTo(1);
    }

    @Test
    void withAKeyFilterKeysWrittenLaterAreFoundAfterTheyLeaveTheCacheAndTheFilterGrows() {
        RecordingStore<String> below = new RecordingStore<>("filtered");
        WriteBehindStore<String, String> filtered = new WriteBehindStore<>(below, 2, value -> 1,
                new StringSerializer(), 4);
        assertThat(filtered.get("k0")).isNull();

        for (int i = 1; i <= 20; i++) {
            filtered.put("k" + i, "v" + i);
        }
        filtered.flushCache();

        for (int i = 1; i <= 20; i++) {
            assertThat(filtered.get("k" + i)).isEqualTo("v" + i);
        }
        assertThat(filtered.keyFilters()).isGreaterThan(1);
    }

    @Test
    void withAKeyFilterKeysRestoredBelowTheLayerAreFoundAfterReinit() {
        RecordingStore<String> below = new RecordingStore<>("filtered");
        WriteBehindStore<String, String> filtered = new WriteBehindStore<>(below, 2, value -> 1,
                new StringSerializer(), 4);
        assertThat(filtered.get("restored")).isNull();

        below.data.put("restored", "r"); // what Kafka Streams' restore does, past this layer
        filtered.close();
        filtered.init(null, filtered);

        assertThat(filtered.get("restored")).isEqualTo("r");
    }

    @Test
    void weighedValuesAreKeptUpToTheirTotalWeightAndOthersAreReadAgain() {
        RecordingStore<String> below = new RecordingStore<>("weighed");
        WriteBehindStore<String, String> weighed = new WriteBehindStore<>(below, 6, String::length, null, 0);
        for (int i = 1; i <= 6; i++) {
            weighed.put("small" + i, "s");
        }
        weighed.flushCache();
        for (int i = 1; i <= 6; i++) {
            assertThat(weighed.get("small" + i)).isEqualTo("s");
        }
        assertThat(below.reads).as("six light values fit").isZero();

        weighed.put("large", "llllll");
        weighed.flushCache();
        assertThat(weighed.get("small1")).isEqualTo("s");

        assertThat(below.reads).as("the heavy value pushed the light ones out").isEqualTo(1);
    }
}
