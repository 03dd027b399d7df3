package org.careweave.store.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.careweave.events.Coding;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.HumanName;
import org.careweave.events.PersonView;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.testing.Await;
import org.careweave.store.testing.People;
import org.careweave.store.testing.Store;
import org.careweave.store.testing.TestDatabases;
import org.careweave.store.testing.ViewProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** person.views records, produced to a real Kafka, end up as rows in a real PostgreSQL. */
@ExtendWith(EmbeddedPlatformExtension.class)
class SinkIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final String PREFIX = "sinkit-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private static final String TOPIC = Topics.PERSON_VIEWS.name(PREFIX);

    private static StoreEndpoints endpoints;
    private static Store store;
    private static ViewProducer producer;
    private static SinkService sink;
    private static SimpleMeterRegistry metrics;

    @BeforeAll
    static void start(Platform platform) {
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 3, (short) 1);
        endpoints = TestDatabases.fresh(platform, "sinkit");
        store = new Store(endpoints);
        producer = new ViewProducer(endpoints, TOPIC);
        metrics = new SimpleMeterRegistry();
        sink = SinkService.start(SinkConfig.defaults(), endpoints, PREFIX, metrics);
    }

    @AfterAll
    static void stop() {
        if (sink != null) {
            sink.close();
        }
        if (producer != null) {
            producer.close();
        }
    }

    private static void caughtUp() {
        store.awaitCaughtUp(TOPIC, CATCH_UP);
    }

    @Test
    void aViewBecomesItsDocumentIdentifiersResultsAndEncounters() {
        OffsetDateTime collected = OffsetDateTime.parse("2024-06-01T23:30:00+01:00");
        DeduplicatedResult hba1c = People.result("S1-R1", "S1", People.HBA1C, "HbA1c", "48", "mmol/mol", collected)
                .setOrderCode(Coding.newBuilder().setSystem("RHMX1").setCode("DIAB").setDisplay("Diabetes review")
                        .build())
                .setSubId("1").setSetId(2).setNotes(List.of("Sample received late.", "Interpret with care."))
                .build();
        PersonView view = People.person("S1", 1, "9990000018", "Example", "Alice")
                .setResults(List.of(hba1c))
                .setEncounters(List.of(People.encounter("V-S1", "I", Instant.parse("2024-05-30T10:00:00Z"), null)))
                .build();

        producer.send(view);
        caughtUp();

        assertThat(store.rows("SELECT version, document->>'personId', document->'name'->>'family' FROM person_view"
                + " WHERE person_id = 'S1'")).containsExactly(List.of(1L, "S1", "Example"));
        assertThat(store.rows("SELECT system, value FROM person_identifier WHERE person_id = 'S1' ORDER BY system"))
                .containsExactly(List.of("RHMX1", "MRN-S1"), List.of(People.NHS, "9990000018"));
        assertThat(store.rows("""
                SELECT code_system, code, code_display, value, numeric_value, units, status,
                       collected_offset_seconds, collected_local_date::text, retracted,
                       collected_at = '2024-06-01T22:30:00Z'::timestamptz
                FROM result WHERE person_id = 'S1'"""))
                .containsExactly(List.of(People.LOINC, People.HBA1C, "HbA1c", "48", 48.0, "mmol/mol", "F", 3600,
                        "2024-06-01", false, true));
        assertThat(store.rows("""
                SELECT order_code_system, order_code, order_display, sub_id, set_id, array_to_string(notes, '/'),
                       document->'order'->>'display', document->>'subId', document->'notes'->>1
                FROM result WHERE person_id = 'S1'"""))
                .containsExactly(List.of("RHMX1", "DIAB", "Diabetes review", "1", 2,
                        "Sample received late./Interpret with care.", "Diabetes review", "1", "Interpret with care."));
        assertThat(store.rows("SELECT sending_facility, control_id FROM result_source WHERE person_id = 'S1'"
                + " ORDER BY ordinal")).containsExactly(List.of("RHMX1", "CTRL-S1-R1"), List.of("RR801", "GP-S1-R1"));
        assertThat(store.rows("SELECT visit_value, patient_class, discharged_at FROM encounter WHERE person_id = 'S1'"))
                .containsExactly(Arrays.asList("V-S1", "I", null));
        assertThat(store.value("SELECT count(*) FROM person_view WHERE document @> '{\"nhsNumber\":\"9990000018\"}'"))
                .isEqualTo(1L);
    }

    @Test
    void anOlderVersionDeliveredAgainDoesNotRegressTheRow() {
        producer.send(People.person("S2", 2, "9990000026", "Newer", "Bob").build());
        producer.send(People.person("S2", 1, "9990000026", "Older", "Bob").build());
        producer.send(People.person("S2", 2, "9990000026", "Newer", "Bob").build());
        caughtUp();

        assertThat(store.rows("SELECT version, document->'name'->>'family' FROM person_view WHERE person_id = 'S2'"))
                .containsExactly(List.of(2L, "Newer"));
        assertThat(metrics.counter("careweave.sink.records", "outcome", "stale").count()).isGreaterThanOrEqualTo(1);

        producer.send(People.person("S2", 3, "9990000026", "Newest", "Bob")
                .setOtherNames(List.of(HumanName.newBuilder().setFamily("O'Older").setGiven(List.of()).build()))
                .build());
        caughtUp();
        assertThat(store.value("SELECT document->'name'->>'family' FROM person_view WHERE person_id = 'S2'"))
                .isEqualTo("Newest");
        assertThat(store.rows("SELECT family, given, family_key, given_key FROM person_name WHERE person_id = 'S2'"
                + " ORDER BY family")).as("the search's rows follow the view: the name it no longer gives is gone")
                .containsExactly(List.of("Newest", "Bob", "newest", "bob"), List.of("O'Older", "", "oolder", ""));
    }

    @Test
    void aNameNoOneCouldHaveIsStoredInTheViewButNotMadeSearchable() {
        producer.send(People.person("S9", 1, "9990000042", "Z".repeat(5_000), "Ann")
                .setOtherNames(List.of(HumanName.newBuilder().setFamily("Searchable")
                        .setGiven(List.of("Q".repeat(5_000), "Bo")).build()))
                .build());
        caughtUp();

        assertThat(store.value("SELECT length(document->'name'->>'family') FROM person_view WHERE person_id = 'S9'"))
                .isEqualTo(5_000);
        assertThat(store.rows("SELECT family, given FROM person_name WHERE person_id = 'S9'"))
                .as("a name that would overflow the index is left out, and the sink goes on")
                .containsExactly(List.of("Searchable", "Bo"));
    }

    /**
     * PostgreSQL holds no NUL character (a text column refuses it, JSONB its escape), and no index entry over about
     * 2,700 bytes: before, either stopped the sink for good (the batch retried for ever, no view updated again).
     */
    @Test
    void aViewWithANulOrAValueNoIndexCanHoldIsStoredAndTheSinkGoesOn() {
        String absurd = noise(3_000);
        OffsetDateTime collected = OffsetDateTime.parse("2024-04-02T09:00:00+01:00");
        Instant admitted = Instant.parse("2024-04-01T10:00:00Z");
        PersonView longValues = People.person("S10", 1, "9990000573", "Long", "Ida")
                .setIdentifiers(List.of(People.nhsNumber("9990000573"), People.local("RHMX1", absurd)))
                .setResults(List.of(People.result("S10-R1", "S10", absurd, "Garbled", "5", "mmol/L", collected)
                        .build()))
                .setEncounters(List.of(People.encounter(absurd, "I", admitted, null)))
                .build();
        PersonView nul = People.person("S11", 1, "9990000581", "A\u0000B", "Jo")
                .setResults(List.of(People.result("S11-R1", "S11", People.POTASSIUM, "Potassium\u0000", "4.1", "mmol/L",
                        collected).setNotes(List.of("Haemolysed\u0000")).build()))
                .setEncounters(List.of(People.encounter("V-S11", "O", admitted, null)))
                .build();
        producer.send(longValues);
        producer.send(nul);
        producer.send(People.person("S12", 1, "9990000603", "Next", "Kim").build());
        caughtUp();

        assertThat(store.value("SELECT document->'name'->>'family' FROM person_view WHERE person_id = 'S12'"))
                .as("the person after them is stored: the sink went on").isEqualTo("Next");

        assertThat(store.value("SELECT document->'identifiers'->1->>'value' FROM person_view WHERE person_id = 'S10'"))
                .as("the view keeps the value as sent").isEqualTo(absurd);
        assertThat(store.rows("SELECT system, value FROM person_identifier WHERE person_id = 'S10'"))
                .as("the identifier lookup leaves it out").containsExactly(List.of(People.NHS, "9990000573"));
        assertThat(store.rows("SELECT code_system, code, document->'code'->>'code' = ? FROM result"
                + " WHERE person_id = 'S10'", absurd)).containsExactly(Arrays.asList(null, null, true));
        assertThat(store.rows("SELECT visit_system, visit_value, patient_class,"
                + " document->'encounters'->0->'visit'->>'value' = ?"
                + " FROM encounter JOIN person_view USING (person_id) WHERE person_id = 'S10'", absurd))
                .containsExactly(Arrays.asList(null, null, "I", true));

        assertThat(store.value("SELECT document->'name'->>'family' FROM person_view WHERE person_id = 'S11'"))
                .as("a NUL is stored as U+FFFD").isEqualTo("A\uFFFDB");
        assertThat(store.rows("SELECT family, family_key FROM person_name WHERE person_id = 'S11'"))
                .containsExactly(List.of("A\uFFFDB", "a\uFFFDb"));
        assertThat(store.rows("SELECT code_display, array_to_string(notes, '/'), document->'code'->>'display'"
                + " FROM result WHERE person_id = 'S11'"))
                .containsExactly(List.of("Potassium\uFFFD", "Haemolysed\uFFFD", "Potassium\uFFFD"));
    }

    /** What PostgreSQL still refuses of a record is set aside, with why; the records around it are written. */
    @Test
    void aRecordTheDatabaseRefusesIsSetAsideAndTheOthersAreWritten() {
        String absurdId = noise(3_000);
        double skippedBefore = metrics.counter("careweave.sink.records", "outcome", "skipped").count();
        producer.send(People.person("S13", 1, "9990000611", "Before", "Lee").build());
        var refused = producer.send(People.person(absurdId, 1, "9990000573", "Refused", "Max").build());
        producer.send(People.person("S14", 1, "9990000042", "After", "Ned").build());
        caughtUp();

        assertThat(store.rows("SELECT person_id FROM person_view WHERE person_id IN ('S13', 'S14') ORDER BY 1"))
                .containsExactly(List.of("S13"), List.of("S14"));
        assertThat(store.count("SELECT count(*) FROM person_view WHERE document->'name'->>'family' = 'Refused'"))
                .isZero();
        List<List<Object>> reasons = store.rows("SELECT reason FROM sink_skipped_record WHERE topic = ?"
                + " AND kafka_partition = ? AND kafka_offset = ?", TOPIC, refused.partition(), refused.offset());
        assertThat(reasons).hasSize(1);
        assertThat((String) reasons.get(0).get(0)).startsWith("refused by the database").contains("SQLSTATE 54000")
                .doesNotContain(absurdId.substring(0, 20));
        assertThat(metrics.counter("careweave.sink.records", "outcome", "skipped").count())
                .isEqualTo(skippedBefore + 1);
    }

    /** Letters and digits that do not compress, so that PostgreSQL cannot shrink them into an index entry. */
    private static String noise(int length) {
        Random random = new Random(length);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Test
    void aTombstoneRemovesEveryRowOfThePersonAndAReplayedOldViewDoesNotBringItBack() {
        PersonView view = People.person("S3", 4, "9990000034", "Gone", "Carol")
                .setResults(List.of(People.result("S3-R1", "S3", People.POTASSIUM, "Potassium", "4.1", "mmol/L",
                        OffsetDateTime.parse("2024-02-01T08:00:00Z")).build()))
                .setEncounters(List.of(People.encounter("V-S3", "O", Instant.parse("2024-02-01T08:00:00Z"),
                        Instant.parse("2024-02-01T09:00:00Z"))))
                .build();
        producer.send(view);
        producer.tombstone("S3");
        producer.send(view);
        caughtUp();

        for (String table : List.of("person_view", "person_identifier", "person_name", "result", "result_source",
                "encounter")) {
            assertThat(store.count("SELECT count(*) FROM " + table + " WHERE person_id = 'S3'")).as(table).isZero();
        }
        assertThat(store.rows("SELECT last_version FROM person_removed WHERE person_id = 'S3'"))
                .containsExactly(List.of(4L));

        producer.send(People.person("S3", 5, "9990000034", "Back", "Carol").build());
        caughtUp();
        assertThat(store.value("SELECT document->'name'->>'family' FROM person_view WHERE person_id = 'S3'"))
                .isEqualTo("Back");
        assertThat(store.count("SELECT count(*) FROM person_removed WHERE person_id = 'S3'")).isZero();
    }

    @Test
    void aMergedPersonRedirectsToItsSurvivor() {
        producer.send(People.person("S5", 1, "9990000050", "Merged", "Eve").build());
        producer.send(People.person("S4", 2, "9990000042", "Survivor", "Dan")
                .setMergedPersonIds(List.of("S5")).build());
        producer.tombstone("S5");
        caughtUp();

        assertThat(store.rows("SELECT survivor_person_id, survivor_version FROM person_redirect"
                + " WHERE merged_person_id = 'S5'")).containsExactly(List.of("S4", 2L));
        assertThat(store.count("SELECT count(*) FROM person_view WHERE person_id = 'S5'")).isZero();

        // Unmerged: the survivor no longer claims S5, so the redirect goes.
        producer.send(People.person("S4", 3, "9990000042", "Survivor", "Dan").build());
        caughtUp();
        assertThat(store.count("SELECT count(*) FROM person_redirect WHERE merged_person_id = 'S5'")).isZero();
    }

    @Test
    void anUnreadableRecordIsSteppedOverWithARowSayingWhere() {
        var bad = producer.sendRaw("S6", "not avro".getBytes(StandardCharsets.UTF_8));
        producer.send(People.person("S6", 1, "9990000069", "After", "Fay").build());
        caughtUp();

        assertThat(store.rows("SELECT kafka_partition, kafka_offset FROM sink_skipped_record WHERE topic = ?", TOPIC))
                .contains(List.of(bad.partition(), bad.offset()));
        assertThat(store.value("SELECT document->'name'->>'family' FROM person_view WHERE person_id = 'S6'"))
                .isEqualTo("After");
    }

    @Test
    void aViewUnderAnotherPersonsKeyIsSteppedOver() {
        var wrong = producer.send("S7", People.person("S8", 1, "9990000018", "Wrong", "Key").build());
        caughtUp();

        assertThat(store.count("SELECT count(*) FROM person_view WHERE person_id IN ('S7', 'S8')")).isZero();
        assertThat(store.rows("SELECT reason FROM sink_skipped_record WHERE kafka_partition = ? AND kafka_offset = ?",
                wrong.partition(), wrong.offset())).containsExactly(List.of("key does not match PersonView.personId"));
    }

    @Test
    void aRestartedSinkGoesOnFromTheStoredPositions() {
        sink.close();
        producer.send(People.person("S9", 1, "9990000018", "WhileStopped", "Gil").build());
        sink = SinkService.start(SinkConfig.defaults(), endpoints, PREFIX, metrics);
        caughtUp();

        assertThat(store.value("SELECT document->'name'->>'family' FROM person_view WHERE person_id = 'S9'"))
                .isEqualTo("WhileStopped");
        Await.until("sink healthy", CATCH_UP, () -> sink.healthCheck().check().up());
        Await.until("lag 0", CATCH_UP, () -> sink.lag().orElse(-1) == 0);
        assertThat(metrics.get("careweave.sink.lag").gauge().value()).isZero();
    }
}
