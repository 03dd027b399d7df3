package org.careweave.processors.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.careweave.processors.results.Observations.local;
import static org.careweave.processors.results.Observations.loinc;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.careweave.events.Coding;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.ObservationEvent;
import org.careweave.events.ResultSource;
import org.careweave.processors.state.StateSerde;
import org.junit.jupiter.api.Test;

/** Versioning and deduplication of one person's results. Invented patients only. */
class PersonResultsTest {

    private static final String PERSON = "cwp-test-alice";
    private static final String COLLECTED = "2026-02-10T09:30:00Z";

    /** The hospital lab's cholesterol for order F9001, coded in LOINC. */
    private static Observations hospital() {
        return Observations.at("RHMX1").patient("L100").nhs("9990000018").filler("F9001").placer("P9001")
                .code(loinc("14647-2")).collected(COLLECTED);
    }

    /** The same result as it appears in the GP practice's extract: own codes, own order number, own spelling. */
    private static Observations gpCopy() {
        return Observations.at("B86001").patient("GP55").nhs("9990000018").placer("GPX-31")
                .code(local("B86001", "GPCHOL")).numeric("5.20", "mmol/l").collected(COLLECTED)
                .reported("2026-02-11T02:00:00Z").received("2026-02-11T02:10:00Z");
    }

    private final ObservationEvent preliminary = hospital().status("P").numeric("5.1", "mmol/L")
            .reported("2026-02-10T11:00:00Z").received("2026-02-10T11:00:05Z").event();
    private final ObservationEvent finalResult = hospital().status("F").numeric("5.2", "mmol/L")
            .reported("2026-02-10T15:00:00Z").received("2026-02-10T15:00:05Z").event();
    private final ObservationEvent corrected = hospital().status("C").numeric("5.8", "mmol/L")
            .reported("2026-02-12T10:00:00Z").received("2026-02-12T10:00:05Z").event();
    private final ObservationEvent gpFinal = gpCopy().status("F").event();

    private static PersonResults applyAll(List<ObservationEvent> events) {
        PersonResults state = PersonResults.empty();
        for (ObservationEvent e : events) {
            state = state.apply(e, PERSON).newState();
        }
        return state;
    }

    @Test
    void aVerbatimResendIsCountedOnce() {
        Observations message = hospital().status("F").numeric("5.2", "mmol/L").controlId("LAB-000123");
        ObservationEvent original = message.received("2026-02-10T15:00:05Z").event();
        ObservationEvent resend = message.received("2026-02-10T15:20:00Z").event();

        PersonResults.Outcome first = PersonResults.empty().apply(original, PERSON);
        PersonResults.Outcome again = first.newState().apply(resend, PERSON);

        assertThat(again.changed()).isEmpty();
        assertThat(again.removedResultIds()).isEmpty();
        assertThat(again.newState()).isEqualTo(first.newState());
        assertThat(again.newState().results()).singleElement().satisfies(r -> {
            assertThat(r.getVersionCount()).isEqualTo(1);
            assertThat(r.getSources()).singleElement()
                    .satisfies(s -> assertThat(s.getReceivedAt()).isEqualTo(original.getProvenance().getReceivedAt()));
        });
        // the resend arriving first ends in the same state: the earliest received copy is the one kept
        assertThat(applyAll(List.of(resend, original))).isEqualTo(first.newState());
    }

    @Test
    void aResendUnderANewControlIdDoesNotBringBackAnEarlierValue() {
        // No OBR-22, and OBX-14 is the collection time: the two corrections tie on status and report time.
        Observations unreported = Observations.at("RHMX1").patient("L100").nhs("9990000018").filler("F9002")
                .code(loinc("14647-2")).collected(COLLECTED).status("C");
        ObservationEvent firstCorrection = unreported.numeric("5.8", "mmol/L").controlId("LAB-0001")
                .received("2026-02-12T10:00:05Z").event();
        ObservationEvent secondCorrection = unreported.numeric("6.0", "mmol/L").controlId("LAB-0002")
                .notes("Corrected: second analysis.").received("2026-02-13T10:00:05Z").event();
        // the interface engine sends the first correction again, under a control id of its own (ingest drops only
        // resends with the same control id)
        ObservationEvent resent = unreported.numeric("5.8", "mmol/L").controlId("IE-7731").notes()
                .received("2026-02-14T10:00:05Z").event();

        PersonResults state = applyAll(List.of(firstCorrection, secondCorrection, resent));
        assertThat(state.results()).singleElement().satisfies(r -> {
            assertThat(r.getNumericValue()).isEqualTo(6.0);
            assertThat(r.getNotes()).containsExactly("Corrected: second analysis.");
            assertThat(r.getVersionCount()).as("the resend is still a message received").isEqualTo(3);
            assertThat(r.getSources()).hasSize(3);
        });
        for (List<ObservationEvent> order : Permutations.of(List.of(firstCorrection, secondCorrection, resent))) {
            assertThat(applyAll(order)).isEqualTo(state);
        }
        // ... and also when the value then has to come from an earlier version (U: made final without a value)
        ObservationEvent madeFinal = unreported.status("U").noValue().controlId("LAB-0003")
                .received("2026-02-15T10:00:05Z").event();
        assertThat(applyAll(List.of(firstCorrection, secondCorrection, resent, madeFinal)).results())
                .singleElement().satisfies(r -> assertThat(r.getNumericValue()).isEqualTo(6.0));
    }

    @Test
    void hospitalResultAndTheGpCopyAreOneResultWithTwoSources() {
        PersonResults.Outcome hospitalFirst = PersonResults.empty().apply(finalResult, PERSON);
        PersonResults.Outcome withCopy = hospitalFirst.newState().apply(gpFinal, PERSON);

        String resultId = hospitalFirst.changed().get(0).getResultId();
        assertThat(withCopy.removedResultIds()).isEmpty();
        assertThat(withCopy.changed()).singleElement().satisfies(r -> {
            assertThat(r.getResultId()).isEqualTo(resultId);
            assertThat(r.getPersonId()).isEqualTo(PERSON);
            assertThat(r.getCode().getSystem()).isEqualTo(LocalCodes.LOINC);
            assertThat(r.getCode().getCode()).isEqualTo("14647-2");
            assertThat(r.getUnits()).isEqualTo("mmol/L");
            assertThat(r.getSources()).extracting(ResultSource::getSendingFacility)
                    .containsExactly("RHMX1", "B86001");
            assertThat(r.getSources()).extracting(ResultSource::getControlId)
                    .containsExactly(finalResult.getProvenance().getControlId(),
                            gpFinal.getProvenance().getControlId());
            assertThat(r.getSources().get(0).getFillerOrderNumber()).isEqualTo("F9001");
            assertThat(r.getSources().get(1).getPlacerOrderNumber()).isEqualTo("GPX-31");
            assertThat(r.getSources().get(1).getRaw().getMessageId())
                    .isEqualTo(gpFinal.getProvenance().getRaw().getMessageId());
        });
        assertThat(withCopy.newState().results()).hasSize(1);
    }

    @Test
    void theLaboratorysNotesAndOrderShowAlsoWhenACopyWithoutThemIsCurrent() {
        Coding lipids = local("RHMX1", "LIPID");
        ObservationEvent withNotes = hospital().status("F").numeric("5.2", "mmol/L").order(lipids).setId(3)
                .notes("Non-fasting sample.").reported("2026-02-10T15:00:00Z").received("2026-02-10T15:00:05Z")
                .event();

        for (List<ObservationEvent> order : List.of(List.of(withNotes, gpFinal), List.of(gpFinal, withNotes))) {
            assertThat(applyAll(order).results()).singleElement().satisfies(r -> {
                assertThat(r.getSources()).as("the GP copy is one of its sources").hasSize(2);
                assertThat(r.getNotes()).containsExactly("Non-fasting sample.");
                assertThat(r.getOrderCode()).isEqualTo(lipids);
            });
        }

        ObservationEvent differentValue = hospital().status("C").numeric("5.8", "mmol/L")
                .reported("2026-02-12T10:00:00Z").received("2026-02-12T10:00:05Z").event();
        assertThat(applyAll(List.of(withNotes, gpFinal, differentValue)).results()).singleElement()
                .satisfies(r -> assertThat(r.getNotes()).as("the notes were about 5.2, not 5.8").isEmpty());

        ObservationEvent withdrawn = hospital().status("W").noValue().units(null).notes("Wrong patient.")
                .reported("2026-02-13T10:00:00Z").received("2026-02-13T10:00:05Z").event();
        assertThat(applyAll(List.of(withNotes, gpFinal, withdrawn)).results()).singleElement().satisfies(r -> {
            assertThat(r.getRetracted()).isTrue();
            assertThat(r.getNotes()).containsExactly("Wrong patient.");
        });
    }

    @Test
    void theCopyArrivingFirstEndsTheSameWay() {
        PersonResults copyFirst = applyAll(List.of(gpFinal, finalResult));
        assertThat(copyFirst).isEqualTo(applyAll(List.of(finalResult, gpFinal)));
        assertThat(copyFirst.results()).singleElement()
                .satisfies(r -> assertThat(r.getVersionCount()).isEqualTo(2));
    }

    @Test
    void aCorrectionOfTheHospitalCopyLeavesNoStaleGpDuplicate() {
        PersonResults state = applyAll(List.of(finalResult, gpFinal));
        PersonResults.Outcome correction = state.apply(corrected, PERSON);

        assertThat(correction.removedResultIds()).isEmpty();
        assertThat(correction.newState().results()).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo("C");
            assertThat(r.getValue()).isEqualTo("5.8");
            assertThat(r.getNumericValue()).isEqualTo(5.8);
            assertThat(r.getVersionCount()).isEqualTo(3);
            assertThat(r.getSources()).extracting(ResultSource::getSendingFacility)
                    .containsExactly("RHMX1", "B86001", "RHMX1");
        });
    }

    @Test
    void everyArrivalOrderGivesTheSameResultsAndTheSameCompactedTopic() {
        List<ObservationEvent> all = List.of(preliminary, finalResult, corrected, gpFinal);
        PersonResults expected = applyAll(all);
        assertThat(expected.results()).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo("C");
            assertThat(r.getValue()).isEqualTo("5.8");
            assertThat(r.getVersionCount()).isEqualTo(4);
        });

        for (List<ObservationEvent> order : Permutations.of(all)) {
            // what results.current (compacted, keyed by result id) holds after publishing every outcome
            Map<String, DeduplicatedResult> topic = new HashMap<>();
            PersonResults state = PersonResults.empty();
            for (ObservationEvent e : order) {
                PersonResults.Outcome out = state.apply(e, PERSON);
                out.removedResultIds().forEach(topic::remove);
                out.changed().forEach(r -> topic.put(r.getResultId(), r));
                state = out.newState();
            }
            String described = order.stream().map(e -> e.getProvenance().getSendingFacility() + ":" + e.getStatus())
                    .collect(Collectors.joining(","));
            assertThat(state).as(described).isEqualTo(expected);
            assertThat(topic.values()).as(described).containsExactlyInAnyOrderElementsOf(expected.results());
        }
    }

    @Test
    void withdrawnOrDeletedRetractsTheResultAndItsCopies() {
        for (String status : List.of("W", "D")) {
            ObservationEvent retraction = hospital().status(status).noValue().units(null)
                    .reported("2026-02-13T10:00:00Z").received("2026-02-13T10:00:05Z").event();
            PersonResults.Outcome out = applyAll(List.of(finalResult, gpFinal)).apply(retraction, PERSON);
            assertThat(out.changed()).singleElement().satisfies(r -> {
                assertThat(r.getRetracted()).isTrue();
                assertThat(r.getStatus()).isEqualTo(status);
                // a wrong-patient value is not carried on under the retracted result
                assertThat(r.getValue()).isNull();
                assertThat(r.getNumericValue()).isNull();
                assertThat(r.getCollectedAt()).isNotNull();
            });
            for (List<ObservationEvent> order : Permutations.of(List.of(finalResult, gpFinal, retraction))) {
                assertThat(applyAll(order)).isEqualTo(out.newState());
            }
        }
    }

    @Test
    void aResultThatCannotBeObtainedShowsNoValueAndTheLaboratorysReason() {
        Observations potassium = Observations.at("RHMX1").patient("L100").nhs("9990000018").filler("F7001")
                .code(loinc("2823-3")).collected(COLLECTED);
        ObservationEvent preliminary = potassium.status("P").numeric("6.8", "mmol/L")
                .reported("2026-02-10T11:00:00Z").received("2026-02-10T11:00:05Z").event();
        ObservationEvent cannotBeObtained = potassium.status("X").noValue().units(null)
                .notes("Sample haemolysed \u2013 please repeat").reported("2026-02-10T13:00:00Z")
                .received("2026-02-10T13:00:05Z").event();

        for (List<ObservationEvent> order : Permutations.of(List.of(preliminary, cannotBeObtained))) {
            assertThat(applyAll(order).results()).singleElement().satisfies(r -> {
                assertThat(r.getStatus()).isEqualTo("X");
                assertThat(r.getNotObtained()).isTrue();
                // 6.8 was a preliminary reading of a sample the laboratory then found unfit: not a value to act on
                assertThat(r.getValue()).isNull();
                assertThat(r.getNumericValue()).isNull();
                assertThat(r.getNotes()).containsExactly("Sample haemolysed \u2013 please repeat");
                assertThat(r.getCollectedAt()).isNotNull();
            });
        }

        // U (made final without resending the value) still shows the value it made final
        ObservationEvent madeFinal = potassium.status("U").noValue().notes().reported("2026-02-10T13:00:00Z")
                .received("2026-02-10T13:00:05Z").event();
        assertThat(applyAll(List.of(preliminary, madeFinal)).results()).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo("U");
            assertThat(r.getNumericValue()).isEqualTo(6.8);
            assertThat(r.getNotObtained()).isFalse();
        });
    }

    @Test
    void summerTimeGpCopyWithoutOffsetIsTheSameSpecimenAsTheHospitalsUtcTime() {
        ObservationEvent hospitalUtc = Observations.at("RHMX1").patient("L100").filler("F5500")
                .code(local("RHMX1", "HBA1C")).numeric("6.5", "%")
                .collected(Observations.utc("2025-07-14T08:00:00Z")).received("2025-07-14T16:00:00Z").event();
        // the practice system wrote 09:00 with no offset; the mapping assumed Europe/London, i.e. +01:00 in July
        ObservationEvent gpLocalClock = Observations.at("B86001").patient("GP55").placer("GP-7")
                .code(local("B86001", "GPHBA1C")).numeric("6.50", "%")
                .collected(Observations.londonClock("2025-07-14T09:00:00")).received("2025-07-15T02:00:00Z")
                .event();
        assertThat(gpLocalClock.getCollectedAt().getOffsetSeconds()).isEqualTo(3600);
        assertThat(gpLocalClock.getCollectedAt().getOffsetAssumed()).isTrue();

        PersonResults state = applyAll(List.of(hospitalUtc, gpLocalClock));

        assertThat(state.results()).singleElement().satisfies(r -> {
            assertThat(r.getSources()).hasSize(2);
            assertThat(r.getCode().getCode()).isEqualTo("4548-4");
            assertThat(r.getCollectedAt().getInstant()).isEqualTo(Instant.parse("2025-07-14T08:00:00Z"));
        });
    }

    @Test
    void theCodeAsSentIsKeptWhenMappedToLoinc() {
        PersonResults state = applyAll(List.of(gpFinal));
        assertThat(state.results()).singleElement().satisfies(r -> {
            assertThat(r.getCode().getCode()).isEqualTo("14647-2");
            assertThat(r.getSourceCode().getSystem()).isEqualTo("B86001");
            assertThat(r.getSourceCode().getCode()).isEqualTo("GPCHOL");
        });
        assertThat(applyAll(List.of(finalResult)).results().get(0).getSourceCode()).isNull();
    }

    @Test
    void differentResultsStayApart() {
        ObservationEvent otherDay = hospital().filler("F9002").placer("P9002").status("F").numeric("5.2", "mmol/L")
                .collected("2026-03-10T09:30:00Z").event();
        ObservationEvent otherValue = gpCopy().placer("GPX-32").numeric("5.3", "mmol/L").event();
        assertThat(applyAll(List.of(finalResult, otherDay, otherValue)).results()).hasSize(3);
    }

    /** A blood culture set at the hospital lab: one order each, collected together. */
    private static Observations bloodCulture(String fillerOrder) {
        return Observations.at("RHMX1").patient("L100").nhs("9990000018").filler(fillerOrder)
                .code(loinc("600-7")).collected(COLLECTED);
    }

    @Test
    void twoCulturesTakenTogetherStayTwoResultsWhenTheirInterimReportsSayTheSame() {
        ObservationEvent firstInterim = bloodCulture("FA1").status("P").text("TX", "Culture in progress")
                .received("2026-02-10T20:00:00Z").event();
        ObservationEvent secondInterim = bloodCulture("FA2").status("P").text("TX", "Culture in progress")
                .received("2026-02-10T20:00:01Z").event();
        ObservationEvent secondGrows = bloodCulture("FA2").status("F").text("TX", "Staphylococcus aureus")
                .received("2026-02-13T10:00:00Z").event();
        ObservationEvent firstNoGrowth = bloodCulture("FA1").status("F").text("TX", "No growth after 5 days")
                .received("2026-02-15T10:00:00Z").event();
        // The GP's copy of an interim report says what both say: it may join one of them, never both.
        ObservationEvent gpInterimCopy = Observations.at("B86001").patient("GP55").nhs("9990000018")
                .code(loinc("600-7")).collected(COLLECTED).status("P").text("TX", "Culture in progress")
                .received("2026-02-11T02:10:00Z").event();
        List<ObservationEvent> all = List.of(firstInterim, secondInterim, secondGrows, firstNoGrowth, gpInterimCopy);

        PersonResults expected = applyAll(all);
        assertThat(expected.results()).extracting(DeduplicatedResult::getValue)
                .containsExactlyInAnyOrder("Staphylococcus aureus", "No growth after 5 days");
        for (List<ObservationEvent> order : Permutations.of(all)) {
            Map<String, DeduplicatedResult> topic = new HashMap<>();
            PersonResults state = PersonResults.empty();
            for (ObservationEvent e : order) {
                PersonResults.Outcome out = state.apply(e, PERSON);
                out.removedResultIds().forEach(topic::remove);
                out.changed().forEach(r -> topic.put(r.getResultId(), r));
                state = out.newState();
            }
            String described = order.stream().map(e -> e.getProvenance().getSendingFacility() + ":"
                    + e.getFillerOrderNumber() + ":" + e.getStatus()).collect(Collectors.joining(","));
            assertThat(state).as(described).isEqualTo(expected);
            assertThat(topic.values()).as(described).containsExactlyInAnyOrderElementsOf(expected.results());
        }
    }

    /**
     * A laboratory that reports a preliminary under the requester's number alone (before it assigned its own) and the
     * final under both: one order, so one result, not a stale preliminary beside the final.
     */
    @Test
    void aPreliminaryUnderThePlacerNumberAloneAndItsFinalWithTheFillerNumberAreOneResult() {
        ObservationEvent preliminary = Observations.at("RHMX1").patient("L100").nhs("9990000018").placer("PO7")
                .code(loinc("2823-3")).collected(COLLECTED).status("P").numeric("4.1", "mmol/L")
                .received("2026-02-10T20:00:00Z").event();
        ObservationEvent finalResult = Observations.at("RHMX1").patient("L100").nhs("9990000018").placer("PO7")
                .filler("FB7").code(loinc("2823-3")).collected(COLLECTED).status("F").numeric("4.1", "mmol/L")
                .received("2026-02-10T22:00:00Z").event();

        for (List<ObservationEvent> order : Permutations.of(List.of(preliminary, finalResult))) {
            assertThat(applyAll(order).results()).singleElement()
                    .satisfies(r -> assertThat(r.getStatus()).isEqualTo("F"));
        }
    }

    @Test
    void twoOrganismsEquallySusceptibleKeepOneLineEach() {
        Observations amoxicillin = Observations.at("RHMX1").patient("L100").nhs("9990000018").filler("FA3")
                .code(local("RHMX1-MICRO", "AMOX")).collected(COLLECTED).status("F").text("ST", "S");
        ObservationEvent firstOrganism = amoxicillin.subId("1").setId(4).event();
        ObservationEvent secondOrganism = amoxicillin.subId("2").setId(9).event();

        assertThat(applyAll(List.of(firstOrganism, secondOrganism)).results()).hasSize(2);
        assertThat(applyAll(List.of(secondOrganism, firstOrganism)).results()).hasSize(2);
    }

    @Test
    void aResendWithoutOrderNumberUnderANewControlIdStillJoinsByContent() {
        Observations unordered = Observations.at("RHMX1").patient("L100").nhs("9990000018")
                .code(loinc("14647-2")).collected(COLLECTED).status("F").numeric("5.2", "mmol/L");
        ObservationEvent original = unordered.controlId("LAB-1").received("2026-02-10T15:00:00Z").event();
        ObservationEvent resent = unordered.controlId("ENGINE-77").received("2026-02-11T08:00:00Z").event();

        assertThat(applyAll(List.of(original, resent)).results()).singleElement()
                .satisfies(r -> assertThat(r.getVersionCount()).isEqualTo(2));
    }

    @Test
    void withoutSourceTakesOutOneRecordsVersionsAndSaysWhatToRepublishAndRemove() {
        ObservationEvent hospitalOnly = hospital().filler("F9100").code(loinc("2823-3")).numeric("4.1", "mmol/L")
                .collected("2026-02-20T10:00:00Z").event();
        PersonResults state = applyAll(List.of(finalResult, gpFinal, hospitalOnly));
        assertThat(state.results()).hasSize(2);
        String hospitalOnlyId = state.results().stream().filter(r -> r.getCode().getCode().equals("2823-3"))
                .findFirst().orElseThrow().getResultId();
        String mergedId = state.results().stream().filter(r -> r.getCode().getCode().equals("14647-2"))
                .findFirst().orElseThrow().getResultId();

        PersonResults.Outcome moved = state.withoutSource("RHMX1|L100");

        assertThat(moved.removedVersions()).hasSize(2)
                .allSatisfy(v -> assertThat(v.sendingFacility()).isEqualTo("RHMX1"));
        // the merged result was named after the hospital's source, so what remains of it is a new result
        assertThat(moved.removedResultIds()).containsExactlyInAnyOrder(hospitalOnlyId, mergedId);
        assertThat(moved.changed()).singleElement().satisfies(r -> {
            assertThat(r.getResultId()).isNotEqualTo(mergedId);
            assertThat(r.getSources()).extracting(ResultSource::getSendingFacility).containsExactly("B86001");
            assertThat(r.getVersionCount()).isEqualTo(1);
        });
        assertThat(moved.newState().results()).hasSize(1);
        assertThat(moved.alerts()).isEmpty();

        // the versions go to the person the record now belongs to
        PersonResults other = PersonResults.empty("cwp-test-bob");
        for (ResultVersion v : moved.removedVersions()) {
            other = other.apply(v, "cwp-test-bob", RepeatTestRules.defaults()).newState();
        }
        assertThat(other.results()).hasSize(2).allSatisfy(r -> {
            assertThat(r.getPersonId()).isEqualTo("cwp-test-bob");
            assertThat(r.getResultId()).isNotEqualTo(hospitalOnlyId);
        });

        assertThat(state.withoutSource("RHMX1|NOBODY").changed()).isEmpty();
    }

    @Test
    void aStateBelongsToOnePerson() {
        PersonResults alice = applyAll(List.of(finalResult));
        assertThatThrownBy(() -> alice.apply(gpFinal, "cwp-test-someone-else"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStateSurvivesTheJsonStateStore() {
        PersonResults state = applyAll(List.of(preliminary, finalResult, gpFinal));
        StateSerde<PersonResults> serde = new StateSerde<>(PersonResults.class);
        byte[] bytes = serde.serializer().serialize("results-state", state);
        PersonResults read = serde.deserializer().deserialize("results-state", bytes);

        assertThat(read).isEqualTo(state);
        assertThat(read.apply(corrected, PERSON).newState()).isEqualTo(state.apply(corrected, PERSON).newState());
    }
}
