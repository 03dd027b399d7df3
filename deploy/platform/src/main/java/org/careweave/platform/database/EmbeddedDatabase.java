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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.careweave.platform.ChildSupervisor;
import org.careweave.platform.StopOnExit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL from zonky's packaged binaries, run as a child process on a kept data directory.
 *
 * <p>zonky's defaults are tuned for throwaway tests (fsync off, asynchronous commit); careweave keeps patient data
 * in it, so both are switched back on.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    public static final String DATABASE = "careweave";
    public static final String USER = "postgres";

    private final Path dataDir;
    private final String host;
    private final int port;
    private final String jdbcUrl;
    private final StopOnExit stopOnExit;
    private final ChildSupervisor supervisor;
    /** The running server; replaced when the supervisor starts it again. */
    private volatile EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir, String host, int port, String jdbcUrl) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.host = host;
        this.port = port;
        this.jdbcUrl = jdbcUrl;
        this.stopOnExit = new StopOnExit("careweave-postgres-stop", this::stopServer);
        this.supervisor = new ChildSupervisor("PostgreSQL server", this::startAgain);
    }

    public static EmbeddedDatabase start(Path dataDir, String host, int port) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL on " + dataDir, e);
        }
        // zonky starts the server in a session of its own, which outlives this JVM: a Ctrl-C while it starts must not
        // leave it running (it did, and held the port against the next start). Until the server is handed over, a JVM
        // exit stops whatever runs on the data dir, once this start has had its chance to stop it itself.
        StopOnExit starting = new StopOnExit("careweave-postgres-start", () -> stopOrphan(dataDir));
        EmbeddedPostgres postgres = null;
        try {
            postgres = launch(dataDir, host, port);
            String server = "jdbc:postgresql://" + host + ":" + port + "/";
            createDatabaseIfMissing(server + "postgres");
            EmbeddedDatabase database = new EmbeddedDatabase(postgres, dataDir, host, port, server + DATABASE);
            try {
                database.supervisor.watch(postmaster(dataDir));
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
            return database;
        } catch (IOException | RuntimeException e) {
            if (postgres != null) {
                try {
                    postgres.close();
                } catch (IOException | RuntimeException stopFailure) {
                    e.addSuppressed(stopFailure); // the failure to report is the one that stopped the start
                }
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot start PostgreSQL on " + dataDir, io);
            }
            throw (RuntimeException) e;
        } finally {
            starting.close();
        }
    }

    private static EmbeddedPostgres launch(Path dataDir, String host, int port) throws IOException {
        return EmbeddedPostgres.builder()
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
    }

    /**
     * The supervisor's restart: the same data directory and port. The server that exited still holds zonky's lock on
     * the data directory; closing it releases the lock (its stop fails, as there is nothing left to stop). PostgreSQL
     * recovers from its write-ahead log what was committed, so nothing the sink committed is lost.
     */
    private ProcessHandle startAgain() {
        log.info("Releasing the exited PostgreSQL server's data directory; zonky's \"Could not stop postmaster\" "
                + "error that follows is expected, as there is no server left to stop");
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            // It has exited already; closing only released the lock.
        }
        try {
            postgres = launch(dataDir, host, port);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL on " + dataDir, e);
        }
        if (supervisor.closing()) {
            stopServer(); // closed while it was starting: the owner's stop has already run
            throw new IllegalStateException("PostgreSQL was closed while it started again");
        }
        return postmaster(dataDir);
    }

    /**
     * A server from a run that was killed still runs: zonky starts it in a session of its own, so it outlives the JVM,
     * and holds the port. Stopped as PostgreSQL asks to be (SIGTERM: no new sessions, and the orphan has no clients
     * left), so that the next start needs no crash recovery; forcibly only if it has not stopped in 60 s. Call only
     * while holding the data dir's lock, so that the server it names is nobody's.
     */
    public static void stopOrphan(Path dataDir) {
        if (!Files.exists(dataDir.resolve("postmaster.pid"))) {
            return;
        }
        ProcessHandle orphan;
        try {
            orphan = postmaster(dataDir);
        } catch (IllegalStateException e) {
            return; // a pid file left by a server that is gone: PostgreSQL itself ignores it
        }
        if (!orphan.info().command().map(c -> c.endsWith("postgres")).orElse(false)) {
            return; // the number is some other process's now
        }
        log.warn("Stopping PostgreSQL (pid {}) left running on {} by a careweave that was killed", orphan.pid(),
                dataDir);
        orphan.destroy();
        try {
            orphan.onExit().get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            orphan.destroyForcibly();
            orphan.onExit().join();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot stop PostgreSQL left running on " + dataDir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping PostgreSQL left running on " + dataDir);
        }
    }

    /**
     * The server's own process. zonky starts it through {@code pg_ctl start}, whose process ends once the server is
     * up, so the server is found by the process id it writes on the first line of {@code postmaster.pid}.
     */
    private static ProcessHandle postmaster(Path dataDir) {
        try {
            String first = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim();
            return ProcessHandle.of(Long.parseLong(first)).orElseThrow(() -> new IllegalStateException(
                    "PostgreSQL's process " + first + " is not running"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot find PostgreSQL's process in " + dataDir, e);
        }
    }

    /** How many times the server was started again after exiting on its own. */
    public long restarts() {
        return supervisor.restarts();
    }

    /** The running server's process id (for tests that take it away). */
    public long pid() {
        return postmaster(dataDir).pid();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    @Override
    public void close() {
        supervisor.close();
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
