package org.careweave.store.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * A sink's positions in its topics, kept in the database beside the rows they produced. Positions only move
 * forward: a stale writer cannot rewind them.
 */
public final class ConsumerPositions {

    private ConsumerPositions() {
    }

    /** partition → the next offset to read. */
    public static Map<Integer, Long> load(Connection c, String topic) throws SQLException {
        Map<Integer, Long> positions = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT kafka_partition, next_offset FROM sink_position WHERE topic = ?")) {
            s.setString(1, topic);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    positions.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return positions;
    }

    public static void save(Connection c, String topic, Map<Integer, Long> nextOffsets) throws SQLException {
        if (nextOffsets.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO sink_position (topic, kafka_partition, next_offset) VALUES (?, ?, ?)
                ON CONFLICT (topic, kafka_partition) DO UPDATE SET
                    next_offset = GREATEST(sink_position.next_offset, EXCLUDED.next_offset)""")) {
            for (Map.Entry<Integer, Long> e : nextOffsets.entrySet()) {
                s.setString(1, topic);
                s.setInt(2, e.getKey());
                s.setLong(3, e.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    public static void recordSkipped(Connection c, String topic, int partition, long offset, String reason)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO sink_skipped_record (topic, kafka_partition, kafka_offset, reason) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            s.setString(1, topic);
            s.setInt(2, partition);
            s.setLong(3, offset);
            s.setString(4, reason);
            s.executeUpdate();
        }
    }

    /** The next offset to read per partition of {@code topic}, as a sink's loop seeks to them. */
    public static Map<TopicPartition, Long> ofTopic(Connection c, String topic) throws SQLException {
        Map<TopicPartition, Long> positions = new HashMap<>();
        load(c, topic).forEach((partition, next) -> positions.put(new TopicPartition(topic, partition), next));
        return positions;
    }

    /** Steps over a record that cannot be read, leaving a row that says so, in a transaction of its own. */
    public static void skipInTransaction(Connection c, String topic, int partition, long offset, String reason)
            throws SQLException {
        c.setAutoCommit(false);
        try {
            recordSkipped(c, topic, partition, offset, reason);
            save(c, topic, Map.of(partition, offset + 1));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            SqlErrors.rollbackQuietly(c, e);
            throw e;
        }
    }
}
