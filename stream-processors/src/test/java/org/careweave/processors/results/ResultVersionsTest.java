package org.careweave.processors.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.careweave.events.ObservationEvent;
import org.junit.jupiter.api.Test;

/** Status precedence over the versions of one result. */
class ResultVersionsTest {

    private static Observations result() {
        return Observations.at("RHMX1").patient("L100").filler("F8001").code(Observations.loinc("14647-2"))
                .collected("2026-02-10T09:30:00Z");
    }

    private final ObservationEvent preliminary = result().status("P").numeric("5.1", "mmol/L")
            .reported("2026-02-10T11:00:00Z").received("2026-02-10T11:00:05Z").event();
    private final ObservationEvent finalResult = result().status("F").numeric("5.2", "mmol/L")
            .reported("2026-02-10T15:00:00Z").received("2026-02-10T15:00:05Z").event();
    private final ObservationEvent corrected = result().status("C").numeric("5.8", "mmol/L")
            .reported("2026-02-12T10:00:00Z").received("2026-02-12T10:00:05Z").event();

    @Test
    void preliminaryThenFinalThenCorrectedEndsCorrectedWithTheNewValue() {
        assertThat(ResultVersions.current(List.of(preliminary))).contains(preliminary);
        assertThat(ResultVersions.current(List.of(preliminary, finalResult))).contains(finalResult);
        assertThat(ResultVersions.current(List.of(preliminary, finalResult, corrected))).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("C");
            assertThat(c.getValue()).isEqualTo("5.8");
        });
    }

    @Test
    void everyArrivalOrderGivesTheSameCurrentVersion() {
        for (List<ObservationEvent> order : Permutations.of(List.of(preliminary, finalResult, corrected))) {
            assertThat(ResultVersions.current(order)).as("order %s", statuses(order)).contains(corrected);
        }
    }

    @Test
    void aLatePreliminaryNeverReplacesTheFinal() {
        ObservationEvent latePreliminary = result().status("P").numeric("5.0", "mmol/L")
                .reported("2026-02-20T09:00:00Z").received("2026-02-20T09:00:00Z").event();
        assertThat(ResultVersions.current(List.of(finalResult, latePreliminary))).contains(finalResult);
    }

    @Test
    void withinOneStatusTheLaterReportWins() {
        ObservationEvent reissued = result().status("F").numeric("5.3", "mmol/L")
                .reported("2026-02-11T09:00:00Z").received("2026-02-11T09:00:05Z").event();
        assertThat(ResultVersions.current(List.of(reissued, finalResult))).contains(reissued);
    }

    @Test
    void aResendWithANewControlIdDoesNotBringBackAnEarlierVersion() {
        // No OBR-22, and OBX-14 is the collection time: the two corrections tie on status and report time.
        Observations unreported = Observations.at("RHMX1").patient("L100").filler("F8002")
                .code(Observations.loinc("14647-2")).collected("2026-02-10T09:30:00Z").status("C");
        ObservationEvent firstCorrection = unreported.numeric("5.8", "mmol/L").controlId("LAB-0001")
                .received("2026-02-12T10:00:05Z").event();
        ObservationEvent secondCorrection = unreported.numeric("6.0", "mmol/L").controlId("LAB-0002")
                .received("2026-02-13T10:00:05Z").event();
        // the interface engine sends the first correction again, under a control id of its own
        ObservationEvent resent = unreported.numeric("5.8", "mmol/L").controlId("IE-7731")
                .received("2026-02-14T10:00:05Z").event();

        for (List<ObservationEvent> order : Permutations.of(List.of(firstCorrection, secondCorrection, resent))) {
            assertThat(ResultVersions.current(order)).as("order %s", controlIds(order)).contains(secondCorrection);
        }
    }

    @Test
    void deletedAndWithdrawnRetractWhateverArrivesAfterThem() {
        for (String retraction : List.of("D", "W")) {
            ObservationEvent retracted = result().status(retraction).noValue()
                    .reported("2026-02-11T09:00:00Z").received("2026-02-11T09:00:05Z").event();
            for (List<ObservationEvent> order : Permutations.of(List.of(preliminary, finalResult, corrected,
                    retracted))) {
                assertThat(ResultVersions.current(order)).as("order %s", statuses(order)).contains(retracted);
            }
        }
        assertThat(ResultStatus.isRetraction("w")).isTrue();
        assertThat(ResultStatus.isRetraction("C")).isFalse();
    }

    @Test
    void statusRanks() {
        assertThat(ResultStatus.rank("P")).isLessThan(ResultStatus.rank("R"));
        assertThat(ResultStatus.rank("I")).isEqualTo(ResultStatus.rank("S"));
        assertThat(ResultStatus.rank("S")).isLessThan(ResultStatus.rank("F"));
        assertThat(ResultStatus.rank("F")).isLessThan(ResultStatus.rank("C"));
        assertThat(ResultStatus.rank("C")).isLessThan(ResultStatus.rank("D"));
        assertThat(ResultStatus.rank(" f ")).isEqualTo(ResultStatus.FINAL);
        assertThat(ResultStatus.rank("N")).isEqualTo(ResultStatus.UNKNOWN);
    }

    private static List<String> controlIds(List<ObservationEvent> order) {
        return order.stream().map(e -> e.getProvenance().getControlId()).toList();
    }

    private static List<String> statuses(List<ObservationEvent> order) {
        return order.stream().map(ObservationEvent::getStatus).toList();
    }
}
