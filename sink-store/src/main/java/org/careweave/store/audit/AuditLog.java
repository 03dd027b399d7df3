package org.careweave.store.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes audit rows in the caller's transaction: the API commits them together with the read they describe, before it
 * answers, so there is no answer without its audit row. Reads them back for a person's access report.
 */
public final class AuditLog {

    private AuditLog() {
    }

    public static void write(Connection c, List<AuditEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO audit_event (subject, role, person_id, endpoint, query, status, client)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            for (AuditEntry e : entries) {
                s.setString(1, e.caller().subject());
                s.setString(2, e.caller().role().id());
                s.setString(3, e.personId());
                s.setString(4, e.endpoint());
                s.setString(5, e.query());
                s.setInt(6, e.status());
                s.setString(7, e.client());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** One access to a person's record as an access report shows it: without the query, which may hold patient data. */
    public record Access(Instant at, String subject, String role, String personId, String endpoint, int status,
                         String client) {
    }

    /**
     * Accesses to any of {@code personIds} (a person and those merged into it), newest first, at most {@code limit}.
     */
    public static List<Access> accesses(Connection c, List<String> personIds, Optional<Instant> from,
                                        Optional<Instant> to, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT at, subject, role, person_id, endpoint, status, client"
                + " FROM audit_event WHERE person_id = ANY(?)");
        from.ifPresent(f -> sql.append(" AND at >= ?"));
        to.ifPresent(t -> sql.append(" AND at <= ?"));
        sql.append(" ORDER BY at DESC, id DESC LIMIT ?");
        List<Access> accesses = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            int i = 0;
            s.setArray(++i, c.createArrayOf("text", personIds.toArray()));
            if (from.isPresent()) {
                s.setTimestamp(++i, Timestamp.from(from.get()));
            }
            if (to.isPresent()) {
                s.setTimestamp(++i, Timestamp.from(to.get()));
            }
            s.setInt(++i, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    accesses.add(new Access(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getInt(6), rs.getString(7)));
                }
            }
        }
        return accesses;
    }
}
