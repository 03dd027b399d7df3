package org.careweave.store.reviews;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.careweave.events.IdentityReview;
import org.careweave.events.MatchEvidence;
import org.careweave.store.Json;
import org.careweave.store.db.ConsumerPositions;
import org.careweave.store.db.PositionedConsumer;
import org.careweave.store.db.PostgresText;
import org.careweave.store.db.SqlErrors;

/**
 * The identity review queue ({@code <prefix>identity.review}, a compacted topic keyed by pair id) into the store's
 * {@code identity_review} table, each batch with its positions in one transaction. The topic is read as a table:
 * the latest record of a pair is its row, a tombstone deletes it.
 */
public final class ReviewSink implements PositionedConsumer.Target<IdentityReview> {

    private final String topic;

    public ReviewSink(String topic) {
        this.topic = topic;
    }

    /** An identifier split as person_identifier stores it: system before the first '|', value after it. */
    public record Identifier(String system, String value) {

        public static Identifier parse(String text) {
            int bar = text.indexOf('|');
            return bar < 0 ? new Identifier("", text) : new Identifier(text.substring(0, bar),
                    text.substring(bar + 1));
        }
    }

    @Override
    public Map<TopicPartition, Long> storedPositions(Connection c) throws SQLException {
        return ConsumerPositions.ofTopic(c, topic);
    }

    @Override
    public void write(Connection c, ConsumerRecords<String, IdentityReview> records) throws SQLException {
        // Only a pair's latest record in the batch matters (the topic is a table), which also lets the upserts and
        // deletes go as two batches without their order mattering.
        Map<String, ConsumerRecord<String, IdentityReview>> latest = new LinkedHashMap<>();
        Map<Integer, Long> next = new HashMap<>();
        List<ConsumerRecord<String, IdentityReview>> unusable = new ArrayList<>();
        for (ConsumerRecord<String, IdentityReview> r : records) {
            next.merge(r.partition(), r.offset() + 1, Math::max);
            if (r.key() == null || (r.value() != null && !r.key().equals(r.value().getPairId()))) {
                unusable.add(r);
            } else {
                latest.put(r.key(), r);
            }
        }
        c.setAutoCommit(false);
        try {
            upsert(c, latest.values().stream().filter(r -> r.value() != null).toList());
            delete(c, latest.values().stream().filter(r -> r.value() == null).toList());
            for (ConsumerRecord<String, IdentityReview> r : unusable) {
                ConsumerPositions.recordSkipped(c, topic, r.partition(), r.offset(),
                        r.key() == null ? "record has no key" : "key does not match IdentityReview.pairId");
            }
            ConsumerPositions.save(c, topic, next);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            SqlErrors.rollbackQuietly(c, e);
            throw e;
        }
    }

    @Override
    public void skip(Connection c, TopicPartition partition, long offset, String reason)
            throws SQLException {
        ConsumerPositions.skipInTransaction(c, topic, partition.partition(), offset, reason);
    }

    private static void upsert(Connection c, List<ConsumerRecord<String, IdentityReview>> records)
            throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        // The offset guard keeps a re-read older record (positions reset by hand) from undoing a decision.
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO identity_review (pair_id, left_identifier, left_system, left_value, right_identifier,
                    right_system, right_value, left_person_id, right_person_id, reason, score, evidence, raised_at,
                    open, kafka_partition, kafka_offset)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)
                ON CONFLICT (pair_id) DO UPDATE SET
                    left_identifier = EXCLUDED.left_identifier, left_system = EXCLUDED.left_system,
                    left_value = EXCLUDED.left_value, right_identifier = EXCLUDED.right_identifier,
                    right_system = EXCLUDED.right_system, right_value = EXCLUDED.right_value,
                    left_person_id = EXCLUDED.left_person_id, right_person_id = EXCLUDED.right_person_id,
                    reason = EXCLUDED.reason, score = EXCLUDED.score, evidence = EXCLUDED.evidence,
                    raised_at = EXCLUDED.raised_at, open = EXCLUDED.open,
                    kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset
                WHERE identity_review.kafka_partition <> EXCLUDED.kafka_partition
                    OR identity_review.kafka_offset < EXCLUDED.kafka_offset""")) {
            for (ConsumerRecord<String, IdentityReview> r : records) {
                // PostgreSQL holds no NUL: each is stored as U+FFFD, as person_identifier stores it (PostgresText).
                IdentityReview review = PostgresText.withoutNul(r.value());
                Identifier left = Identifier.parse(review.getLeftIdentifier());
                Identifier right = Identifier.parse(review.getRightIdentifier());
                int i = 0;
                s.setString(++i, review.getPairId());
                s.setString(++i, review.getLeftIdentifier());
                s.setString(++i, left.system());
                s.setString(++i, left.value());
                s.setString(++i, review.getRightIdentifier());
                s.setString(++i, right.system());
                s.setString(++i, right.value());
                s.setString(++i, review.getLeftPersonId());
                s.setString(++i, review.getRightPersonId());
                s.setString(++i, review.getReason());
                if (review.getScore() == null) {
                    s.setNull(++i, Types.DOUBLE);
                } else {
                    s.setDouble(++i, review.getScore());
                }
                s.setString(++i, Json.write(evidence(review.getEvidence())));
                s.setTimestamp(++i, Timestamp.from(review.getRaisedAt()));
                s.setBoolean(++i, review.getOpen());
                s.setInt(++i, r.partition());
                s.setLong(++i, r.offset());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void delete(Connection c, List<ConsumerRecord<String, IdentityReview>> tombstones)
            throws SQLException {
        if (tombstones.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                DELETE FROM identity_review WHERE pair_id = ?
                AND (kafka_partition <> ? OR kafka_offset < ?)""")) {
            for (ConsumerRecord<String, IdentityReview> r : tombstones) {
                s.setString(1, r.key());
                s.setInt(2, r.partition());
                s.setLong(3, r.offset());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static List<Map<String, Object>> evidence(List<MatchEvidence> evidence) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (MatchEvidence e : evidence) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("comparison", e.getComparison());
            row.put("level", e.getLevel());
            row.put("weight", e.getWeight());
            rows.add(row);
        }
        return rows;
    }
}
