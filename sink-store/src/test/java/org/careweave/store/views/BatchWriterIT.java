package org.careweave.store.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.Identifier;
import org.careweave.events.PersonView;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.db.StoreDatabase;
import org.careweave.store.testing.People;
import org.careweave.store.testing.Store;
import org.careweave.store.testing.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The set-wise batch write against a real PostgreSQL, without Kafka, so that a test chooses exactly which records
 * share a batch: a batch must leave the same rows (and count the same outcomes) as its records written one by one.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class BatchWriterIT {

    private static final String TOPIC = "batchit.person.views";

    private static Platform platform;

    @BeforeAll
    static void keep(Platform p) {
        platform = p;
    }

    @Test
    void severalVersionsOfOnePersonWithATombstoneInTheMiddleLeaveTheLastAppliedRecordsRows() throws Exception {
        List<ConsumerRecord<String, PersonView>> records = List.of(
                view(0, 0, person("B1", 1)),
                view(0, 1, person("B1", 2)),
                tombstone(0, 2, "B1"),
                view(0, 3, person("B1", 1)),   // an older view delivered again: the removal keeps it out
                view(0, 4, person("B1", 3)),   // newer than the removed version: the person is back
                view(0, 5, person("B2", 1)),
                tombstone(0, 6, "B2"),
                view(0, 7, person("B2", 1)));  // the removed version again: stays removed
        Store batch = fresh("batchit_versions_batch");
        BatchWriter.Outcome outcome = write(batch, records, records.size());
        Store single = fresh("batchit_versions_single");
        BatchWriter.Outcome oneByOne = write(single, records, 1);

        assertThat(outcome).isEqualTo(new BatchWriter.Outcome(4, 2, 2, 0)).isEqualTo(oneByOne);
        assertThat(batch.rows("SELECT person_id, version, kafka_offset FROM person_view"))
                .containsExactly(List.of("B1", 3L, 4L));
        assertThat(batch.rows("SELECT person_id, last_version, kafka_offset FROM person_removed"))
                .containsExactly(List.of("B2", 1L, 6L));
        assertThat(batch.count("SELECT count(*) FROM result WHERE person_id = 'B1'")).isEqualTo(2);
        assertThat(batch.count("SELECT count(*) FROM person_identifier WHERE person_id = 'B2'")).isZero();
        assertThat(batch.positions(TOPIC)).isEqualTo(Map.of(0, 8L));
        assertThat(batch.snapshot()).isEqualTo(single.snapshot());
    }

    @Test
    void mergesAndUnmergesInOneBatchLeaveTheRedirectsOfWritingThemInTurn() throws Exception {
        List<ConsumerRecord<String, PersonView>> records = List.of(
                view(0, 0, person("M1", 1)),
                view(0, 1, person("M2", 1)),
                view(0, 2, person("M3", 1)),
                // M1 takes M2; M2's tombstone follows.
                view(0, 3, person("M1", 2, "M2")),
                tombstone(0, 4, "M2"),
                // M3 takes M2 over from M1 (M1's view listing M2 is M1's last), then lets it go again: written in
                // turn, M2's redirect is deleted there, although M1's last view still lists it (M4 claims it below).
                view(0, 5, person("M3", 2, "M2")),
                view(0, 6, person("M3", 3)),
                // M4 takes M5 and then M1 with it: M4's redirects replace M1's.
                view(1, 0, person("M5", 1)),
                view(1, 1, person("M4", 1, "M5")),
                tombstone(1, 2, "M5"),
                view(1, 3, person("M4", 2, "M5", "M1", "M2")),
                tombstone(0, 7, "M1"));
        Store batch = fresh("batchit_merges_batch");
        write(batch, records, records.size());
        Store single = fresh("batchit_merges_single");
        write(single, records, 1);

        assertThat(single.rows("SELECT merged_person_id, survivor_person_id, survivor_version FROM person_redirect"
                + " ORDER BY 1")).containsExactly(List.of("M1", "M4", 2L), List.of("M2", "M4", 2L),
                List.of("M5", "M4", 2L));
        assertThat(batch.snapshot()).isEqualTo(single.snapshot());

        // And the case where only the in-order replay gets it right: no later survivor claims the id.
        List<ConsumerRecord<String, PersonView>> race = List.of(
                view(0, 0, person("R1", 1, "RX")),
                view(0, 1, person("R2", 1, "RX")),
                view(0, 2, person("R2", 2)));
        Store raceBatch = fresh("batchit_race_batch");
        write(raceBatch, race, race.size());
        Store raceSingle = fresh("batchit_race_single");
        write(raceSingle, race, 1);
        assertThat(raceSingle.count("SELECT count(*) FROM person_redirect")).isZero();
        assertThat(raceBatch.snapshot()).isEqualTo(raceSingle.snapshot());
    }

    @Test
    void aNewViewRewritesOnlyTheChildRowsThatChangedAndEndsWithTheRowsOfThatViewAlone() throws Exception {
        OffsetDateTime collected = OffsetDateTime.parse("2024-02-01T09:30:00+01:00");
        Instant admitted = Instant.parse("2024-02-01T08:00:00Z");
        DeduplicatedResult r1 = People.result("C1-R1", "C1", People.HBA1C, "HbA1c", "48", "mmol/mol", collected).build();
        DeduplicatedResult r2 = People.result("C1-R2", "C1", People.POTASSIUM, "Potassium", "4.1", "mmol/L", collected)
                .build();
        DeduplicatedResult r2Corrected = DeduplicatedResult.newBuilder(r2).setValue("4.5").setNumericValue(4.5)
                .setStatus("C").setVersionCount(2).build();
        DeduplicatedResult r3 = People.result("C1-R3", "C1", People.HBA1C, "HbA1c", "50", "mmol/mol", collected).build();
        DeduplicatedResult r4 = People.result("C1-R4", "C1", People.POTASSIUM, "Potassium", "3.9", "mmol/L", collected)
                .build();
        DeduplicatedResult r4ThirdSource = DeduplicatedResult.newBuilder(r4).setSources(List.of(
                r4.getSources().get(0), r4.getSources().get(1), People.source("RAE01", "OTHER-C1-R4"))).build();
        PersonView v1 = People.person("C1", 1, People.NHS_NUMBERS.get(1), "Family", "Given")
                .setEncounters(List.of(People.encounter("V1", "I", admitted, null),
                        People.encounter("V2", "O", admitted.plusSeconds(3600), null)))
                .setResults(List.of(r1, r2, r3))
                .build();
        PersonView v2 = PersonView.newBuilder(v1).setVersion(2)
                .setIdentifiers(List.of(People.nhsNumber(People.NHS_NUMBERS.get(1)),
                        Identifier.newBuilder(People.local("RHMX1", "MRN-C1")).setType("PI").build()))
                .setEncounters(List.of(People.encounter("V1", "I", admitted, null),
                        People.encounter("V2", "O", admitted.plusSeconds(3600), admitted.plusSeconds(7200))))
                .setResults(List.of(r1, r2Corrected, r4))
                .build();
        PersonView v3 = PersonView.newBuilder(v2).setVersion(3)
                .setIdentifiers(List.of(People.nhsNumber(People.NHS_NUMBERS.get(1))))
                .setEncounters(List.of(People.encounter("V1", "I", admitted, null)))
                .setResults(List.of(r4ThirdSource, r1, r2Corrected))
                .build();

        Store history = fresh("batchit_diff_history");
        write(history, List.of(view(0, 0, v1)), 1);
        String r1Written = xmin(history, "C1-R1");
        write(history, List.of(view(0, 1, v2)), 1);
        assertThat(xmin(history, "C1-R1")).as("an unchanged result is left as it is").isEqualTo(r1Written);
        String r2Rewritten = xmin(history, "C1-R2");
        assertThat(r2Rewritten).as("a changed result is written again").isNotEqualTo(r1Written);
        write(history, List.of(view(0, 2, v3)), 1);
        assertThat(xmin(history, "C1-R1")).isEqualTo(r1Written);
        assertThat(xmin(history, "C1-R2")).isEqualTo(r2Rewritten);
        assertThat(history.count("SELECT count(*) FROM result_source WHERE result_id = 'C1-R4'")).isEqualTo(3);

        Store lastOnly = fresh("batchit_diff_last_only");
        write(lastOnly, List.of(view(0, 2, v3)), 1);
        assertThat(history.snapshot()).isEqualTo(lastOnly.snapshot());

        // A row stored before fingerprints existed has none: the next view writes it again, with one.
        try (Connection c = history.connect()) {
            c.createStatement().executeUpdate("UPDATE result SET fingerprint = NULL WHERE result_id = 'C1-R1'");
        }
        write(history, List.of(view(0, 3, PersonView.newBuilder(v3).setVersion(4).build())), 1);
        assertThat(xmin(history, "C1-R1")).isNotEqualTo(r1Written);
        assertThat(xmin(history, "C1-R2")).isEqualTo(r2Rewritten);
        assertThat(history.count("SELECT count(*) FROM result WHERE fingerprint IS NULL")).isZero();
    }

    /** The transaction that last wrote a result row: it changes only when the row is written again. */
    private static String xmin(Store store, String resultId) {
        return (String) store.value("SELECT xmin::text FROM result WHERE result_id = ?", resultId);
    }

    @Test
    void aSeededWorkloadLeavesTheSameRowsWhateverTheBatchSize() throws Exception {
        List<ConsumerRecord<String, PersonView>> records = new ArrayList<>();
        long[] offsets = new long[3];
        for (Workload.Record r : Workload.generate(20_260_101L, 25, 600)) {
            int partition = Math.floorMod(r.key().hashCode(), 3);
            records.add(new ConsumerRecord<>(TOPIC, partition, offsets[partition]++, r.key(), r.view()));
        }
        // A key without a person and a view under another person's key are skipped, in a batch like any other.
        records.add(5, new ConsumerRecord<>(TOPIC, 0, offsets[0]++, null, person("N1", 1)));
        records.add(40, new ConsumerRecord<>(TOPIC, 1, offsets[1]++, "N2", person("N3", 1)));
        Store single = fresh("batchit_workload_single");
        BatchWriter.Outcome expected = write(single, records, 1);
        Map<String, List<String>> oneByOne = single.snapshot();
        assertThat(oneByOne.get("person_redirect")).isNotEmpty();
        assertThat(oneByOne.get("person_removed")).isNotEmpty();
        assertThat(oneByOne.get("sink_skipped_record")).hasSize(2);
        for (int size : new int[] {7, 100, records.size()}) {
            Store batched = fresh("batchit_workload_" + size);
            assertThat(write(batched, records, size)).as("outcome, batches of %d", size).isEqualTo(expected);
            assertThat(batched.snapshot()).as("batches of %d", size).isEqualTo(oneByOne);
        }
    }

    private static Store fresh(String name) {
        StoreEndpoints endpoints = TestDatabases.fresh(platform, name);
        StoreDatabase.migrate(endpoints);
        return new Store(endpoints);
    }

    private static BatchWriter.Outcome write(Store store, List<ConsumerRecord<String, PersonView>> records, int size)
            throws SQLException {
        BatchWriter writer = new BatchWriter(TOPIC, new PersonRows(new PersonDocuments(ZoneId.of("Europe/London"))));
        BatchWriter.Outcome total = new BatchWriter.Outcome(0, 0, 0, 0);
        try (Connection c = store.connect()) {
            for (int from = 0; from < records.size(); from += size) {
                total = total.plus(writer.write(c, records.subList(from, Math.min(records.size(), from + size))));
            }
        }
        return total;
    }

    private static PersonView person(String id, long version, String... merged) {
        return People.person(id, version, People.NHS_NUMBERS.get(0), "Family" + version, "Given")
                .setResults(List.of(
                        People.result(id + "-R1", id, People.HBA1C, "HbA1c", "48", "mmol/mol", null).build(),
                        People.result(id + "-R2", id, People.POTASSIUM, "Potassium", "4.1", "mmol/L", null).build()))
                .setMergedPersonIds(List.of(merged))
                .build();
    }

    private static ConsumerRecord<String, PersonView> view(int partition, long offset, PersonView view) {
        return new ConsumerRecord<>(TOPIC, partition, offset, view.getPersonId(), view);
    }

    private static ConsumerRecord<String, PersonView> tombstone(int partition, long offset, String personId) {
        return new ConsumerRecord<>(TOPIC, partition, offset, personId, null);
    }
}
