package org.careweave.processors.identity;

import java.util.List;
import java.util.Optional;

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

    Optional<Person> person(String personId);

    void put(Person person);

    /** Source keys filed under a blocking key, oldest first. */
    List<String> block(String blockingKey);

    void addToBlock(String blockingKey, String sourceKey);

    /** The next person sequence number (1, 2, ...), persisted with the rest of the state. */
    long nextPersonSequence();
}
