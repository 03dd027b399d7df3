package org.careweave.processors.identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The index's state in plain maps, nothing persisted: for testing the identity rules and measuring their decisions
 * without Kafka. careweave itself runs on {@link StoreBackedMpiState}.
 */
public final class InMemoryMpiState implements MpiState {

    final Map<String, SourceRecord> sourceRecords = new HashMap<>();
    final Map<String, String> links = new HashMap<>();
    final Map<String, Person> persons = new HashMap<>();
    final Map<String, List<BlockEntry>> blocks = new HashMap<>();
    final Map<String, Set<String>> different = new HashMap<>();
    private long sequence;

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
        links.remove(identifier);
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
    public List<BlockEntry> block(String blockingKey) {
        return blocks.getOrDefault(blockingKey, List.of());
    }

    @Override
    public boolean addToBlock(String blockingKey, BlockEntry entry, int maxEntries) {
        List<BlockEntry> block = blocks.computeIfAbsent(blockingKey, k -> new ArrayList<>());
        if (block.size() >= maxEntries) {
            return false;
        }
        return block.add(entry);
    }

    @Override
    public Set<String> decidedDifferent(String sourceKey) {
        return different.getOrDefault(sourceKey, Set.of());
    }

    @Override
    public void decideDifferent(String sourceKeyA, String sourceKeyB) {
        different.computeIfAbsent(sourceKeyA, k -> new HashSet<>()).add(sourceKeyB);
        different.computeIfAbsent(sourceKeyB, k -> new HashSet<>()).add(sourceKeyA);
    }

    @Override
    public long nextPersonSequence() {
        return ++sequence;
    }

    /** The live person an identifier belongs to now (null: not linked). */
    public String personOfIdentifier(String identifier) {
        String p = links.get(identifier);
        return p == null ? null : MasterPatientIndex.live(p, this);
    }
}
