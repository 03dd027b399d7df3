package org.careweave.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.careweave.platform.ExternalPlatform;
import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;

/**
 * The shared test platform with a database of the test's own: tests that run a sink must not see each other's rows
 * (they share invented NHS numbers).
 */
final class OwnDatabase {

    private OwnDatabase() {
    }

    static Platform on(Platform shared, String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(shared.jdbcUrl(), shared.jdbcUser(), shared.jdbcPassword());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
        String url = shared.jdbcUrl();
        String own = url.substring(0, url.lastIndexOf('/') + 1) + database;
        return new ExternalPlatform(new PlatformConfig.External(shared.bootstrapServers(), shared.schemaRegistryUrl(),
                own, shared.jdbcUser(), shared.jdbcPassword()));
    }
}
