package org.careweave.processors.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.careweave.events.EncounterEvent;
import org.careweave.events.EncounterView;
import org.careweave.events.Identifier;
import org.careweave.events.Provenance;
import org.careweave.events.RawMessageRef;
import org.careweave.internal.SourcedEncounter;
import org.junit.jupiter.api.Test;

/**
 * {@link PersonViews#withoutSuperseded}: the person's state keeps fewer encounter events, and the view's encounters
 * stay exactly what they would be with every event. Invented sources and visits only.
 */
class EncounterCompactionTest {

    private static final String[] SOURCES = {"RHMX1|T1", "RHMX1|T2", "RQ3|9001"};
    private static final String[] VISITS = {"V1", "V2", "V3", "V4"};
    private static final String[] LOCATIONS = {"WARD1^BED1", "WARD1^BED2", "WARD2^BED7", "ICU^BED1"};
    /** Triggers, A08 (no status) the most common, each with the status the mapper gives it. */
    private static final String[] TRIGGERS = {"A01", "A02", "A03", "A04", "A05", "A06", "A08", "A08", "A08", "A11",
        "A12", "A13", "A14", "A21", "A22", "A38", "A52", "A53"};
    private static final Map<String, String> STATUS_OF = Map.ofEntries(Map.entry("A01", "in-progress"),
            Map.entry("A04", "arrived"), Map.entry("A05", "planned"), Map.entry("A14", "planned"),
            Map.entry("A38", "cancelled"),
            Map.entry("A02", "in-progress"), Map.entry("A03", "finished"), Map.entry("A06", "in-progress"),
            Map.entry("A11", "cancelled"), Map.entry("A12", "in-progress"), Map.entry("A13", "in-progress"),
            Map.entry("A21", "onleave"), Map.entry("A22", "in-progress"), Map.entry("A52", "in-progress"),
            Map.entry("A53", "onleave"));

    @Test
    void theViewsEncountersAreTheSameAfterEveryEventAndEverySourceRemoval() {
        Random random = new Random(20261126);
        int dropped = 0;
        for (int round = 0; round < 300; round++) {
            List<SourcedEncounter> all = new ArrayList<>();
            List<SourcedEncounter> compacted = new ArrayList<>();
            for (int step = 0; step < 60; step++) {
                if (random.nextInt(25) == 0) {
                    String removed = SOURCES[random.nextInt(SOURCES.length)];
                    all.removeIf(e -> e.getSourceIdentifier().equals(removed));
                    compacted.removeIf(e -> e.getSourceIdentifier().equals(removed));
                } else {
                    SourcedEncounter next = randomEvent(random, step);
                    all.add(next);
                    compacted.add(next);
                    compacted = new ArrayList<>(PersonViews.withoutSuperseded(compacted));
                }
                assertThat(PersonViews.encounters(compacted))
                        .as("round %d step %d", round, step)
                        .isEqualTo(PersonViews.encounters(all));
            }
            dropped += all.size() - compacted.size();
            assertThat(compacted.size())
                    .as("at most 8 events per source and visit, plus those without a visit and renumberings")
                    .isLessThanOrEqualTo(8 * groups(compacted) + withoutVisit(compacted) + renumberings(compacted));
        }
        assertThat(dropped).as("the random events do leave superseded ones to drop").isGreaterThan(1_000);
    }

    @Test
    void aLongStaysUpdatesShrinkToTheFewThatShow() {
        List<SourcedEncounter> state = new ArrayList<>();
        state.add(event("RHMX1|T1", "V1", 1, "A01", "I", 1L, null, "WARD1^BED1", "admitted"));
        for (int i = 0; i < 500; i++) {
            // A08s that restate the location, as a ward system sends for every change it makes.
            state.add(event("RHMX1|T1", "V1", 2 + i, "A08", null, null, null, LOCATIONS[i % 2], null));
            state = new ArrayList<>(PersonViews.withoutSuperseded(state));
        }
        state.add(event("RHMX1|T1", "V1", 1_000, "A03", null, null, 9L, null, "discharged"));
        List<SourcedEncounter> kept = PersonViews.withoutSuperseded(state);

        assertThat(kept).extracting(e -> e.getEncounter().getTrigger()).containsExactly("A01", "A08", "A03");
        assertThat(PersonViews.encounters(kept)).singleElement().satisfies(v -> {
            assertThat(v.getLocation()).isEqualTo(LOCATIONS[499 % 2]);
            assertThat(v.getPatientClass()).isEqualTo("I");
            assertThat(v.getStatus()).isEqualTo("discharged");
            assertThat(v.getAdmittedAt()).isEqualTo(Instant.ofEpochMilli(1L));
            assertThat(v.getDischargedAt()).isEqualTo(Instant.ofEpochMilli(9L));
        });
    }

    @Test
    void anAdmissionDeliveredAfterTheDischargeDoesNotPutThePatientBackOnTheWard() {
        // The interface engine held the A01 in its queue and resent it after the A03 had gone through.
        SourcedEncounter admitted = recorded(event("RHMX1|T1", "V1", 30, "A01", "I", 1L, null, "WARD1^BED1",
                "in-progress"), 1);
        SourcedEncounter discharged = recorded(event("RHMX1|T1", "V1", 20, "A03", null, null, 9L, null, "finished"),
                10);
        List<SourcedEncounter> state = List.of(discharged, admitted);

        assertThat(PersonViews.encounters(state)).singleElement().satisfies(v -> {
            assertThat(v.getStatus()).isEqualTo("finished");
            assertThat(v.getDischargedAt()).isEqualTo(Instant.ofEpochMilli(9L));
            assertThat(v.getLocation()).as("what the late admission states, where nothing later does")
                    .isEqualTo("WARD1^BED1");
        });
        assertThat(PersonViews.encounters(PersonViews.withoutSuperseded(state))).isEqualTo(
                PersonViews.encounters(state));

        // Without the sender's times (an older feed, or state kept before they were read), the order received.
        List<SourcedEncounter> unrecorded = List.of(
                event("RHMX1|T1", "V1", 20, "A03", null, null, 9L, null, "finished"),
                event("RHMX1|T1", "V1", 30, "A01", "I", 1L, null, "WARD1^BED1", "in-progress"));
        assertThat(PersonViews.encounters(unrecorded)).singleElement()
                .satisfies(v -> assertThat(v.getStatus()).isEqualTo("in-progress"));
    }

    @Test
    void aCancelledDischargeStaysCancelledAfterLaterUpdates() {
        List<SourcedEncounter> state = new ArrayList<>();
        state.add(event("RHMX1|T1", "V1", 1, "A01", "I", 1L, null, "WARD1^BED1", "in-progress"));
        state.add(event("RHMX1|T1", "V1", 2, "A03", null, null, 9L, null, "finished"));
        state.add(event("RHMX1|T1", "V1", 3, "A13", null, null, null, "WARD1^BED1", "in-progress"));
        for (int i = 0; i < 20; i++) {
            state.add(event("RHMX1|T1", "V1", 4 + i, "A08", null, null, null, LOCATIONS[i % 2], null));
            state = new ArrayList<>(PersonViews.withoutSuperseded(state));
        }

        assertThat(PersonViews.encounters(state)).singleElement().satisfies(v -> {
            assertThat(v.getStatus()).isEqualTo("in-progress");
            assertThat(v.getDischargedAt()).as("the discharge was cancelled").isNull();
            assertThat(v.getAdmittedAt()).isEqualTo(Instant.ofEpochMilli(1L));
            assertThat(v.getLocation()).isEqualTo(LOCATIONS[19 % 2]);
        });
        assertThat(state).extracting(e -> e.getEncounter().getTrigger()).contains("A13").doesNotContain("A03")
                .as("the A03's discharge time can no longer show, so it is not kept").hasSizeLessThan(6);
    }

    @Test
    void aVisitGivenANewNumberContinuesUnderIt() {
        List<SourcedEncounter> state = new ArrayList<>();
        state.add(event("RHMX1|T1", "ED7", 1, "A04", "E", 1L, null, "ED^MAJORS", "arrived"));
        state.add(renumbered(event("RHMX1|T1", "IP3", 2, "A06", "I", null, null, "WARD2^BED7", "in-progress"),
                "ED7"));

        assertThat(PersonViews.encounters(state)).singleElement().satisfies(v -> {
            assertThat(v.getVisit().getValue()).isEqualTo("IP3");
            assertThat(v.getPatientClass()).isEqualTo("I");
            assertThat(v.getAdmittedAt()).as("carried over from the attendance").isEqualTo(Instant.ofEpochMilli(1L));
            assertThat(v.getLocation()).isEqualTo("WARD2^BED7");
            assertThat(v.getStatus()).isEqualTo("in-progress");
        });

        // A later message under the old number is still about the same visit, and shows under the new number.
        state.add(event("RHMX1|T1", "ED7", 3, "A08", null, null, null, "WARD2^BED8", null));
        assertThat(PersonViews.encounters(state)).singleElement().satisfies(v -> {
            assertThat(v.getVisit().getValue()).isEqualTo("IP3");
            assertThat(v.getLocation()).isEqualTo("WARD2^BED8");
        });
    }

    @Test
    void aRenumberingThatArrivesLateStillJoinsTheVisits() {
        // The renumbering's source is linked to the person after the other source's later updates arrived.
        List<SourcedEncounter> state = new ArrayList<>();
        state.add(event("RHMX1|T1", "ED7", 1, "A04", "E", 1L, null, "ED^MAJORS", "arrived"));
        for (int i = 0; i < 10; i++) {
            state.add(event("RHMX1|T2", "ED7", 10 + i, "A08", null, null, null, LOCATIONS[i % 2], null));
            state = new ArrayList<>(PersonViews.withoutSuperseded(state));
        }
        state.add(renumbered(event("RHMX1|T1", "IP3", 5, "A06", "I", null, null, "WARD2^BED7", "in-progress"),
                "ED7"));
        state = new ArrayList<>(PersonViews.withoutSuperseded(state));

        assertThat(PersonViews.encounters(state)).singleElement().satisfies(v -> {
            assertThat(v.getVisit().getValue()).isEqualTo("IP3");
            assertThat(v.getPatientClass()).isEqualTo("I");
            assertThat(v.getLocation()).as("the latest update, received after the renumbering")
                    .isEqualTo(LOCATIONS[9 % 2]);
            assertThat(v.getStatus()).isEqualTo("in-progress");
        });
    }

    @Test
    void aSourceWithoutVisitNumbersHasOneVisitAtATime() {
        List<SourcedEncounter> state = new ArrayList<>();
        state.add(event("RXX1|P1", null, 1, "A01", "I", 1L, null, "WARD1^BED1", "in-progress"));
        state.add(event("RXX1|P1", null, 2, "A02", null, null, null, "WARD2^BED7", "in-progress"));
        state.add(event("RXX2|Q1", null, 3, "A08", "O", null, null, "CLINIC", null));
        state.add(event("RXX1|P1", null, 4, "A08", null, null, null, "WARD2^BED8", null));
        state.add(event("RXX1|P1", null, 5, "A03", null, null, 9L, null, "finished"));
        state.add(event("RXX1|P1", null, 6, "A01", "I", 20L, null, "WARD3^BED1", "in-progress"));

        assertThat(PersonViews.encounters(PersonViews.withoutSuperseded(state))).satisfiesExactly(
                first -> {
                    assertThat(first.getVisit()).isNull();
                    assertThat(first.getAdmittedAt()).isEqualTo(Instant.ofEpochMilli(1L));
                    assertThat(first.getLocation()).isEqualTo("WARD2^BED8");
                    assertThat(first.getDischargedAt()).isEqualTo(Instant.ofEpochMilli(9L));
                    assertThat(first.getStatus()).isEqualTo("finished");
                },
                otherSource -> assertThat(otherSource.getLocation()).isEqualTo("CLINIC"),
                readmission -> {
                    assertThat(readmission.getAdmittedAt()).isEqualTo(Instant.ofEpochMilli(20L));
                    assertThat(readmission.getLocation()).isEqualTo("WARD3^BED1");
                    assertThat(readmission.getDischargedAt()).isNull();
                    assertThat(readmission.getStatus()).isEqualTo("in-progress");
                });
    }

    @Test
    void aDischargeWithoutItsNumberFromANumberedSourceFinishesTheVisit() {
        // A PAS that numbers its visits, but whose discharge message carries a bare PV1|1 (no PV1-19).
        List<SourcedEncounter> state = List.of(
                event("RHMX1|T1", "V1", 1, "A01", "I", 1L, null, "WARD1^BED1", "in-progress"),
                event("RHMX1|T1", null, 2, "A03", null, null, 9L, null, "finished"));

        assertThat(PersonViews.encounters(state)).as("one visit, not a made-up second one").singleElement()
                .satisfies(v -> {
                    assertThat(v.getVisit().getValue()).isEqualTo("V1");
                    assertThat(v.getStatus()).isEqualTo("finished");
                    assertThat(v.getDischargedAt()).isEqualTo(Instant.ofEpochMilli(9L));
                    assertThat(v.getLocation()).isEqualTo("WARD1^BED1");
                });
        assertCompactionKeepsTheView(state);
    }

    @Test
    void anUpdateWithoutItsNumberMovesTheNumberedVisitsLocation() {
        List<SourcedEncounter> state = List.of(
                event("RHMX1|T1", "V1", 1, "A01", "I", 1L, null, "WARD1^BED1", "in-progress"),
                event("RHMX1|T1", "V1", 2, "A08", null, null, null, "WARD1^BED2", null),
                event("RHMX1|T1", null, 3, "A08", "I", null, null, "WARD2^BED7", null));

        assertThat(PersonViews.encounters(state)).singleElement().satisfies(v -> {
            assertThat(v.getVisit().getValue()).isEqualTo("V1");
            assertThat(v.getLocation()).isEqualTo("WARD2^BED7");
            assertThat(v.getStatus()).as("the update states none").isEqualTo("in-progress");
        });
        assertCompactionKeepsTheView(state);
    }

    @Test
    void aMessageWithoutItsNumberJoinsTheVisitItsSourceOpenedLastBeforeIt() {
        List<SourcedEncounter> state = List.of(
                event("RHMX1|T1", "V1", 1, "A01", "I", 1L, null, "WARD1^BED1", "in-progress"),
                event("RHMX1|T1", "V2", 3, "A01", "I", 3L, null, "WARD3^BED1", "in-progress"),
                // recorded between the two admissions, received after both: about V1
                recorded(event("RHMX1|T1", null, 4, "A08", null, null, null, "WARD1^BED9", null), 2),
                // another source's message without a number is about a visit of that source, not this one's
                event("RXX2|Q1", null, 5, "A08", "O", null, null, "CLINIC", null),
                event("RHMX1|T1", null, 6, "A03", null, null, 9L, null, "finished"),
                // an admission without a number opens a visit without one, which the next such message joins
                event("RHMX1|T1", null, 7, "A01", "I", 20L, null, "WARD4^BED1", "in-progress"),
                event("RHMX1|T1", null, 8, "A02", null, null, null, "WARD5^BED1", "in-progress"));

        assertThat(PersonViews.encounters(state)).satisfiesExactly(
                v1 -> {
                    assertThat(v1.getVisit().getValue()).isEqualTo("V1");
                    assertThat(v1.getLocation()).isEqualTo("WARD1^BED9");
                    assertThat(v1.getStatus()).isEqualTo("in-progress");
                },
                v2 -> {
                    assertThat(v2.getVisit().getValue()).isEqualTo("V2");
                    assertThat(v2.getStatus()).isEqualTo("finished");
                    assertThat(v2.getDischargedAt()).isEqualTo(Instant.ofEpochMilli(9L));
                },
                otherSource -> assertThat(otherSource.getLocation()).isEqualTo("CLINIC"),
                withoutNumber -> {
                    assertThat(withoutNumber.getVisit()).isNull();
                    assertThat(withoutNumber.getAdmittedAt()).isEqualTo(Instant.ofEpochMilli(20L));
                    assertThat(withoutNumber.getLocation()).isEqualTo("WARD5^BED1");
                });
        assertCompactionKeepsTheView(state);
    }

    @Test
    void aTransferOrCancellationRecordedAfterTheDischargeLeavesTheVisitFinished() {
        // The status each trigger states (RawMessageMapper.encounterStatus).
        Map<String, String> afterTheDischarge = Map.of("A02", "in-progress", "A12", "in-progress",
                "A21", "onleave", "A22", "in-progress", "A52", "in-progress", "A53", "onleave");
        for (Map.Entry<String, String> late : afterTheDischarge.entrySet()) {
            // A discharge with its time, and one without (PV1-45 missing: the trigger still says finished).
            for (Long dischargeTime : Arrays.asList(9L, null)) {
                List<SourcedEncounter> state = List.of(
                        event("RHMX1|T1", "V1", 1, "A01", "I", 1L, null, "WARD1^BED1", "in-progress"),
                        recorded(event("RHMX1|T1", "V1", 2, "A03", null, null, dischargeTime, null, "finished"), 2),
                        recorded(event("RHMX1|T1", "V1", 3, late.getKey(), null, null, null, "WARD2^BED7",
                                late.getValue()), 3));

                assertThat(PersonViews.encounters(state)).as("%s after the discharge", late.getKey())
                        .singleElement().satisfies(v -> {
                            assertThat(v.getStatus()).isEqualTo("finished");
                            assertThat(v.getDischargedAt()).isEqualTo(
                                    dischargeTime == null ? null : Instant.ofEpochMilli(dischargeTime));
                            assertThat(v.getLocation()).as("where it states one").isEqualTo("WARD2^BED7");
                        });
                assertCompactionKeepsTheView(state);
            }
        }
    }

    @Test
    void aCancelledDischargeOrAnAdmissionBringsAFinishedVisitBack() {
        for (String back : List.of("A13", "A01", "A06")) {
            List<SourcedEncounter> state = List.of(
                    event("RHMX1|T1", "V1", 1, "A04", "E", 1L, null, "ED^MAJORS", "arrived"),
                    event("RHMX1|T1", "V1", 2, "A03", null, null, null, null, "finished"),
                    event("RHMX1|T1", "V1", 3, back, "I", null, null, "WARD1^BED1", "in-progress"),
                    // once back, a leave of absence is one
                    event("RHMX1|T1", "V1", 4, "A21", null, null, null, null, "onleave"));

            assertThat(PersonViews.encounters(state)).as("%s after the discharge", back).singleElement()
                    .satisfies(v -> assertThat(v.getStatus()).isEqualTo("onleave"));
            assertCompactionKeepsTheView(state);
        }
        // A transfer recorded after an admission that followed the discharge is the patient's, as before.
        List<SourcedEncounter> readmitted = List.of(
                event("RHMX1|T1", "V1", 1, "A03", null, null, 9L, null, "finished"),
                event("RHMX1|T1", "V1", 2, "A01", "I", 10L, null, "WARD1^BED1", "in-progress"),
                event("RHMX1|T1", null, 3, "A12", null, null, null, "WARD3^BED3", "in-progress"));
        assertThat(PersonViews.encounters(readmitted)).singleElement().satisfies(v -> {
            assertThat(v.getStatus()).isEqualTo("in-progress");
            assertThat(v.getLocation()).isEqualTo("WARD3^BED3");
        });
        assertCompactionKeepsTheView(readmitted);
    }

    @Test
    void aPreAdmissionDuringAStayDoesNotTakeTheDischarge() {
        // A source without visit numbers books next month's admission (A05) while the patient is on the ward.
        List<SourcedEncounter> state = List.of(
                event("RXX1|P1", null, 1, "A01", "I", 1L, null, "WARD1^BED1", "in-progress"),
                event("RXX1|P1", null, 2, "A05", "I", 40L, null, "WARD3", "planned"),
                event("RXX1|P1", null, 3, "A02", null, null, null, "WARD2^BED7", "in-progress"),
                event("RXX1|P1", null, 4, "A03", null, null, 9L, null, "finished"));

        assertThat(PersonViews.encounters(state)).satisfiesExactly(
                stay -> {
                    assertThat(stay.getAdmittedAt()).isEqualTo(Instant.ofEpochMilli(1L));
                    assertThat(stay.getLocation()).isEqualTo("WARD2^BED7");
                    assertThat(stay.getStatus()).isEqualTo("finished");
                    assertThat(stay.getDischargedAt()).isEqualTo(Instant.ofEpochMilli(9L));
                },
                planned -> {
                    assertThat(planned.getAdmittedAt()).isEqualTo(Instant.ofEpochMilli(40L));
                    assertThat(planned.getLocation()).isEqualTo("WARD3");
                    assertThat(planned.getStatus()).isEqualTo("planned");
                    assertThat(planned.getDischargedAt()).isNull();
                });
        assertCompactionKeepsTheView(state);

        // The same from a source that numbers its stay but sends the pre-admission and the discharge without one.
        List<SourcedEncounter> numbered = List.of(
                event("RHMX1|T1", "V1", 1, "A01", "I", 1L, null, "WARD1^BED1", "in-progress"),
                event("RHMX1|T1", null, 2, "A14", "I", 40L, null, "WARD3", "planned"),
                event("RHMX1|T1", null, 3, "A03", null, null, 9L, null, "finished"));
        assertThat(PersonViews.encounters(numbered)).satisfiesExactly(
                stay -> {
                    assertThat(stay.getVisit().getValue()).isEqualTo("V1");
                    assertThat(stay.getStatus()).isEqualTo("finished");
                },
                planned -> assertThat(planned.getStatus()).isEqualTo("planned"));
        assertCompactionKeepsTheView(numbered);
    }

    @Test
    void anAdmissionWithoutANumberIsThePreAdmissionBeforeIt() {
        for (String plan : List.of("A05", "A14")) {
            List<SourcedEncounter> state = List.of(
                    event("RXX1|P1", null, 1, plan, "I", 40L, null, "WARD3", "planned"),
                    event("RXX1|P1", null, 2, "A01", null, null, null, "WARD3^BED2", "in-progress"),
                    event("RXX1|P1", null, 3, "A03", null, null, 49L, null, "finished"));

            assertThat(PersonViews.encounters(state)).as("%s then A01", plan).singleElement().satisfies(v -> {
                assertThat(v.getAdmittedAt()).isEqualTo(Instant.ofEpochMilli(40L));
                assertThat(v.getLocation()).isEqualTo("WARD3^BED2");
                assertThat(v.getStatus()).isEqualTo("finished");
            });
            assertCompactionKeepsTheView(state);
        }
        // A stay, next month's admission booked during it, the discharge, then that admission: two visits.
        List<SourcedEncounter> twoStays = List.of(
                event("RXX1|P1", null, 1, "A01", "I", 1L, null, "WARD1^BED1", "in-progress"),
                event("RXX1|P1", null, 2, "A05", "I", 40L, null, "WARD3", "planned"),
                event("RXX1|P1", null, 3, "A03", null, null, 9L, null, "finished"),
                event("RXX1|P1", null, 4, "A01", null, null, null, "WARD3^BED2", "in-progress"));
        assertThat(PersonViews.encounters(twoStays)).extracting(v -> v.getStatus() + " " + v.getLocation())
                .containsExactly("finished WARD1^BED1", "in-progress WARD3^BED2");
        assertCompactionKeepsTheView(twoStays);
        // A cancelled pre-admission is not admitted to: the admission is a visit of its own.
        List<SourcedEncounter> cancelled = List.of(
                event("RXX1|P1", null, 1, "A05", "I", 40L, null, "WARD3", "planned"),
                event("RXX1|P1", null, 2, "A38", null, null, null, null, "cancelled"),
                event("RXX1|P1", null, 3, "A01", "I", 50L, null, "WARD1^BED1", "in-progress"));
        assertThat(PersonViews.encounters(cancelled)).extracting(EncounterView::getStatus)
                .containsExactly("cancelled", "in-progress");
        assertCompactionKeepsTheView(cancelled);
    }

    @Test
    void aVisitDeletedAtItsSourceLeavesTheView() {
        List<SourcedEncounter> state = new ArrayList<>();
        state.add(event("RHMX1|T1", "V1", 1, "A04", "O", 1L, null, "CLINIC", "arrived"));
        state.add(event("RHMX1|T1", "V2", 2, "A01", "I", 2L, null, "WARD1^BED1", "in-progress"));
        state.add(event("RHMX1|T1", "V1", 3, "A23", null, null, null, null, "entered-in-error"));
        state.add(event("RHMX1|T1", "V1", 4, "A08", null, null, null, "CLINIC 2", null));

        assertThat(PersonViews.encounters(PersonViews.withoutSuperseded(state))).singleElement()
                .satisfies(v -> assertThat(v.getVisit().getValue()).isEqualTo("V2"));
    }

    /**
     * A visit moved (A45) between two records of one person: the message removes it from the first record and
     * states it under the second at one receive time, and the view shows it whichever of the two the person's state
     * holds first.
     */
    @Test
    void aVisitMovedBetweenTwoRecordsOfOnePersonStaysInTheView() {
        SourcedEncounter admitted = event("RHMX1|T1", "V1", 1, "A01", "I", 1L, null, "WARD1^BED1", "in-progress");
        SourcedEncounter removed = event("RHMX1|T1", "V1", 5, "A45", null, null, null, null, "entered-in-error");
        SourcedEncounter moved = event("RHMX1|T2", "V1", 5, "A45", "I", 1L, null, "WARD1^BED1", "in-progress");
        for (List<SourcedEncounter> state : List.of(List.of(admitted, removed, moved),
                List.of(admitted, moved, removed))) {
            assertThat(PersonViews.encounters(PersonViews.withoutSuperseded(state))).singleElement()
                    .satisfies(v -> {
                        assertThat(v.getVisit().getValue()).isEqualTo("V1");
                        assertThat(v.getStatus()).isEqualTo("in-progress");
                        assertThat(v.getLocation()).isEqualTo("WARD1^BED1");
                    });
        }
        // Moved to another person, it leaves the first person's view as a deleted visit does.
        assertThat(PersonViews.encounters(List.of(admitted, removed))).isEmpty();
    }

    /**
     * The view's encounters from the events compacted as they arrive, in every order of arrival, are those from all
     * of them; also with each source's events removed.
     */
    private static void assertCompactionKeepsTheView(List<SourcedEncounter> events) {
        for (List<SourcedEncounter> arrival : permutations(events)) {
            List<SourcedEncounter> all = new ArrayList<>();
            List<SourcedEncounter> compacted = new ArrayList<>();
            for (SourcedEncounter next : arrival) {
                all.add(next);
                compacted.add(next);
                compacted = new ArrayList<>(PersonViews.withoutSuperseded(compacted));
                assertThat(PersonViews.encounters(compacted)).as("arrived as %s", triggers(arrival))
                        .isEqualTo(PersonViews.encounters(all));
            }
            for (SourcedEncounter e : events) {
                String source = e.getSourceIdentifier();
                List<SourcedEncounter> allLess = all.stream().filter(x -> !x.getSourceIdentifier().equals(source))
                        .toList();
                List<SourcedEncounter> compactedLess = compacted.stream()
                        .filter(x -> !x.getSourceIdentifier().equals(source)).toList();
                assertThat(PersonViews.encounters(compactedLess)).isEqualTo(PersonViews.encounters(allLess));
            }
        }
    }

    private static List<List<SourcedEncounter>> permutations(List<SourcedEncounter> events) {
        if (events.size() <= 1) {
            return List.of(events);
        }
        List<List<SourcedEncounter>> all = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            List<SourcedEncounter> rest = new ArrayList<>(events);
            SourcedEncounter first = rest.remove(i);
            for (List<SourcedEncounter> tail : permutations(rest)) {
                List<SourcedEncounter> p = new ArrayList<>(List.of(first));
                p.addAll(tail);
                all.add(p);
            }
        }
        return all;
    }

    private static List<String> triggers(List<SourcedEncounter> events) {
        return events.stream().map(e -> e.getEncounter().getTrigger()).toList();
    }

    private static int groups(List<SourcedEncounter> events) {
        Set<String> groups = new HashSet<>();
        for (SourcedEncounter e : events) {
            if (e.getEncounter().getVisit() != null) {
                groups.add(e.getSourceIdentifier() + " " + e.getEncounter().getVisit().getValue());
            }
        }
        return groups.size();
    }

    private static int renumberings(List<SourcedEncounter> events) {
        return (int) events.stream().filter(e -> e.getEncounter().getPriorVisit() != null).count();
    }

    private static int withoutVisit(List<SourcedEncounter> events) {
        return (int) events.stream().filter(e -> e.getEncounter().getVisit() == null).count();
    }

    /**
     * Few distinct receive times, so that ties (kept in arrival order) are common; any field may be missing; the
     * triggers state their statuses, so that transfers, leave and cancellations follow discharges (A03) in any order,
     * some events cancel a discharge (A13) and some renumber a visit (an A06 with MRG-5), also to a number in use.
     */
    private static SourcedEncounter randomEvent(Random random, int step) {
        String visit = random.nextInt(8) == 0 ? null : VISITS[random.nextInt(VISITS.length)];
        String source = SOURCES[random.nextInt(SOURCES.length)];
        // One source's messages may come through more than one sending facility (MSH-4), which the view shows.
        String facility = random.nextBoolean() ? source.substring(0, source.indexOf('|')) : "RHMX9";
        String trigger = TRIGGERS[random.nextInt(TRIGGERS.length)];
        if (trigger.equals("A06") && visit == null) {
            trigger = "A08";
        }
        SourcedEncounter event = event(source, facility, visit, random.nextInt(12), trigger,
                random.nextBoolean() ? null : (random.nextBoolean() ? "I" : "O"),
                random.nextInt(3) == 0 ? (long) random.nextInt(5) : null,
                random.nextInt(4) == 0 ? (long) random.nextInt(5) : null,
                random.nextBoolean() ? null : LOCATIONS[random.nextInt(LOCATIONS.length)],
                STATUS_OF.get(trigger));
        if (random.nextInt(3) > 0) {
            // When the sender recorded it (EVN-2, MSH-7), which need not follow the order received.
            event = recorded(event, random.nextInt(12));
        }
        return trigger.equals("A06") ? renumbered(event, VISITS[random.nextInt(VISITS.length)]) : event;
    }

    private static SourcedEncounter recorded(SourcedEncounter event, int second) {
        EncounterEvent e = EncounterEvent.newBuilder(event.getEncounter())
                .setRecordedAt(Instant.parse("2026-03-01T12:00:00Z").plusSeconds(second)).build();
        return SourcedEncounter.newBuilder(event).setEncounter(e).build();
    }

    private static SourcedEncounter renumbered(SourcedEncounter event, String priorVisit) {
        Identifier visit = event.getEncounter().getVisit();
        EncounterEvent e = EncounterEvent.newBuilder(event.getEncounter())
                .setPriorVisit(Identifier.newBuilder(visit).setValue(priorVisit).build()).build();
        return SourcedEncounter.newBuilder(event).setEncounter(e).build();
    }

    private static SourcedEncounter event(String source, String visit, int receivedSecond, String trigger,
                                          String patientClass, Long admitted, Long discharged, String location,
                                          String status) {
        return event(source, source.substring(0, source.indexOf('|')), visit, receivedSecond, trigger, patientClass,
                admitted, discharged, location, status);
    }

    private static SourcedEncounter event(String source, String facility, String visit, int receivedSecond,
                                          String trigger, String patientClass, Long admitted, Long discharged,
                                          String location, String status) {
        String visitSystem = source.substring(0, source.indexOf('|'));
        EncounterEvent.Builder e = EncounterEvent.newBuilder()
                .setProvenance(Provenance.newBuilder().setSendingFacility(facility).setMessageType("ADT^" + trigger)
                        .setControlId("C" + receivedSecond)
                        .setReceivedAt(Instant.parse("2026-03-01T12:00:00Z").plusSeconds(receivedSecond))
                        .setRaw(RawMessageRef.newBuilder().setMessageId("raw").build()).build())
                .setTrigger(trigger)
                .setPatientClass(patientClass)
                .setAdmittedAt(admitted == null ? null : Instant.ofEpochMilli(admitted))
                .setDischargedAt(discharged == null ? null : Instant.ofEpochMilli(discharged))
                .setLocation(location)
                .setStatus(status);
        if (visit != null) {
            e.setVisit(Identifier.newBuilder().setSystem(visitSystem).setValue(visit).setType("VN").build());
        }
        return SourcedEncounter.newBuilder().setSourceIdentifier(source).setEncounter(e.build()).build();
    }
}
