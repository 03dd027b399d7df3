package org.careweave.processors.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careweave.processors.results.Observations.local;
import static org.careweave.processors.results.Observations.loinc;

import java.util.ArrayList;
import java.util.List;

import org.careweave.events.ObservationEvent;
import org.careweave.events.RepeatTestAlert;
import org.junit.jupiter.api.Test;

/** Repeat tests within the minimum retesting interval, across organisations. Invented patients only. */
class RepeatTestAlertsTest {

    private static final String PERSON = "cwp-test-carol";

    private static ObservationEvent hospitalHba1c(String collected, String value) {
        return Observations.at("RHMX1").patient("L300").filler("F-" + collected).code(loinc("4548-4"))
                .numeric(value, "%").collected(collected).received(collected.replace("T09", "T18")).event();
    }

    private static ObservationEvent gpHba1c(String collected, String value) {
        return Observations.at("B86001").patient("GP300").placer("GP-" + collected).code(local("B86001", "GPHBA1C"))
                .numeric(value, "%").collected(collected).received(collected.replace("T09", "T23")).event();
    }

    private static List<RepeatTestAlert> alerts(List<ObservationEvent> events) {
        return alerts(events, ResultsConfig.defaults());
    }

    private static List<RepeatTestAlert> alerts(List<ObservationEvent> events, ResultsConfig config) {
        PersonResults state = PersonResults.empty();
        List<RepeatTestAlert> raised = new ArrayList<>();
        for (ObservationEvent e : events) {
            PersonResults.Outcome out = state.apply(e, PERSON, config);
            raised.addAll(out.alerts());
            state = out.newState();
        }
        return raised;
    }

    @Test
    void hba1cRepeatedWithin90DaysAtAnotherOrganisationAlertsNamingBothResultsAndOrganisations() {
        ObservationEvent january = hospitalHba1c("2026-01-10T09:00:00Z", "7.1");
        ObservationEvent march = gpHba1c("2026-03-01T09:00:00Z", "6.8");

        List<RepeatTestAlert> raised = alerts(List.of(january, march));

        assertThat(raised).singleElement().satisfies(a -> {
            assertThat(a.getPersonId()).isEqualTo(PERSON);
            assertThat(a.getRuleId()).isEqualTo("hba1c");
            assertThat(a.getMinimumIntervalDays()).isEqualTo(90);
            assertThat(a.getRuleSource()).contains("G147").containsIgnoringCase("minimum retesting intervals");
            assertThat(a.getCode().getCode()).isEqualTo("4548-4");
            assertThat(a.getPrevious().getSendingFacility()).isEqualTo("RHMX1");
            assertThat(a.getPrevious().getValue()).isEqualTo("7.1");
            assertThat(a.getPrevious().getUnits()).isEqualTo("%");
            assertThat(a.getPrevious().getCollectedAt().getInstant()).isEqualTo(
                    january.getCollectedAt().getInstant());
            assertThat(a.getCurrent().getSendingFacility()).isEqualTo("B86001");
            assertThat(a.getCurrent().getValue()).isEqualTo("6.8");
            assertThat(a.getPrevious().getResultId()).isNotEqualTo(a.getCurrent().getResultId()).startsWith("cwr-");
            assertThat(a.getAlertId()).startsWith("cwa-");
            assertThat(a.getRaisedAt()).isEqualTo(march.getProvenance().getReceivedAt());
        });
    }

    @Test
    void aLateEarlierResultIsStillNamedAsThePreviousOne() {
        ObservationEvent january = hospitalHba1c("2026-01-10T09:00:00Z", "7.1");
        ObservationEvent march = gpHba1c("2026-03-01T09:00:00Z", "6.8");

        assertThat(alerts(List.of(march, january))).singleElement().satisfies(a -> {
            assertThat(a.getPrevious().getSendingFacility()).isEqualTo("RHMX1");
            assertThat(a.getCurrent().getSendingFacility()).isEqualTo("B86001");
        });
    }

    @Test
    void hba1cMoreThan90DaysApartDoesNotAlert() {
        assertThat(alerts(List.of(hospitalHba1c("2026-01-10T09:00:00Z", "7.1"),
                gpHba1c("2026-04-20T09:00:00Z", "6.8")))).isEmpty();
    }

    @Test
    void versionsAndCopiesOfOneResultDoNotAlert() {
        ObservationEvent preliminary = Observations.at("RHMX1").patient("L300").filler("F-1").code(loinc("4548-4"))
                .status("P").numeric("7.0", "%").collected("2026-01-10T09:00:00Z").event();
        ObservationEvent finalResult = Observations.at("RHMX1").patient("L300").filler("F-1").code(loinc("4548-4"))
                .status("F").numeric("7.1", "%").collected("2026-01-10T09:00:00Z").event();
        ObservationEvent corrected = Observations.at("RHMX1").patient("L300").filler("F-1").code(loinc("4548-4"))
                .status("C").numeric("7.3", "%").collected("2026-01-10T09:00:00Z").event();
        ObservationEvent gpCopy = gpHba1c("2026-01-10T09:00:00Z", "7.10");

        for (List<ObservationEvent> order : Permutations.of(List.of(preliminary, finalResult, corrected, gpCopy))) {
            assertThat(alerts(order)).isEmpty();
        }
    }

    @Test
    void fullBloodCountSixMonthsApartDoesNotAlert() {
        List<ObservationEvent> fbcs = new ArrayList<>();
        for (String collected : List.of("2026-01-05T09:00:00Z", "2026-07-06T09:00:00Z")) {
            fbcs.add(Observations.at("RHMX1").patient("L300").filler("FBC-" + collected).subId("1")
                    .code(local("RHMX1", "HB")).numeric("131", "g/L").collected(collected).event());
            fbcs.add(Observations.at("RHMX1").patient("L300").filler("FBC-" + collected).subId("2")
                    .code(local("RHMX1", "WBC")).numeric("6.2", "x10^9/l").collected(collected).event());
        }
        assertThat(alerts(fbcs)).isEmpty();

        // nor would it with a (made-up) 28-day haemoglobin rule: six months is longer than any such interval
        RepeatTestRules withHb = RepeatTestRules.of(List.of(new RepeatTestRule("hb-test", List.of(
                "http://loinc.org|718-7"), 28, "made up for this test", null)));
        assertThat(alerts(fbcs, new ResultsConfig(LocalCodes.defaults(), withHb))).isEmpty();
    }

    @Test
    void theSameSpecimenReportedInTwoUnitsIsNotARepeat() {
        ObservationEvent percent = hospitalHba1c("2026-01-10T09:00:00Z", "6.5");
        ObservationEvent ifcc = Observations.at("RHMX1").patient("L300").filler("F-IFCC").code(loinc("59261-8"))
                .numeric("48", "mmol/mol").collected("2026-01-10T09:00:00Z").event();
        assertThat(alerts(List.of(percent, ifcc))).isEmpty();
    }

    @Test
    void aRetractedEarlierResultDoesNotCount() {
        ObservationEvent january = hospitalHba1c("2026-01-10T09:00:00Z", "7.1");
        ObservationEvent withdrawn = Observations.at("RHMX1").patient("L300").filler("F-2026-01-10T09:00:00Z")
                .code(loinc("4548-4")).status("W").noValue().collected("2026-01-10T09:00:00Z").event();
        ObservationEvent march = gpHba1c("2026-03-01T09:00:00Z", "6.8");
        assertThat(alerts(List.of(january, withdrawn, march))).isEmpty();
    }

    @Test
    void aRetakeOfATestTheLaboratoryCouldNotDoIsNoRepeat() {
        ObservationEvent haemolysed = Observations.at("RHMX1").patient("L300").filler("F-HAEM")
                .code(loinc("4548-4")).text("ST", "Sample haemolysed").collected("2026-01-10T09:00:00Z").event();
        ObservationEvent statusX = Observations.at("RHMX1").patient("L300").filler("F-X").code(loinc("4548-4"))
                .status("X").noValue().collected("2026-01-12T09:00:00Z").event();
        ObservationEvent retake = gpHba1c("2026-01-20T09:00:00Z", "6.8");

        assertThat(alerts(List.of(haemolysed, statusX, retake))).as("the retake was needed").isEmpty();

        ObservationEvent march = hospitalHba1c("2026-03-01T09:00:00Z", "6.9");
        assertThat(alerts(List.of(haemolysed, statusX, retake, march))).singleElement()
                .satisfies(a -> assertThat(a.getPrevious().getValue()).as("the retake is the test done")
                        .isEqualTo("6.8"));
    }

    @Test
    void eachRepeatIsFlaggedOnceAgainstTheNearestEarlierTest() {
        List<RepeatTestAlert> raised = alerts(List.of(hospitalHba1c("2026-01-10T09:00:00Z", "7.1"),
                gpHba1c("2026-02-10T09:00:00Z", "6.9"), hospitalHba1c("2026-03-10T09:00:00Z", "6.8")));
        assertThat(raised).hasSize(2);
        assertThat(raised.get(1).getPrevious().getValue()).isEqualTo("6.9");
        assertThat(raised.get(1).getCurrent().getValue()).isEqualTo("6.8");
    }
}
