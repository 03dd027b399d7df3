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
        // A batch's error is a BatchUpdateException; the server's own error, naming the constraint, comes after it.
        if (!(e instanceof PSQLException) && e.getNextException() instanceof PSQLException server) {
            e = server;
        }
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

    /**
     * Whether the database refused the data written rather than failed to serve it: a data exception (class 22, e.g. a
     * NUL character in text, a date out of range), an integrity constraint violation (class 23) or a value too large
     * for an index entry (54000, program_limit_exceeded). Written again unchanged, such data is refused again, for
     * ever; a connection lost, a serialization failure or deadlock (40), too little memory or disk (53) or a server
     * shutting down (57) passes, and is tried again.
     */
    public static boolean refusedData(Throwable error) {
        if (unreachable(error)) {
            return false;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    String state = e.getSQLState();
                    if (state != null && (state.startsWith("22") || state.startsWith("23")
                            || state.equals(PROGRAM_LIMIT_EXCEEDED))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** What PostgreSQL answers to an index entry too large for its index, among other limits. */
    private static final String PROGRAM_LIMIT_EXCEEDED = "54000";

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
