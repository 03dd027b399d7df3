package org.careweave.store.secondary;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.careweave.events.SecondaryPerson;
import org.careweave.events.SecondaryResult;
import org.careweave.store.db.PostgresText;
import org.careweave.store.db.SqlErrors;

/**
 * Writes one polled batch of secondary.persons and secondary.results, and the positions after it, in one
 * transaction: a crash anywhere loses nothing and, restarted from the stored positions, repeats nothing. Upserts
 * and deletes make even a replay from the start harmless. A NUL character in text is stored as U+FFFD
 * ({@link PostgresText}); a record the database still refuses is set aside by the loop ({@code PositionedConsumer}).
 */
final class AnalystWriter {

    /** What happened to a batch's records. */
    record Outcome(int written, int deleted, int skipped) {
    }

    private final String personsTopic;
    private final String resultsTopic;

    AnalystWriter(String personsTopic, String resultsTopic) {
        this.personsTopic = personsTopic;
        this.resultsTopic = resultsTopic;
    }

    Outcome write(Connection c, Iterable<ConsumerRecord<String, SpecificRecord>> records) throws SQLException {
        c.setAutoCommit(false);
        try {
            int written = 0;
            int deleted = 0;
            int skipped = 0;
            Map<TopicPartition, Long> next = new HashMap<>();
            for (ConsumerRecord<String, SpecificRecord> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                next.merge(partition, record.offset() + 1, Math::max);
                String problem = apply(c, record);
                if (problem == null) {
                    if (record.value() == null) {
                        deleted++;
                    } else {
                        written++;
                    }
                } else {
                    AnalystPositions.recordSkipped(c, partition, record.offset(), problem);
                    skipped++;
                }
            }
            AnalystPositions.save(c, next);
            c.commit();
            return new Outcome(written, deleted, skipped);
        } catch (SQLException | RuntimeException e) {
            SqlErrors.rollbackQuietly(c, e);
            throw e;
        }
    }

    /** Steps over a record that cannot be read or written, leaving a row that says why, in one transaction. */
    void skip(Connection c, TopicPartition partition, long offset, String reason) throws SQLException {
        c.setAutoCommit(false);
        try {
            AnalystPositions.recordSkipped(c, partition, offset, reason);
            AnalystPositions.save(c, Map.of(partition, offset + 1));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            SqlErrors.rollbackQuietly(c, e);
            throw e;
        }
    }

    /** @return null when applied, otherwise why the record was stepped over */
    private String apply(Connection c, ConsumerRecord<String, SpecificRecord> record) throws SQLException {
        String key = record.key();
        if (key == null) {
            return "record has no key";
        }
        if (record.topic().equals(personsTopic)) {
            if (record.value() == null) {
                AnalystRows.deletePerson(c, key);
            } else if (record.value() instanceof SecondaryPerson person && key.equals(person.getPseudonym())) {
                AnalystRows.upsertPerson(c, PostgresText.withoutNul(person));
            } else {
                // The key decides compaction and tombstones: a record filed under another key would never be removed.
                return "not a SecondaryPerson under its pseudonym";
            }
        } else if (record.topic().equals(resultsTopic)) {
            if (record.value() == null) {
                AnalystRows.deleteResult(c, key);
            } else if (record.value() instanceof SecondaryResult result && key.equals(result.getResultKey())) {
                AnalystRows.upsertResult(c, PostgresText.withoutNul(result));
            } else {
                return "not a SecondaryResult under its result key";
            }
        } else {
            return "unexpected topic";
        }
        return null;
    }
}
