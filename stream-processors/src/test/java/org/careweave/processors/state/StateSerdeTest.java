package org.careweave.processors.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import org.careweave.processors.identity.SourceRecord;
import org.careweave.processors.results.PersonResults;
import org.junit.jupiter.api.Test;

class StateSerdeTest {

    private final StateSerde<PersonResults> results = new StateSerde<>(PersonResults.class);
    private final StateSerde<SourceRecord> sourceRecords = new StateSerde<>(SourceRecord.class);

    /** Written by the JSON-text serde of careweave before Smile (JsonSerde, commit a6cbeae): what changelogs hold. */
    @Test
    void readsTheJsonTextThatStoresAndChangelogsHoldFromBefore() throws IOException {
        SourceRecord record = sourceRecords.deserializer().deserialize("mpi-source-records",
                fixture("source-record-json-v0.json"));

        assertThat(record.sourceKey()).isEqualTo("RHMX1|E2E100");
        assertThat(record.identifiers()).containsExactly("RHMX1|E2E100",
                "https://fhir.nhs.uk/Id/nhs-number|9990000018");
        assertThat(record.value(SourceRecord.GIVEN)).isEqualTo("Alexandra");
        assertThat(record.fields().get(SourceRecord.BIRTH_DATE).recordedAt())
                .isEqualTo(Instant.parse("2026-11-01T09:30:00Z"));
        assertThat(record.fields().get(SourceRecord.PHONE).value()).as("a cleared field stays cleared").isNull();
        assertThat(record.personId()).isEqualTo("cwp-0000000000000007");

        PersonResults state = results.deserializer().deserialize("person-results",
                fixture("person-results-json-v0.json"));
        assertThat(state.personId()).isEqualTo("cwp-fixture");
        assertThat(state.versions()).hasSize(3);
        assertThat(state.versions()).extracting(v -> v.numericValue()).containsExactlyInAnyOrder(40.0, 41.0, 42.0);
        assertThat(state.versions()).allSatisfy(v -> assertThat(v.collectedAt().instant())
                .isEqualTo(Instant.parse("2020-01-01T09:00:00Z")));
    }

    @Test
    void writesSmileThatReadsBackToTheSameValue() throws IOException {
        PersonResults state = results.deserializer().deserialize("person-results",
                fixture("person-results-json-v0.json"));
        SourceRecord record = sourceRecords.deserializer().deserialize("mpi-source-records",
                fixture("source-record-json-v0.json"));

        byte[] written = results.serializer().serialize("person-results", state);
        byte[] writtenRecord = sourceRecords.serializer().serialize("mpi-source-records", record);

        assertThat(StateSerde.isSmile(written)).isTrue();
        assertThat(results.deserializer().deserialize("person-results", written)).isEqualTo(state);
        assertThat(sourceRecords.deserializer().deserialize("mpi-source-records", writtenRecord)).isEqualTo(record);
        assertThat(StateSerde.isSmile(fixture("person-results-json-v0.json"))).isFalse();
    }

    @Test
    void whatCameWithAResultAndTheIdentifiersTypesSurviveTheStore() {
        SourceRecord record = new SourceRecord("RHMX1|S1", "RHMX1", List.of("RHMX1|S1"), null,
                java.util.Map.of(SourceRecord.GIVEN, new SourceRecord.Stated("J", "C1", Instant.EPOCH, true),
                        SourceRecord.FAMILY, new SourceRecord.Stated("Invented", "C0", Instant.EPOCH, false,
                                Instant.parse("2026-01-05T08:00:00Z"))),
                "cwp-1", List.of("MR"));

        SourceRecord read = sourceRecords.deserializer().deserialize("mpi-source-records",
                sourceRecords.serializer().serialize("mpi-source-records", record));

        assertThat(read).isEqualTo(record);
        assertThat(read.fields().get(SourceRecord.GIVEN).fromResult()).isTrue();
        assertThat(read.fields().get(SourceRecord.FAMILY).fromResult()).isFalse();
    }

    @Test
    void smileIsSmallerThanTheJsonTextOfTheSameState() throws IOException {
        PersonResults three = results.deserializer().deserialize("person-results",
                fixture("person-results-json-v0.json"));
        // Repeated versions, as a person's state repeats field names and facility strings for every result.
        PersonResults many = new PersonResults(three.personId(), java.util.stream.Stream.generate(three::versions)
                .limit(20).flatMap(List::stream).toList());

        int json = fixture("person-results-json-v0.json").length;
        int smile = results.serializer().serialize("person-results", three).length;
        int smileMany = results.serializer().serialize("person-results", many).length;

        assertThat(smile).isLessThan(json * 2 / 3);
        assertThat(smileMany).as("a field name written once and referred back to; numbers and instants in binary")
                .isLessThan(json * 20 / 2);
        assertThat(results.deserializer().deserialize("person-results",
                results.serializer().serialize("person-results", many))).isEqualTo(many);
    }

    @Test
    void nullStaysNullForTombstones() {
        assertThat(results.serializer().serialize("person-results", null)).isNull();
        assertThat(results.deserializer().deserialize("person-results", null)).isNull();
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = StateSerdeTest.class.getResourceAsStream("/state/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
