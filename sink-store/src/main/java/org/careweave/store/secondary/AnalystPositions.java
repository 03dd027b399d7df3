package org.careweave.store.secondary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * The analyst sink's positions in its topics, kept beside the rows they produced (the same scheme as the store's
 * sink_position, in a table of its own). Positions only move forward: a stale writer cannot rewind them.
 */
final class AnalystPositions {

    private AnalystPositions() {
    }

    /** topic partition → the next offset to read. */
    static Map<TopicPartition, Long> load(Connection c) throws SQLException {
        Map<TopicPartition, Long> positions = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT topic, kafka_partition, next_offset FROM analyst_position");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                positions.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
        }
        return positions;
    }

    static void save(Connection c, Map<TopicPartition, Long> nextOffsets) throws SQLException {
        if (nextOffsets.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO analyst_position (topic, kafka_partition, next_offset) VALUES (?, ?, ?)
                ON CONFLICT (topic, kafka_partition) DO UPDATE SET
                    next_offset = GREATEST(analyst_position.next_offset, EXCLUDED.next_offset)""")) {
            for (Map.Entry<TopicPartition, Long> e : nextOffsets.entrySet()) {
                s.setString(1, e.getKey().topic());
                s.setInt(2, e.getKey().partition());
                s.setLong(3, e.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    static void recordSkipped(Connection c, TopicPartition partition, long offset, String reason)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO analyst_skipped_record (topic, kafka_partition, kafka_offset, reason) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING""")) {
            s.setString(1, partition.topic());
            s.setInt(2, partition.partition());
            s.setLong(3, offset);
            s.setString(4, reason);
            s.executeUpdate();
        }
    }
}
