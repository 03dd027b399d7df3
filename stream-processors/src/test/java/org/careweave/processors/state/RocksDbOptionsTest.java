package org.careweave.processors.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** Real RocksDB databases configured as Kafka Streams would have the setter configure them. */
class RocksDbOptionsTest {

    private static final long MIB = 1024L * 1024L;

    @Test
    void storesOfOneBudgetShareItsCacheAndTheirMemtablesStayWithinIt(@TempDir Path dir)
            throws RocksDBException, IOException {
        long budget = 32 * MIB;
        Map<String, Object> configs = Map.of(RocksDbOptions.MEMORY_BYTES_CONFIG, Long.toString(budget));
        RocksDbOptions.SharedMemory memory = RocksDbOptions.shared(budget);
        assertThat(RocksDbOptions.shared(budget)).isSameAs(memory);
        long usageBefore = memory.cache().getUsage();

        long bounded = largestMemtables(dir.resolve("bounded"), configs,
                () -> assertThat(memory.cache().getUsage()).as("memtables are charged to the shared cache")
                        .isGreaterThan(usageBefore));
        long unbounded = largestMemtables(dir.resolve("unbounded"), Map.of(), () -> { });

        // The manager asks for a flush once the mutable memtables pass half the budget; flushes run behind the
        // writes, so the memtables waiting for them can take the rest of it, but no more.
        assertThat(bounded).isLessThanOrEqualTo(budget);
        assertThat(unbounded).as("the same writes without a budget").isGreaterThan(budget);
    }

    @Test
    void withoutABudgetEachStoreKeepsKafkaStreamsOwnCache() {
        BlockBasedTableConfig table = new BlockBasedTableConfig();
        try (Options options = new Options()) {
            options.setTableFormatConfig(table);
            new RocksDbOptions().setConfig("c", options, Map.of());
            assertThat(options.tableFormatConfig()).isSameAs(table);
            assertThat(table.cacheIndexAndFilterBlocks()).isFalse();
        }
    }

    /** Writes 80 MiB to two stores, 1 KiB at a time, and gives the most their memtables held at once. */
    private static long largestMemtables(Path dir, Map<String, Object> configs, Runnable check)
            throws RocksDBException, IOException {
        Files.createDirectories(dir);
        byte[] value = new byte[1024];
        Arrays.fill(value, (byte) 'x');
        long largest = 0;
        try (Options a = storeOptions("a", configs); Options b = storeOptions("b", configs);
             RocksDB first = RocksDB.open(a, dir.resolve("a").toString());
             RocksDB second = RocksDB.open(b, dir.resolve("b").toString())) {
            for (int i = 0; i < 40_000; i++) {
                byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
                first.put(key, value);
                second.put(key, value);
                if (i % 500 == 499) {
                    largest = Math.max(largest, memtableBytes(first) + memtableBytes(second));
                    check.run();
                }
            }
            assertThat(first.get("key-1".getBytes(StandardCharsets.UTF_8))).isEqualTo(value);
        }
        return largest;
    }

    private static Options storeOptions(String name, Map<String, Object> configs) {
        // What Kafka Streams' RocksDBStore sets before it calls the setter.
        Options options = new Options().setCreateIfMissing(true).setWriteBufferSize(16 * MIB)
                .setMaxWriteBufferNumber(3);
        options.setTableFormatConfig(new BlockBasedTableConfig());
        new RocksDbOptions().setConfig(name, options, configs);
        return options;
    }

    private static long memtableBytes(RocksDB db) throws RocksDBException {
        return db.getLongProperty("rocksdb.cur-size-all-mem-tables");
    }
}
