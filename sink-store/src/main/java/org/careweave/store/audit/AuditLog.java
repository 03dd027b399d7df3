package org.careweave.store.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes audit rows in the caller's transaction: the API commits them together with the read they describe, before it
 * answers, so there is no answer without its audit row.
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
}
