package org.careweave.processors.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * The processors' settings for every RocksDB store.
 *
 * <p>A Bloom filter over each store's memtables' whole keys. Why: many lookups the processors make are for keys that
 * are not there yet (a new person's blocking keys, source record, results). Kafka Streams' RocksDB stores have Bloom
 * filters on their files but none on their memtables, so each such lookup walked the skip lists of up to three 16 MiB
 * memtables before it reached the files' filters; in a profile of {@code careweave up} at 400 msg/s those skip-list
 * searches were the largest part of the processors' RocksDB time. The filter costs a tenth of each memtable's size
 * (1.6 MiB per 16 MiB memtable).
 *
 * <p>MANIFEST files preallocated 64 KiB instead of RocksDB's 4 MiB. Why: the processors run about 60 stores, each with
 * a MANIFEST that holds a few KiB, so `careweave up` reserved 232 MiB of disk (apparent size 1.3 MiB) before its first
 * message; a trial on a 300 MiB volume had most of it taken by that. A store whose MANIFEST outgrows 64 KiB extends it.
 *
 * <p>One memory budget for all stores ({@value #MEMORY_BYTES_CONFIG}, from
 * {@code processors.rocksdb.memory.megabytes}): a block cache shared by every store of the JVM, which also holds
 * their index and filter blocks and is charged for their memtables (half of it at most), as Kafka Streams'
 * documentation advises for bounding RocksDB's memory. Why:
 * by Kafka Streams' defaults each store has a 50 MiB block cache and up to three 16 MiB memtables of its own, so the
 * processors' 60 stores could take about 6 GiB off the heap, more than the containers the processors are sized for
 * (docs/operations.md); in an hour's soak of {@code careweave up} its memory outside the heap grew past 1.5 GiB.
 * Stores of one budget in one JVM (the processors, and tests that start them again) share one cache: it is never
 * closed, as it lives as long as the JVM.
 */
public final class RocksDbOptions implements RocksDBConfigSetter {

    /** The Kafka Streams property (passed through to this setter) with the budget in bytes; absent: no budget. */
    public static final String MEMORY_BYTES_CONFIG = "careweave.rocksdb.memory.bytes";

    private static final double FILTER_SHARE_OF_MEMTABLE = 0.1;
    private static final long MANIFEST_PREALLOCATION_BYTES = 64 * 1024;
    private static final double MEMTABLE_SHARE_OF_BUDGET = 0.5;
    /** Index and filter blocks go first into the cache's high-priority part, so data blocks do not push them out. */
    private static final double HIGH_PRIORITY_SHARE = 0.1;
    private static final Map<Long, SharedMemory> BUDGETS = new ConcurrentHashMap<>();

    /** The cache and memtable manager of one budget. */
    record SharedMemory(Cache cache, WriteBufferManager writeBuffers) {
        static SharedMemory of(long bytes) {
            RocksDB.loadLibrary(); // loaded already when Kafka Streams asks; not when asked first
            Cache cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_SHARE);
            return new SharedMemory(cache, new WriteBufferManager((long) (bytes * MEMTABLE_SHARE_OF_BUDGET), cache));
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setMemtablePrefixBloomSizeRatio(FILTER_SHARE_OF_MEMTABLE);
        options.setMemtableWholeKeyFiltering(true);
        options.setManifestPreallocationSize(MANIFEST_PREALLOCATION_BYTES);
        Object budget = configs.get(MEMORY_BYTES_CONFIG);
        if (budget != null) {
            SharedMemory memory = shared(Long.parseLong(budget.toString()));
            BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
            table.setBlockCache(memory.cache());
            table.setCacheIndexAndFilterBlocks(true);
            table.setCacheIndexAndFilterBlocksWithHighPriority(true);
            table.setPinTopLevelIndexAndFilter(true);
            options.setTableFormatConfig(table);
            options.setWriteBufferManager(memory.writeBuffers());
        }
    }

    /** The cache and memtable manager every store of this budget shares. */
    static SharedMemory shared(long bytes) {
        return BUDGETS.computeIfAbsent(bytes, SharedMemory::of);
    }

    @Override
    public void close(String storeName, Options options) {
        // nothing allocated here
    }
}
