package org.careweave.processors.identity;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The master patient index's state. Kafka Streams state stores behind it in production; a map in unit tests, so the
 * identity rules test without Kafka.
 */
public interface MpiState {

    Optional<SourceRecord> sourceRecord(String sourceKey);

    void put(SourceRecord record);

    /** The person an identifier (system|value) is linked to now. */
    Optional<String> personOf(String identifier);

    void link(String identifier, String personId);

    /**
     * Forgets which person an identifier belongs to: an NHS number its only record withdrew (the source corrected
     * it), so that the next record to carry it is not filed with a patient who no longer claims it.
     */
    void unlink(String identifier);

    Optional<Person> person(String personId);

    void put(Person person);

    /**
     * A record filed under a blocking key, with the valid NHS number it had when filed (null: none). The number lets
     * the index pass over candidates it may never link (a different NHS number) without reading them.
     */
    record BlockEntry(String sourceKey, String nhsNumber) {
    }

    /** Records filed under a blocking key, oldest first. */
    List<BlockEntry> block(String blockingKey);

    /**
     * Files a record under a blocking key, unless the block already holds {@code maxEntries} records (a block that
     * large is a common name or a shared address; comparing with all of it would cost more than it finds).
     *
     * @return whether the record was filed
     */
    boolean addToBlock(String blockingKey, BlockEntry entry, int maxEntries);

    /**
     * The records a person decided are not the same patient as this one (a review decision, DIFFERENT_PERSONS):
     * probabilistic matching never links them. Empty for nearly every record.
     */
    Set<String> decidedDifferent(String sourceKey);

    /** Records a DIFFERENT_PERSONS decision, both ways. */
    void decideDifferent(String sourceKeyA, String sourceKeyB);

    /** The next person sequence number (1, 2, ...), persisted with the rest of the state. */
    long nextPersonSequence();
}
