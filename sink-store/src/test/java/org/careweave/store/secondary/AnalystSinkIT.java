package org.careweave.store.secondary;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.events.Coding;
import org.careweave.events.SecondaryPerson;
import org.careweave.events.SecondaryResult;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.testing.TestDatabases;
import org.careweave.store.views.SinkConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The analyst tables fed from the secondary-use topics on the real broker and PostgreSQL: upserts, retraction by
 * tombstone, and exactly-once across a restart and a replay from the start. Pseudonyms here are made up.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class AnalystSinkIT {

    private static final String PREFIX = "it-analyst-sink.";

    private static Platform platform;
    private static StoreEndpoints database;
    private static KafkaProducer<String, SpecificRecord> producer;

    @BeforeAll
    static void start(Platform shared) {
        platform = shared;
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 3, (short) 1);
        database = TestDatabases.fresh(platform, "it_analyst_sink");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(),
                AvroSerdes.anySpecific(Map.of("schema.registry.url", platform.schemaRegistryUrl())).serializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void rowsFollowTheTopicsAndTombstonesDeleteThem() throws Exception {
        try (AnalystSink sink = start()) {
            person("ps-alpha", "LS1");
            result("rk-alpha-1", "ps-alpha", "48");
            result("rk-alpha-2", "ps-alpha", "52");
            person("ps-beta", "M1");
            result("rk-beta-1", "ps-beta", "61");
            await("SELECT count(*) FROM analyst_results", n -> n == 3);
            await("SELECT count(*) FROM analyst_persons", n -> n == 2);

            result("rk-alpha-2", "ps-alpha", "53"); // a correction replaces the row
            await("SELECT count(*) FROM analyst_results WHERE result_key = 'rk-alpha-2' AND value = '53'", n -> n == 1);

            tombstone(Topics.SECONDARY_RESULTS.name(PREFIX), "rk-beta-1");
            await("SELECT count(*) FROM analyst_results WHERE pseudonym = 'ps-beta'", n -> n == 0);

            // A retraction, as the stream sends it: a tombstone for the person and one for each of their results.
            tombstone(Topics.SECONDARY_PERSONS.name(PREFIX), "ps-alpha");
            tombstone(Topics.SECONDARY_RESULTS.name(PREFIX), "rk-alpha-1");
            tombstone(Topics.SECONDARY_RESULTS.name(PREFIX), "rk-alpha-2");
            await("SELECT count(*) FROM analyst_persons WHERE pseudonym = 'ps-alpha'", n -> n == 0);
            await("SELECT count(*) FROM analyst_results WHERE pseudonym = 'ps-alpha'", n -> n == 0);
            assertThat(count("SELECT count(*) FROM analyst_persons WHERE pseudonym = 'ps-beta'")).isEqualTo(1);
        }
    }

    @Test
    void aDeathWithoutItsDateIsADeathInTheTable() throws Exception {
        try (AnalystSink sink = start()) {
            send(Topics.SECONDARY_PERSONS.name(PREFIX), "ps-delta", SecondaryPerson.newBuilder()
                    .setPseudonym("ps-delta").setBirthPeriod("1938").setSex("F").setPostcodeDistrict("LS4")
                    .setDeceased(true).setUpdatedAt(Instant.now()).build());
            person("ps-epsilon", "LS4");
            await("SELECT count(*) FROM analyst_persons WHERE pseudonym = 'ps-delta' AND deceased"
                    + " AND death_year IS NULL", n -> n == 1);
            await("SELECT count(*) FROM analyst_persons WHERE pseudonym = 'ps-epsilon' AND NOT deceased", n -> n == 1);
        }
    }

    /** Before, either stopped the analyst sink for good: every batch rolled back and was read again. */
    @Test
    void aNulIsStoredAsTheReplacementCharacterAndARecordTheDatabaseRefusesIsSetAside() throws Exception {
        try (AnalystSink sink = start()) {
            String results = Topics.SECONDARY_RESULTS.name(PREFIX);
            send(results, "rk-zeta-1", coded("rk-zeta-1", "4548-4", "Hb\u0000A1c"));
            // No index entry holds 3,000 characters that do not compress (analyst_results_code).
            StringBuilder noise = new StringBuilder();
            Random random = new Random(3_000);
            while (noise.length() < 3_000) {
                noise.append(Integer.toString(random.nextInt(36), 36));
            }
            send(results, "rk-zeta-2", coded("rk-zeta-2", noise.toString(), "Garbled"));
            result("rk-zeta-3", "ps-zeta", "50");

            await("SELECT count(*) FROM analyst_results WHERE result_key = 'rk-zeta-3'", n -> n == 1);
            await("SELECT count(*) FROM analyst_results WHERE result_key = 'rk-zeta-1'"
                    + " AND code_display = 'Hb\uFFFDA1c'", n -> n == 1);
            await("SELECT count(*) FROM analyst_skipped_record WHERE reason LIKE 'refused by the database%54000%'",
                    n -> n == 1);
            assertThat(count("SELECT count(*) FROM analyst_results WHERE result_key = 'rk-zeta-2'")).isZero();
        }
    }

    private static SecondaryResult coded(String resultKey, String code, String display) {
        return SecondaryResult.newBuilder().setPseudonym("ps-zeta").setResultKey(resultKey)
                .setCode(Coding.newBuilder().setSystem("http://loinc.org").setCode(code).setDisplay(display).build())
                .setValue("48").setNumericValue(48.0).setUnits("mmol/mol").setStatus("F")
                .setCollectedDate(LocalDate.of(2026, 6, 1)).setSendingFacility("RHMX1").setUpdatedAt(Instant.now())
                .build();
    }

    @Test
    void restartAndReplayFromTheStartEndInTheSameRows() throws Exception {
        try (AnalystSink sink = start()) {
            person("ps-gamma", "LS14");
            result("rk-gamma-1", "ps-gamma", "7.1");
            // Retracted and re-admitted: however the two topics interleave on replay, the result must survive.
            tombstone(Topics.SECONDARY_PERSONS.name(PREFIX), "ps-gamma");
            tombstone(Topics.SECONDARY_RESULTS.name(PREFIX), "rk-gamma-1");
            person("ps-gamma", "LS14");
            result("rk-gamma-1", "ps-gamma", "7.1");
            await("SELECT count(*) FROM analyst_results WHERE pseudonym = 'ps-gamma'", n -> n == 1);
            await("SELECT count(*) FROM analyst_persons WHERE pseudonym = 'ps-gamma'", n -> n == 1);
        }
        List<String> before = snapshot();
        try (AnalystSink restarted = start()) {
            Thread.sleep(1_500);
            assertThat(snapshot()).isEqualTo(before);
        }
        execute("DELETE FROM analyst_position");
        try (AnalystSink replaying = start()) {
            await("SELECT count(*) FROM analyst_position", n -> n > 0);
            Thread.sleep(1_500);
            assertThat(snapshot()).isEqualTo(before);
        }
    }

    private static AnalystSink start() {
        return AnalystSink.start(SinkConfig.defaults().withRetryBackoff(Duration.ofMillis(200)), database, PREFIX,
                new SimpleMeterRegistry());
    }

    private static void person(String pseudonym, String district) throws Exception {
        send(Topics.SECONDARY_PERSONS.name(PREFIX), pseudonym, SecondaryPerson.newBuilder().setPseudonym(pseudonym)
                .setBirthPeriod("1984").setSex("F").setPostcodeDistrict(district).setUpdatedAt(Instant.now()).build());
    }

    private static void result(String resultKey, String pseudonym, String value) throws Exception {
        send(Topics.SECONDARY_RESULTS.name(PREFIX), resultKey, SecondaryResult.newBuilder().setPseudonym(pseudonym)
                .setResultKey(resultKey)
                .setCode(Coding.newBuilder().setSystem("http://loinc.org").setCode("4548-4").setDisplay("HbA1c").build())
                .setValue(value).setNumericValue(Double.valueOf(value)).setUnits("mmol/mol").setStatus("F")
                .setCollectedDate(LocalDate.of(2026, 6, 1)).setSendingFacility("RHMX1").setUpdatedAt(Instant.now())
                .build());
    }

    private static void tombstone(String topic, String key) throws Exception {
        send(topic, key, null);
    }

    private static void send(String topic, String key, SpecificRecord value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static List<String> snapshot() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String query : List.of("SELECT * FROM analyst_persons ORDER BY pseudonym",
                    "SELECT * FROM analyst_results ORDER BY result_key")) {
                try (ResultSet rs = s.executeQuery(query)) {
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            row.append(rs.getString(i)).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }

    private static void await(String query, Predicate<Long> ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long n = count(query);
        while (!ok.test(n) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            n = count(query);
        }
        assertThat(ok.test(n)).as(query + " gave " + n).isTrue();
    }

    private static long count(String query) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.jdbcUser(), database.jdbcPassword());
    }
}
