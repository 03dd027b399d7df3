package org.careweave.store.db;

import javax.sql.DataSource;

import org.careweave.store.StoreEndpoints;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** A connection pool on the store's database, migrated to the current schema before it is handed out. */
public final class StoreDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreDatabase.class);
    public static final String MIGRATIONS = "classpath:db/migration";

    private final HikariDataSource dataSource;

    private StoreDatabase(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** How the pool's statements are planned. */
    public enum Plans {
        /**
         * Each execution planned for its own parameters: the sinks' set-wise statements ({@code person_id = ANY(?)})
         * over arrays of every size, on tables that grow from empty.
         */
        CUSTOM,
        /**
         * PostgreSQL's default: a prepared statement may keep a generic plan. The API's statements are equality
         * lookups whose plan does not depend on the values, and re-planning them on every read was most of a read's
         * database CPU (the possible-duplicates query alone took 1.3 ms to plan and 0.15 ms to run).
         */
        CACHED
    }

    /**
     * Applies pending migrations, then opens a pool whose statements are planned afresh for their parameters.
     * Several processes may do this at once: Flyway serialises them with a PostgreSQL advisory lock.
     */
    public static StoreDatabase open(StoreEndpoints endpoints, int poolSize, String poolName) {
        return open(endpoints, poolSize, poolName, Plans.CUSTOM);
    }

    /** As {@link #open(StoreEndpoints, int, String)}, with statements planned as {@code plans} says. */
    public static StoreDatabase open(StoreEndpoints endpoints, int poolSize, String poolName, Plans plans) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(endpoints.jdbcUrl());
        config.setUsername(endpoints.jdbcUser());
        config.setPassword(endpoints.jdbcPassword());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setPoolName(poolName);
        config.setAutoCommit(true);
        config.setConnectionTimeout(5_000);
        // Batched child-row inserts become one multi-row INSERT on the wire.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", poolName);
        if (plans == Plans.CUSTOM) {
            // Statements select by person_id = ANY(?): a generic plan made while a table was nearly empty (a
            // sequential scan) would be kept as the table grows. docs/store.md, "Every statement is planned for its
            // own parameters".
            config.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");
        }
        migrate(endpoints);
        return new StoreDatabase(new HikariDataSource(config));
    }

    /**
     * Applies pending migrations over connections of Flyway's own (it needs two at once, which a pool of one could
     * never give it).
     */
    public static void migrate(StoreEndpoints endpoints) {
        MigrateResult result = Flyway.configure()
                .dataSource(endpoints.jdbcUrl(), endpoints.jdbcUser(), endpoints.jdbcPassword())
                .locations(MIGRATIONS)
                // The analyst tables are numbered from V100 so that the two schemas never clash; a store migration
                // written later (V2, ...) must still apply on a database that already has them.
                .outOfOrder(true)
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            log.info("Store schema migrated to version {} ({} migrations)", result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
