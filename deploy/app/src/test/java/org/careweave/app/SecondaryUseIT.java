package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.careweave.events.IdentityLink;
import org.careweave.events.PersonView;
import org.careweave.events.SecondaryPerson;
import org.careweave.events.SecondaryResult;
import org.careweave.ingest.mllp.MllpClient;
import org.careweave.ingest.TopicContents;
import org.careweave.platform.Platform;
import org.careweave.processors.secondary.AvroFields;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.processors.secondary.BirthPrecision;
import org.careweave.processors.secondary.PseudonymKey;
import org.careweave.processors.secondary.Pseudonymiser;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.secondary.AnalystSink;
import org.careweave.store.views.SinkConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The national data opt-out end to end, as deployed: {@code careweave opt-out load} fills the list, HL7 goes in over
 * MLLP through the pipeline {@code careweave up} runs (ingest, mapping, identity, results, views, secondary use), and
 * the analyst sink writes PostgreSQL. An opted-out person stays in direct care (person.views) and never reaches the
 * secondary-use topics or the analyst tables; a later opt-out retracts; removal from the list re-admits; and no
 * direct identifier of anyone in the test appears in any field of any record of the secondary-use stream.
 *
 * <p>Invented people only; their NHS numbers are in the 999 range, never issued.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class SecondaryUseIT {

    private static final String PREFIX = "it-secondary-use.";
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    /** Opted out before any of their records arrive. */
    private static final Person ZEPHYRINE = new Person("9990000018", "QXW4471", "Quixwell", "Zephyrine", "19840723",
            "1984-07-23", "F", "17 Juniper Wynd", "Leeds", "LS1 4AB", "01130000777", "52");
    /** In the stream at first; opts out later; removed from the list again. */
    private static final Person OZYMANDIAS = new Person("9990000026", "THR5582", "Thrupp", "Ozymandias", "19710214",
            "1971-02-14", "M", "4 Kestrel Garth", "Leeds", "LS14 6JQ", "01130000888", "61");
    /** No NHS number: cannot be on the list (it is by NHS number), so always in the stream. */
    private static final Person WILHELMINA = new Person(null, "YRW6693", "Yarrowby", "Wilhelmina", "19901105",
            "1990-11-05", "F", "9 Quarry Vennel", "Manchester", "M1 1AE", "01610000999", "39");

    @TempDir
    static Path dataDir;

    private static Platform platform;
    private static Pipeline pipeline;
    private static MllpClient mllp;
    private static AnalystSink analystSink;
    private static StoreEndpoints analystDatabase;
    private static ExternalPlatformProperties cliProperties;
    private static Pseudonymiser pseudonyms;
    private static final List<String> controlIds = new ArrayList<>();

    @BeforeAll
    static void start(Platform shared) throws Exception {
        platform = OwnDatabase.on(shared, "it_secondary_pipeline");
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 3, (short) 1);
        // No pseudonym key is configured: as under `careweave up`, one is generated into the data dir.
        SettingsSource settings = SettingsSource.of(Map.of(
                PlatformConfig.TOPIC_PREFIX.key(), PREFIX,
                PlatformConfig.DATA_DIR.key(), dataDir.toString(),
                "mllp.port", "0",
                "api.port", "0",
                "mapping.application.id", PREFIX + "mapping",
                "processors.application.id", PREFIX + "processors"));
        pipeline = Pipeline.start(settings, platform, PlatformConfig.from(settings), dataDir,
                new PrintStream(OutputStream.nullOutputStream()));
        String address = pipeline.mllpAddress();
        mllp = MllpClient.connect("127.0.0.1", Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
        pseudonyms = new Pseudonymiser(PseudonymKey.ensure(dataDir), BirthPrecision.YEAR);
        // The pipeline's own analyst sink writes the platform's database, shared with other tests in this JVM; this
        // test reads a database of its own, fed by a second sink.
        analystDatabase = freshDatabase("it_secondary_use");
        analystSink = AnalystSink.start(SinkConfig.defaults().withRetryBackoff(Duration.ofMillis(200)),
                analystDatabase, PREFIX, new SimpleMeterRegistry());
        cliProperties = new ExternalPlatformProperties(platform, PREFIX);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cliProperties != null) {
            cliProperties.close();
        }
        if (analystSink != null) {
            analystSink.close();
        }
        if (mllp != null) {
            mllp.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void optedOutPeopleStayInDirectCareAndNeverReachSecondaryUseWhichCarriesNoDirectIdentifier()
            throws Exception {
        // The embedded key: generated once, readable by its owner only.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("pseudonym.key"))))
                .isEqualTo("rw-------");

        CommandRun firstList = loadOptOuts("list-1.csv", "nhs_number,recorded_date\n"
                + ZEPHYRINE.nhsNumber + ",2025-09-30\n");
        assertThat(firstList.exitCode()).as(firstList.err()).isZero();
        assertThat(firstList.outLines()).contains("  added 1, kept 0, removed 0, invalid 0");

        for (Person p : List.of(ZEPHYRINE, OZYMANDIAS, WILHELMINA)) {
            send(p.registration(control("ADT", p)));
            send(p.labResult(control("ORU", p)));
        }
        String zephyrine = personOf("RHMX1|" + ZEPHYRINE.mrn);
        String ozymandias = personOf("RHMX1|" + OZYMANDIAS.mrn);
        String wilhelmina = personOf("RHMX1|" + WILHELMINA.mrn);

        // Direct care is unaffected: the opted-out person's view is complete.
        await("person views with results", () -> {
            Map<String, PersonView> views = TopicContents.table(platform, Topics.PERSON_VIEWS.name(PREFIX));
            return List.of(zephyrine, ozymandias, wilhelmina).stream()
                    .allMatch(id -> views.containsKey(id) && views.get(id).getResults().size() == 2);
        });
        PersonView zephyrineView = TopicContents.<PersonView>table(platform, Topics.PERSON_VIEWS.name(PREFIX))
                .get(zephyrine);
        assertThat(zephyrineView.getNhsNumber()).isEqualTo(ZEPHYRINE.nhsNumber);
        assertThat(zephyrineView.getName().getFamily()).isEqualTo(ZEPHYRINE.family);

        // Secondary use: the two others, each with both results; the analyst tables follow.
        awaitPublished(ozymandias, wilhelmina);
        Thread.sleep(2_000); // Zephyrine's records went in first; give them time to come out, were they to
        assertNeverPublished(zephyrine);
        assertThat(analystCount("analyst_persons", pseudonyms.person(zephyrine))).isZero();
        assertThat(analystCount("analyst_results", pseudonyms.person(zephyrine))).isZero();
        SecondaryPerson published = TopicContents.<SecondaryPerson>table(platform,
                Topics.SECONDARY_PERSONS.name(PREFIX)).get(pseudonyms.person(ozymandias));
        assertThat(published.getBirthPeriod()).isEqualTo("1971");
        assertThat(published.getPostcodeDistrict()).isEqualTo("LS14");
        assertThat(published.getSex()).isEqualTo("M");

        // A later opt-out retracts the person and every result published for them, from topics and tables.
        CommandRun secondList = loadOptOuts("list-2.csv", ZEPHYRINE.nhsNumber + "\n" + OZYMANDIAS.nhsNumber + "\n");
        assertThat(secondList.outLines()).contains("  added 1, kept 1, removed 0, invalid 0");
        await("Ozymandias retracted from the topics and tables", () -> {
            String pseudonym = pseudonyms.person(ozymandias);
            Map<String, SecondaryPerson> persons = TopicContents.table(platform, Topics.SECONDARY_PERSONS.name(PREFIX));
            Map<String, SecondaryResult> results = TopicContents.table(platform,
                    Topics.SECONDARY_RESULTS.name(PREFIX));
            return !persons.containsKey(pseudonym)
                    && results.values().stream().noneMatch(r -> r.getPseudonym().equals(pseudonym))
                    && analystCount("analyst_persons", pseudonym) == 0
                    && analystCount("analyst_results", pseudonym) == 0;
        });
        assertThat(tombstones(Topics.SECONDARY_PERSONS.name(PREFIX))).contains(pseudonyms.person(ozymandias));
        assertThat(tombstones(Topics.SECONDARY_RESULTS.name(PREFIX))).hasSize(2);
        assertThat(analystCount("analyst_persons", pseudonyms.person(wilhelmina))).isEqualTo(1);

        // Removed from the list: re-admitted under the same pseudonym, from the current view.
        CommandRun thirdList = loadOptOuts("list-3.csv", ZEPHYRINE.nhsNumber + "\n");
        assertThat(thirdList.outLines()).contains("  added 0, kept 1, removed 1, invalid 0");
        awaitPublished(ozymandias, wilhelmina);
        assertNeverPublished(zephyrine);

        assertNoDirectIdentifierInTheSecondaryUseStream(List.of(zephyrine, ozymandias, wilhelmina));
        for (CommandRun run : List.of(firstList, secondList, thirdList)) {
            assertThat(run.out() + run.err()).doesNotContainPattern("(?<!\\d)999\\d{7}(?!\\d)");
        }
    }

    /** Every field of every record ever written to either topic (and every key), and every analyst row. */
    private static void assertNoDirectIdentifierInTheSecondaryUseStream(List<String> personIds) throws Exception {
        List<String> forbidden = new ArrayList<>(personIds);
        for (Person p : List.of(ZEPHYRINE, OZYMANDIAS, WILHELMINA)) {
            forbidden.addAll(p.directIdentifiers());
        }
        forbidden.addAll(controlIds);
        int checked = 0;
        for (String topic : List.of(Topics.SECONDARY_PERSONS.name(PREFIX), Topics.SECONDARY_RESULTS.name(PREFIX))) {
            for (ConsumerRecord<String, SpecificRecord> record : TopicContents.<SpecificRecord>all(platform, topic)) {
                List<AvroFields.Leaf> leaves = new ArrayList<>();
                leaves.add(new AvroFields.Leaf(topic + " key", record.key()));
                if (record.value() != null) {
                    leaves.addAll(AvroFields.leaves((IndexedRecord) record.value()));
                }
                checked += assertFree(leaves, forbidden);
            }
        }
        for (String table : List.of("analyst_persons", "analyst_results")) {
            checked += assertFree(rows(table), forbidden);
        }
        // 3 persons (one twice) + 6 results + 3 tombstones on the topics, and the rows: a real amount was looked at.
        assertThat(checked).isGreaterThan(100);
    }

    private static int assertFree(List<AvroFields.Leaf> leaves, List<String> forbidden) {
        for (AvroFields.Leaf leaf : leaves) {
            for (String identifier : forbidden) {
                assertThat(leaf.text()).as(leaf.path()).doesNotContainIgnoringCase(identifier);
            }
        }
        return leaves.size();
    }

    private static void awaitPublished(String... personIds) throws InterruptedException {
        await("published with both results, on the topics and in the tables", () -> {
            Map<String, SecondaryPerson> persons = TopicContents.table(platform, Topics.SECONDARY_PERSONS.name(PREFIX));
            Map<String, SecondaryResult> results = TopicContents.table(platform,
                    Topics.SECONDARY_RESULTS.name(PREFIX));
            for (String id : personIds) {
                String pseudonym = pseudonyms.person(id);
                if (!persons.containsKey(pseudonym)
                        || results.values().stream().filter(r -> r.getPseudonym().equals(pseudonym)).count() != 2
                        || analystCount("analyst_persons", pseudonym) != 1
                        || analystCount("analyst_results", pseudonym) != 2) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Not in any record of either topic, not even one later retracted, nor in the tables. */
    private static void assertNeverPublished(String personId) {
        String pseudonym = pseudonyms.person(personId);
        assertThat(TopicContents.all(platform, Topics.SECONDARY_PERSONS.name(PREFIX)))
                .noneMatch(r -> r.key().equals(pseudonym));
        assertThat(TopicContents.all(platform, Topics.SECONDARY_RESULTS.name(PREFIX)))
                .noneMatch(r -> r.value() != null && ((SecondaryResult) r.value()).getPseudonym().equals(pseudonym));
        assertThat(analystCount("analyst_persons", pseudonym)).isZero();
        assertThat(analystCount("analyst_results", pseudonym)).isZero();
    }

    private static List<String> tombstones(String topic) {
        return TopicContents.<SpecificRecord>all(platform, topic).stream().filter(r -> r.value() == null).map(ConsumerRecord::key)
                .toList();
    }

    private static CommandRun loadOptOuts(String name, String content) throws IOException {
        Path file = Files.writeString(dataDir.resolve(name), content);
        return CommandRun.of("opt-out", "load", file.toString());
    }

    private static void send(String message) throws IOException {
        String ack = mllp.send(message.replace("\n", "\r").getBytes(StandardCharsets.UTF_8));
        assertThat(ack).contains("MSA|AA");
    }

    private static String control(String kind, Person p) {
        String id = "SU-" + kind + "-" + p.mrn;
        controlIds.add(id);
        return id;
    }

    private static String personOf(String identifier) throws InterruptedException {
        Map<String, String> found = new HashMap<>();
        await("identity link of a test patient", () -> {
            Map<String, IdentityLink> links = TopicContents.table(platform, Topics.IDENTITY_LINKS.name(PREFIX));
            if (links.containsKey(identifier)) {
                found.put(identifier, links.get(identifier).getPersonId());
                return true;
            }
            return false;
        });
        return found.get(identifier);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(300);
        }
        assertThat(condition.getAsBoolean()).as(what + " within " + PATIENCE.toSeconds() + " s").isTrue();
    }

    private static long analystCount(String table, String pseudonym) {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table + " WHERE pseudonym = '" + pseudonym
                     + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            // The sink creates the tables on its first start; until then there is nothing.
            return -1;
        }
    }

    private static List<AvroFields.Leaf> rows(String table) throws SQLException {
        List<AvroFields.Leaf> leaves = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    String value = rs.getString(i);
                    if (value != null) {
                        leaves.add(new AvroFields.Leaf(table + "." + rs.getMetaData().getColumnName(i), value));
                    }
                }
            }
        }
        return leaves;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(analystDatabase.jdbcUrl(), analystDatabase.jdbcUser(),
                analystDatabase.jdbcPassword());
    }

    private static StoreEndpoints freshDatabase(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(platform.jdbcUrl(), platform.jdbcUser(),
                platform.jdbcPassword()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
        String url = platform.jdbcUrl();
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        return StoreEndpoints.of(platform).withJdbcUrl(url.substring(0, slash + 1) + name
                + (query < 0 ? "" : url.substring(query)));
    }

    /** An invented patient and the HL7 a hospital would send about them. */
    private record Person(String nhsNumber, String mrn, String family, String given, String hl7BirthDate,
                          String isoBirthDate, String sex, String addressLine, String city, String postcode,
                          String phone, String hba1c) {

        String identifiers() {
            String local = mrn + "^^^RHMX1^MR";
            return nhsNumber == null ? local : nhsNumber + "^^^NHS^NH~" + local;
        }

        String registration(String controlId) {
            return "MSH|^~\\&|PAS|RHMX1|CW|CW|20260601090000+0100||ADT^A04^ADT_A01|" + controlId + "|P|2.5\n"
                    + "EVN|A04|20260601090000+0100\n"
                    + "PID|1||" + identifiers() + "||" + family + "^" + given + "^^^Ms||" + hl7BirthDate + "|" + sex
                    + "|||" + addressLine + "^^" + city + "^^" + postcode + "^GBR||" + phone + "\n"
                    + "PV1|1|O\n";
        }

        /** An HbA1c with a note naming the patient, and a free-text comment full of identifiers. */
        String labResult(String controlId) {
            String filler = "FIL-" + mrn;
            return "MSH|^~\\&|LAB|RHMX1|CW|CW|20260601140000+0100||ORU^R01^ORU_R01|" + controlId + "|P|2.5\n"
                    + "PID|1||" + identifiers() + "||" + family + "^" + given + "||" + hl7BirthDate + "|" + sex + "\n"
                    + "OBR|1|PL-" + mrn + "|" + filler + "|4548-4^HbA1c^LN|||20260601100000+0100"
                    + "|||||||||||||||20260601133000+0100||CH|F\n"
                    + "OBX|1|NM|4548-4^HbA1c^LN||" + hba1c + "|mmol/mol|20-41|H|||F\n"
                    + "NTE|1||Discussed with " + given + " " + family + " of " + addressLine + "\n"
                    + "OBX|2|TX|8251-1^Service comment^LN||Sample from " + given + " " + family + ", " + addressLine
                    + ", " + postcode + ", tel " + phone + "||||||F\n";
        }

        List<String> directIdentifiers() {
            List<String> ids = new ArrayList<>(List.of(mrn, family, given, hl7BirthDate, isoBirthDate, addressLine,
                    postcode, postcode.replace(" ", ""), phone, "FIL-" + mrn, "PL-" + mrn));
            if (nhsNumber != null) {
                ids.add(nhsNumber);
            }
            return ids;
        }
    }
}
