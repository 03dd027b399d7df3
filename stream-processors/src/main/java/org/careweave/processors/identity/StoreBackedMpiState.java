package org.careweave.processors.identity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.streams.state.KeyValueStore;

/** The master patient index's state in Kafka Streams state stores (persistent, changelogged, exactly-once). */
final class StoreBackedMpiState implements MpiState {

    static final String SOURCE_RECORDS = "mpi-source-records";
    static final String LINKS = "mpi-identifier-links";
    static final String PERSONS = "mpi-persons";
    static final String BLOCKS = "mpi-blocks";
    static final String COUNTERS = "mpi-counters";
    static final String REVIEWS = "mpi-reviews";
    /**
     * Closed review pairs: pair id → the verdict a person decided, or how links settled it (SETTLED_SAME_PERSON,
     * SETTLED_DIFFERENT_PERSONS).
     */
    static final String DECISIONS = "mpi-review-decisions";
    /** Source key → the source keys a DIFFERENT_PERSONS decision keeps apart from it, one per line. */
    static final String DIFFERENT = "mpi-different";
    /**
     * Open review pairs that the persons' own links can settle (PROBABILISTIC_UNCERTAIN,
     * NHS_NUMBER_DEMOGRAPHICS_DISAGREE): pair id → its two source keys and its reason, one per line (pairs remembered
     * before the twenty-fourth session have no reason: they are uncertain pairs). Removed when the pair is decided or
     * settled.
     */
    static final String REVIEW_PAIRS = "mpi-review-pairs";
    /** Source key → the open pairs of {@link #REVIEW_PAIRS} that name it, one pair id per line. */
    static final String REVIEW_RECORDS = "mpi-review-records";
    private static final String PERSON_SEQUENCE = "person-sequence";
    static final int BLOCK_CHUNK = 25;

    /**
     * A block chunk's records, as stored: source keys and, position by position, their NHS numbers (null when the
     * record had none).
     */
    record Block(List<String> sourceKeys, List<String> nhsNumbers) {

        List<BlockEntry> entries() {
            List<BlockEntry> entries = new ArrayList<>(sourceKeys.size());
            for (int i = 0; i < sourceKeys.size(); i++) {
                entries.add(new BlockEntry(sourceKeys.get(i), nhsNumbers.get(i)));
            }
            return entries;
        }

        Block with(BlockEntry entry) {
            List<String> keys = new ArrayList<>(sourceKeys);
            keys.add(entry.sourceKey());
            List<String> numbers = new ArrayList<>(nhsNumbers);
            numbers.add(entry.nhsNumber());
            return new Block(keys, numbers);
        }
    }

    /**
     * Values each store keeps deserialised (they are write-behind stores, see IdentityTopology). Bounded by count, so
     * chosen for the processors' 1 GiB heap: at 100,000 per store a 1M-message rebuild spent its time in full GCs.
     */
    static final int CACHED = 50_000;
    /**
     * Block chunks are the largest values, and the most varied: 1 to {@value #BLOCK_CHUNK} entries. So they are kept by
     * weight (entries, plus one for the chunk itself), up to what 20,000 full chunks weigh: that many where blocks are
     * large (the load generator's names come from short lists), many more where most blocks hold a few records (FEBRL:
     * 90,000 chunks for 10,000 records, which a bound of 20,000 chunks sent back to RocksDB for 6% of identity's
     * thread).
     */
    static final long CACHED_BLOCK_WEIGHT = 20_000L * (BLOCK_CHUNK + 1);

    static int weight(Block chunk) {
        return 1 + chunk.sourceKeys().size();
    }

    private final KeyValueStore<String, SourceRecord> sourceRecords;
    private final KeyValueStore<String, String> links;
    private final KeyValueStore<String, Person> persons;
    private final KeyValueStore<String, Block> blocks;
    private final KeyValueStore<String, Long> counters;
    private final KeyValueStore<String, String> different;

    StoreBackedMpiState(KeyValueStore<String, SourceRecord> sourceRecords, KeyValueStore<String, String> links,
                        KeyValueStore<String, Person> persons, KeyValueStore<String, Block> blocks,
                        KeyValueStore<String, Long> counters, KeyValueStore<String, String> different) {
        this.sourceRecords = sourceRecords;
        this.links = links;
        this.persons = persons;
        this.blocks = blocks;
        this.counters = counters;
        this.different = different;
    }

    @Override
    public Set<String> decidedDifferent(String sourceKey) {
        String keys = different.get(sourceKey);
        return keys == null ? Set.of() : new LinkedHashSet<>(List.of(keys.split("\n")));
    }

    @Override
    public void decideDifferent(String sourceKeyA, String sourceKeyB) {
        addDifferent(sourceKeyA, sourceKeyB);
        addDifferent(sourceKeyB, sourceKeyA);
    }

    private void addDifferent(String sourceKey, String other) {
        Set<String> keys = decidedDifferent(sourceKey);
        if (!keys.contains(other)) {
            Set<String> more = new LinkedHashSet<>(keys);
            more.add(other);
            different.put(sourceKey, String.join("\n", more));
        }
    }

    @Override
    public Optional<SourceRecord> sourceRecord(String sourceKey) {
        return Optional.ofNullable(sourceRecords.get(sourceKey));
    }

    @Override
    public void put(SourceRecord record) {
        sourceRecords.put(record.sourceKey(), record);
    }

    @Override
    public Optional<String> personOf(String identifier) {
        return Optional.ofNullable(links.get(identifier));
    }

    @Override
    public void link(String identifier, String personId) {
        links.put(identifier, personId);
    }

    @Override
    public void unlink(String identifier) {
        links.delete(identifier);
    }

    @Override
    public Optional<Person> person(String personId) {
        return Optional.ofNullable(persons.get(personId));
    }

    @Override
    public void put(Person person) {
        persons.put(person.personId(), person);
    }

    /**
     * A blocking key's entries are stored in chunks of {@value #BLOCK_CHUNK} under {@code key#0}, {@code key#1}, ...:
     * a record joining a block then rewrites one small chunk at the next commit, not the whole list.
     */
    @Override
    public List<BlockEntry> block(String blockingKey) {
        List<BlockEntry> entries = new ArrayList<>();
        for (int chunk = 0; ; chunk++) {
            Block block = blocks.get(chunkKey(blockingKey, chunk));
            if (block == null) {
                return entries;
            }
            entries.addAll(block.entries());
            if (block.sourceKeys().size() < BLOCK_CHUNK) {
                return entries;
            }
        }
    }

    /** Walks the chunks once: the last one takes the entry, or a new one when the last is full. */
    @Override
    public boolean addToBlock(String blockingKey, BlockEntry entry, int maxEntries) {
        for (int chunk = 0; ; chunk++) {
            if (chunk * BLOCK_CHUNK >= maxEntries) {
                return false;
            }
            String key = chunkKey(blockingKey, chunk);
            Block block = blocks.get(key);
            if (block == null || block.sourceKeys().size() < BLOCK_CHUNK) {
                if (block != null && chunk * BLOCK_CHUNK + block.sourceKeys().size() >= maxEntries) {
                    return false;
                }
                blocks.put(key, (block == null ? new Block(List.of(), List.of()) : block).with(entry));
                return true;
            }
        }
    }

    private static String chunkKey(String blockingKey, int chunk) {
        return blockingKey + "#" + chunk;
    }

    @Override
    public long nextPersonSequence() {
        Long current = counters.get(PERSON_SEQUENCE);
        long next = current == null ? 1 : current + 1;
        counters.put(PERSON_SEQUENCE, next);
        return next;
    }
}
