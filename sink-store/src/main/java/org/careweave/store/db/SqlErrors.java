package org.careweave.store.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * What may be logged of a database error. PostgreSQL's messages can quote row values (a duplicate key's detail
 * names the key, which may be an NHS number), so logs get the SQLSTATE and the constraint or table only.
 */
public final class SqlErrors {

    private SqlErrors() {
    }

    public static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return describe(sql);
            }
        }
        return error.getClass().getSimpleName();
    }

    public static String describe(SQLException e) {
        StringBuilder b = new StringBuilder(e.getClass().getSimpleName()).append(" SQLSTATE ").append(e.getSQLState());
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            if (server.getConstraint() != null) {
                b.append(" constraint ").append(server.getConstraint());
            } else if (server.getTable() != null) {
                b.append(" table ").append(server.getTable());
            }
        }
        return b.toString();
    }

    /**
     * Whether the database could not be reached or would not serve (no connection within the pool's timeout, a
     * connection lost, the server shutting down or starting up, too many clients): worth trying again shortly, not a
     * fault of the request or of careweave.
     */
    public static boolean unreachable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** admin_shutdown, crash_shutdown, cannot_connect_now (starting or recovering), too_many_connections. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    /** Rolls back after {@code cause}; a failing rollback is kept with the cause instead of replacing it. */
    public static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
