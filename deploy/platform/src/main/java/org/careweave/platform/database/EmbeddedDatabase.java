package org.careweave.platform.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.careweave.platform.StopOnExit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL from zonky's packaged binaries, run as a child process on a kept data directory.
 *
 * <p>zonky's defaults are tuned for throwaway tests (fsync off, asynchronous commit); careweave keeps patient data
 * in it, so both are switched back on.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "careweave";
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final String jdbcUrl;
    private final StopOnExit stopOnExit;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String jdbcUrl) {
        this.postgres = postgres;
        this.jdbcUrl = jdbcUrl;
        this.stopOnExit = new StopOnExit("careweave-postgres-stop", this::stopServer);
    }

    public static EmbeddedDatabase start(Path dataDir, String host, int port) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // Its hook would stop the server at once on Ctrl-C, under the sink's last transaction.
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setServerConfig("listen_addresses", host)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .start();
            String server = "jdbc:postgresql://" + host + ":" + port + "/";
            try {
                createDatabaseIfMissing(server + "postgres");
            } catch (RuntimeException e) {
                try {
                    postgres.close();
                } catch (IOException | RuntimeException stopFailure) {
                    e.addSuppressed(stopFailure); // the failure to report is the one that stopped the start
                }
                throw e;
            }
            return new EmbeddedDatabase(postgres, server + DATABASE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL on " + dataDir, e);
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    @Override
    public void close() {
        stopServer();
        stopOnExit.close();
    }

    private void stopServer() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        }
    }

    private static void createDatabaseIfMissing(String maintenanceUrl) {
        try (Connection c = DriverManager.getConnection(maintenanceUrl, USER, "");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + DATABASE, e);
        }
    }
}
