package org.careweave.store.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.testing.Store;
import org.careweave.store.testing.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Migrations applied to a store that already holds views, as an upgrade meets it. Invented people only. */
@ExtendWith(EmbeddedPlatformExtension.class)
class StoreMigrationIT {

    private static Platform platform;

    @BeforeAll
    static void start(Platform p) {
        platform = p;
    }

    @Test
    void theViewsAlreadyStoredCanBeFoundByNameOnceTheNamesTableArrives() throws Exception {
        // Names no one has (a garbled message's 5,000 characters) are left out: they would overflow the index.
        StoreEndpoints endpoints = TestDatabases.fresh(platform, "migration_v5");
        Flyway.configure().dataSource(endpoints.jdbcUrl(), endpoints.jdbcUser(), endpoints.jdbcPassword())
                .locations(StoreDatabase.MIGRATIONS).target("4").load().migrate();
        Store store = new Store(endpoints);
        try (Connection c = store.connect(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO person_view (person_id, version, kafka_partition, kafka_offset, updated_at, document)
                VALUES (?, 1, 0, ?, now(), ?::jsonb)""")) {
            s.setString(1, "mig-1");
            s.setLong(2, 1);
            s.setString(3, """
                    {"personId":"mig-1","name":{"family":"O'Neil","given":["Ann","Marie"]},"birthDate":"1950-01-31"}""");
            s.executeUpdate();
            s.setString(1, "mig-2");
            s.setLong(2, 2);
            s.setString(3, """
                    {"personId":"mig-2","name":{"family":"Nogiven"},"birthDate":"1951-02-28"}""");
            s.executeUpdate();
            s.setString(1, "mig-3");
            s.setLong(2, 3);
            s.setString(3, """
                    {"personId":"mig-3","name":{"family":"Nobirthdate","given":["Al"]}}""");
            s.executeUpdate();
            s.setString(1, "mig-4");
            s.setLong(2, 4);
            s.setString(3, "{\"personId\":\"mig-4\",\"name\":{\"family\":\"" + "X".repeat(5000)
                    + "\"},\"birthDate\":\"1952-03-01\"}");
            s.executeUpdate();
            s.setString(1, "mig-5");
            s.setLong(2, 5);
            s.setString(3, "{\"personId\":\"mig-5\",\"name\":{\"family\":\"Longgiven\",\"given\":[\""
                    + "Y".repeat(5000) + "\",\"Bo\"]},\"birthDate\":\"1953-04-01\"}");
            s.executeUpdate();
        }

        StoreDatabase.migrate(endpoints);

        assertThat(store.rows("SELECT person_id, family, given, birth_date::text, family_key, given_key"
                + " FROM person_name ORDER BY person_id, given")).containsExactly(
                List.of("mig-1", "O'Neil", "Ann", "1950-01-31", "oneil", "ann"),
                List.of("mig-1", "O'Neil", "Marie", "1950-01-31", "oneil", "marie"),
                List.of("mig-2", "Nogiven", "", "1951-02-28", "nogiven", ""),
                List.of("mig-5", "Longgiven", "Bo", "1953-04-01", "longgiven", "bo"));
    }

    @Test
    void resultsStoredWithStatusXAreMarkedNotObtained() throws Exception {
        StoreEndpoints endpoints = TestDatabases.fresh(platform, "migration_v6");
        Flyway.configure().dataSource(endpoints.jdbcUrl(), endpoints.jdbcUser(), endpoints.jdbcPassword())
                .locations(StoreDatabase.MIGRATIONS).target("5").load().migrate();
        Store store = new Store(endpoints);
        try (Connection c = store.connect()) {
            c.createStatement().executeUpdate("""
                    INSERT INTO person_view (person_id, version, kafka_partition, kafka_offset, updated_at, document)
                    VALUES ('mig-6', 1, 0, 1, now(), '{"personId":"mig-6"}'::jsonb)""");
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO result (person_id, result_id, code, value_type, abnormal_flags, status, retracted,
                                        version_count, updated_at, document)
                    VALUES ('mig-6', ?, '4548-4', 'NM', '{}', ?, false, 1, now(), '{}'::jsonb)""")) {
                for (String[] row : new String[][] {{"R-final", "F"}, {"R-x", "X"}, {"R-x-padded", " x"}}) {
                    s.setString(1, row[0]);
                    s.setString(2, row[1]);
                    s.executeUpdate();
                }
            }
        }

        StoreDatabase.migrate(endpoints);

        assertThat(store.rows("SELECT result_id, not_obtained::text FROM result ORDER BY result_id")).containsExactly(
                List.of("R-final", "false"), List.of("R-x", "true"), List.of("R-x-padded", "true"));
    }

    @Test
    void namesAlreadyStoredAreFoundByEachOfTheirParts() throws Exception {
        StoreEndpoints endpoints = TestDatabases.fresh(platform, "migration_v7");
        Flyway.configure().dataSource(endpoints.jdbcUrl(), endpoints.jdbcUser(), endpoints.jdbcPassword())
                .locations(StoreDatabase.MIGRATIONS).target("6").load().migrate();
        Store store = new Store(endpoints);
        try (Connection c = store.connect()) {
            c.createStatement().executeUpdate("""
                    INSERT INTO person_view (person_id, version, kafka_partition, kafka_offset, updated_at, document)
                    VALUES ('mig-7', 1, 0, 1, now(), '{"personId":"mig-7"}'::jsonb),
                           ('mig-8', 1, 0, 2, now(), '{"personId":"mig-8"}'::jsonb)""");
            c.createStatement().executeUpdate("""
                    INSERT INTO person_name (person_id, family, given, birth_date)
                    VALUES ('mig-7', 'Testsmith-Testjones', 'Mary Jane', '1960-06-06'),
                           ('mig-8', 'O''Neil', 'J', '1961-07-07'),
                           ('mig-8', 'Van Test', 'Ann', '1961-07-07')""");
        }

        StoreDatabase.migrate(endpoints);

        assertThat(store.rows("SELECT person_id, family, given FROM person_name ORDER BY person_id, family, given"))
                .containsExactly(
                        List.of("mig-7", "Testjones", "Jane"), List.of("mig-7", "Testjones", "Mary"),
                        List.of("mig-7", "Testjones", "Mary Jane"),
                        List.of("mig-7", "Testsmith", "Jane"), List.of("mig-7", "Testsmith", "Mary"),
                        List.of("mig-7", "Testsmith", "Mary Jane"),
                        List.of("mig-7", "Testsmith-Testjones", "Jane"), List.of("mig-7", "Testsmith-Testjones", "Mary"),
                        List.of("mig-7", "Testsmith-Testjones", "Mary Jane"),
                        List.of("mig-8", "O'Neil", "J"),
                        List.of("mig-8", "Test", "Ann"), List.of("mig-8", "Van", "Ann"),
                        List.of("mig-8", "Van Test", "Ann"));
    }
}
