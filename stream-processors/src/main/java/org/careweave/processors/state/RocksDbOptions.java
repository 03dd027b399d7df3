package org.careweave.processors.state;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

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
 */
public final class RocksDbOptions implements RocksDBConfigSetter {

    private static final double FILTER_SHARE_OF_MEMTABLE = 0.1;
    private static final long MANIFEST_PREALLOCATION_BYTES = 64 * 1024;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setMemtablePrefixBloomSizeRatio(FILTER_SHARE_OF_MEMTABLE);
        options.setMemtableWholeKeyFiltering(true);
        options.setManifestPreallocationSize(MANIFEST_PREALLOCATION_BYTES);
    }

    @Override
    public void close(String storeName, Options options) {
        // nothing allocated here
    }
}
