package org.careweave.processors.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.state.KeyValueStore;
import org.careweave.processors.state.CachedStore;

/** The master patient index's state in Kafka Streams state stores (persistent, changelogged, exactly-once). */
final class StoreBackedMpiState implements MpiState {

    static final String SOURCE_RECORDS = "mpi-source-records";
    static final String LINKS = "mpi-identifier-links";
    static final String PERSONS = "mpi-persons";
    static final String BLOCKS = "mpi-blocks";
    static final String COUNTERS = "mpi-counters";
    static final String REVIEWS = "mpi-reviews";
    private static final String PERSON_SEQUENCE = "person-sequence";

    /** A blocking key's source keys, as stored. */
    record Block(List<String> sourceKeys) {
    }

    private static final int CACHED = 100_000;

    private final CachedStore<String, SourceRecord> sourceRecords;
    private final CachedStore<String, String> links;
    private final CachedStore<String, Person> persons;
    private final CachedStore<String, Block> blocks;
    private final KeyValueStore<String, Long> counters;

    StoreBackedMpiState(KeyValueStore<String, SourceRecord> sourceRecords, KeyValueStore<String, String> links,
                        KeyValueStore<String, Person> persons, KeyValueStore<String, Block> blocks,
                        KeyValueStore<String, Long> counters) {
        this.sourceRecords = new CachedStore<>(sourceRecords, CACHED);
        this.links = new CachedStore<>(links, CACHED);
        this.persons = new CachedStore<>(persons, CACHED);
        this.blocks = new CachedStore<>(blocks, CACHED);
        this.counters = counters;
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
    public Optional<Person> person(String personId) {
        return Optional.ofNullable(persons.get(personId));
    }

    @Override
    public void put(Person person) {
        persons.put(person.personId(), person);
    }

    @Override
    public List<String> block(String blockingKey) {
        Block block = blocks.get(blockingKey);
        return block == null ? List.of() : block.sourceKeys();
    }

    @Override
    public void addToBlock(String blockingKey, String sourceKey) {
        List<String> keys = new ArrayList<>(block(blockingKey));
        keys.add(sourceKey);
        blocks.put(blockingKey, new Block(keys));
    }

    @Override
    public long nextPersonSequence() {
        Long current = counters.get(PERSON_SEQUENCE);
        long next = current == null ? 1 : current + 1;
        counters.put(PERSON_SEQUENCE, next);
        return next;
    }
}
