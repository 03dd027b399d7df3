package org.careweave.store.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import org.careweave.events.DeduplicatedResult;
import org.careweave.events.EncounterView;
import org.careweave.store.testing.People;
import org.junit.jupiter.api.Test;

class RowFingerprintsTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final DeduplicatedResult RESULT = People.result("R1", "P1", People.HBA1C, "HbA1c", "48",
            "mmol/mol", OffsetDateTime.parse("2024-02-01T09:30:00+01:00")).build();
    private static final EncounterView ENCOUNTER = People.encounter("V1", "I", Instant.parse("2024-02-01T08:00:00Z"),
            null);

    @Test
    void equalValuesHaveEqualFingerprintsAcrossInstances() {
        RowFingerprints one = new RowFingerprints(LONDON);
        RowFingerprints other = new RowFingerprints(LONDON);

        assertThat(one.result(RESULT)).isEqualTo(other.result(DeduplicatedResult.newBuilder(RESULT).build()))
                .isEqualTo(one.result(RESULT));
        assertThat(one.encounter(ENCOUNTER)).isEqualTo(other.encounter(ENCOUNTER));
        assertThat(one.result(RESULT).remaining()).isEqualTo(16);
    }

    @Test
    void anyChangeToWhatARowIsWrittenFromChangesItsFingerprint() {
        RowFingerprints fingerprints = new RowFingerprints(LONDON);

        assertThat(fingerprints.result(DeduplicatedResult.newBuilder(RESULT).setValue("49").build()))
                .isNotEqualTo(fingerprints.result(RESULT));
        assertThat(fingerprints.result(DeduplicatedResult.newBuilder(RESULT)
                .setSources(List.of(RESULT.getSources().get(0))).build()))
                .as("a source less").isNotEqualTo(fingerprints.result(RESULT));
        assertThat(fingerprints.result(DeduplicatedResult.newBuilder(RESULT).setRetracted(true).build()))
                .isNotEqualTo(fingerprints.result(RESULT));
        assertThat(fingerprints.encounter(EncounterView.newBuilder(ENCOUNTER)
                .setDischargedAt(Instant.parse("2024-02-02T08:00:00Z")).build()))
                .isNotEqualTo(fingerprints.encounter(ENCOUNTER));
    }

    @Test
    void anotherDisplayZoneChangesEveryFingerprintBecauseTheDocumentsShowInstantsInIt() {
        assertThat(new RowFingerprints(ZoneId.of("UTC")).result(RESULT))
                .isNotEqualTo(new RowFingerprints(LONDON).result(RESULT));
    }
}
