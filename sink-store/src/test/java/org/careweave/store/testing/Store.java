package org.careweave.store.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.careweave.store.StoreEndpoints;

/** Looks into a store database from a test: plain SQL, and whether the sink has caught up with its topic. */
public final class Store {

    /** Every table the sink writes; what a run leaves in them must not depend on how often it was interrupted. */
    public static final List<String> SINK_TABLES = List.of("person_view", "person_identifier", "result",
            "result_source", "encounter", "person_redirect", "person_removed", "identity_review", "sink_position",
            "sink_skipped_record");

    private final StoreEndpoints endpoints;

    public Store(StoreEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(endpoints.jdbcUrl(), endpoints.jdbcUser(), endpoints.jdbcPassword());
    }

    /** Rows as lists of column values, in the order the query gives. */
    public List<List<Object>> rows(String sql, Object... parameters) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Object value(String sql, Object... parameters) {
        List<List<Object>> rows = rows(sql, parameters);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    public long count(String sql, Object... parameters) {
        return ((Number) value(sql, parameters)).longValue();
    }

    /**
     * Each sink table's rows as JSON text, sorted, without the columns that record wall-clock time of writing (which
     * legitimately differ between two runs).
     */
    public Map<String, List<String>> snapshot() {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (String table : SINK_TABLES) {
            List<String> rows = rows("SELECT (to_jsonb(t) - 'stored_at' - 'skipped_at')::text AS row FROM " + table
                    + " t ORDER BY row").stream().map(r -> (String) r.get(0)).toList();
            tables.put(table, rows);
        }
        return tables;
    }

    /** partition → next offset the sink will read, as stored with its rows. */
    public Map<Integer, Long> positions(String topic) {
        Map<Integer, Long> positions = new HashMap<>();
        for (List<Object> row : rows("SELECT kafka_partition, next_offset FROM sink_position WHERE topic = ?", topic)) {
            positions.put((Integer) row.get(0), (Long) row.get(1));
        }
        return positions;
    }

    /** Records consumed so far, summed over partitions. */
    public long consumed(String topic) {
        return positions(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** partition → end offset a read_committed consumer sees. */
    public static Map<Integer, Long> endOffsets(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<Integer> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(p -> p.partition()).collect(Collectors.toSet());
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            partitions.forEach(p -> request.put(new TopicPartition(topic, p), OffsetSpec.latest()));
            Map<Integer, Long> ends = new HashMap<>();
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                    .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
            return ends;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the stored positions have reached the end of every non-empty partition. */
    public void awaitCaughtUp(String topic, Duration timeout) {
        Map<Integer, Long> ends = new HashMap<>(endOffsets(endpoints.kafka().bootstrapServers(), topic));
        ends.values().removeIf(end -> end == 0);
        Await.until("sink caught up with " + topic + " " + ends, timeout, () -> {
            Map<Integer, Long> stored = positions(topic);
            return ends.entrySet().stream().allMatch(e -> stored.getOrDefault(e.getKey(), 0L) >= e.getValue());
        });
    }
}
