package org.careweave.store.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.careweave.platform.Platform;
import org.careweave.store.StoreEndpoints;

/**
 * Databases of a test's own on the shared embedded PostgreSQL server, so that test classes (which share one platform
 * per JVM) never see each other's rows.
 */
public final class TestDatabases {

    private TestDatabases() {
    }

    /** Drops {@code name} if it exists and creates it empty. */
    public static StoreEndpoints fresh(Platform platform, String name) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("database names here are lower-case identifiers");
        }
        try (Connection c = DriverManager.getConnection(platform.jdbcUrl(), platform.jdbcUser(),
                platform.jdbcPassword()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name, e);
        }
        String url = platform.jdbcUrl();
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        String renamed = url.substring(0, slash + 1) + name + (query < 0 ? "" : url.substring(query));
        return StoreEndpoints.of(platform).withJdbcUrl(renamed);
    }
}
