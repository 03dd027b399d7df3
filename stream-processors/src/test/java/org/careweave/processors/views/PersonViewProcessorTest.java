package org.careweave.processors.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.careweave.events.Coding;
import org.careweave.events.HumanName;
import org.careweave.events.Identifier;
import org.careweave.events.ObservationEvent;
import org.careweave.events.PersonGolden;
import org.careweave.events.PersonView;
import org.careweave.events.Provenance;
import org.careweave.events.RawMessageRef;
import org.careweave.events.RepeatTestAlert;
import org.careweave.events.StatedTime;
import org.careweave.internal.PersonInput;
import org.careweave.internal.PersonInputKind;
import org.careweave.internal.PersonState;
import org.careweave.internal.PublishedView;
import org.careweave.internal.SourcedEncounter;
import org.careweave.processors.results.PersonResults;
import org.careweave.processors.results.ResultsConfig;
import org.careweave.processors.state.RecordingStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The views processor on its own (no Kafka): which stores an input writes, and how a published view's version
 * follows from what was published before, including state written before versions had a store of their own.
 */
class PersonViewProcessorTest {

    private static final String PERSON = "person-test-1";
    private static final Duration PUBLISH_DELAY = Duration.ofMillis(200);

    private final MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
    private final RecordingStore<PersonState> states = new RecordingStore<>(PersonViewProcessor.STATES);
    private final RecordingStore<PersonResults> results = new RecordingStore<>(PersonViewProcessor.RESULTS);
    private final RecordingStore<Long> pending = new RecordingStore<>(PersonViewProcessor.PENDING);
    private final RecordingStore<PublishedView> published = new RecordingStore<>(PersonViewProcessor.PUBLISHED);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private PersonViewProcessor processor;

    @BeforeEach
    void setUp() {
        List.of(states, results, pending, published).forEach(context::addStateStore);
        context.setCurrentSystemTimeMs(10_000);
        processor = new PersonViewProcessor(ResultsConfig.defaults(), Duration.ofMillis(100), PUBLISH_DELAY,
                metrics);
        processor.init(context);
    }

    @Test
    void demographicsAloneLeaveTheResultsStoreUntouched() {
        process(golden("Quillfeather", 1), 1_000);
        process(golden("Quillfeather-Ames", 2), 2_000);

        assertThat(states.writes).hasSize(2);
        assertThat(results.writes).as("a person without results gets no empty results record").isEmpty();
        assertThat(results.data).isEmpty();
    }

    @Test
    void publishingAViewWritesItsVersionNotThePersonsState() {
        process(golden("Quillfeather", 1), 1_000);
        int statePutsBeforePublishing = states.writes.size();

        List<PersonView> views = publishDue();

        assertThat(views).singleElement().satisfies(v -> assertThat(v.getVersion()).isEqualTo(1L));
        assertThat(states.writes.size()).isEqualTo(statePutsBeforePublishing);
        assertThat(published.data.get(PERSON).getVersion()).isEqualTo(1L);
    }

    @Test
    void versionsContinueFromStateWrittenBeforeThePublishedStoreExisted() {
        // State as an earlier careweave left it: version and digest kept in the person's state, nothing published
        // in the store of its own.
        PersonState earlier = PersonState.newBuilder().setPersonId(PERSON).setGolden(golden("Quillfeather", 1))
                .setVersion(5).build();
        earlier.setPublishedDigest(new ViewDigests().of(PersonViews.of(earlier, List.of(), Instant.EPOCH)));
        states.data.put(PERSON, earlier);

        process(golden("Quillfeather", 2), 1_000);
        assertThat(publishDue()).as("a restatement of the view published as version 5").isEmpty();

        process(golden("Quillfeather-Ames", 3), 2_000);
        assertThat(publishDue()).singleElement().satisfies(v -> {
            assertThat(v.getVersion()).isEqualTo(6L);
            assertThat(v.getName().getFamily()).isEqualTo("Quillfeather-Ames");
        });
        assertThat(published.data.get(PERSON).getVersion()).isEqualTo(6L);

        process(golden("Quillfeather", 4), 3_000);
        assertThat(publishDue()).singleElement().satisfies(v -> assertThat(v.getVersion()).isEqualTo(7L));
    }

    @Test
    void aViewIsNeverStampedEarlierThanTheViewBeforeIt() {
        process(golden("Quillfeather", 1), 5_000);
        assertThat(publishDue()).singleElement()
                .satisfies(v -> assertThat(v.getUpdatedAt()).isEqualTo(Instant.ofEpochMilli(5_000)));
        assertThat(lastViewTimestamp()).isEqualTo(5_000);

        // The next change reached the person with an older timestamp (it came by another path): its view keeps
        // the time the person's views had reached, so that a table of person.views sees no update out of order.
        process(golden("Quillfeather-Ames", 2), 3_000);
        assertThat(publishDue()).singleElement().satisfies(v -> {
            assertThat(v.getVersion()).isEqualTo(2L);
            assertThat(v.getUpdatedAt()).isEqualTo(Instant.ofEpochMilli(5_000));
        });
        assertThat(lastViewTimestamp()).isEqualTo(5_000);
        assertThat(published.data.get(PERSON).getTimestamp()).isEqualTo(5_000);

        process(golden("Quillfeather", 3), 7_000);
        assertThat(publishDue()).singleElement()
                .satisfies(v -> assertThat(v.getUpdatedAt()).isEqualTo(Instant.ofEpochMilli(7_000)));
        assertThat(lastViewTimestamp()).isEqualTo(7_000);
    }

    @Test
    void aMergedPersonsResultsAreWithdrawnAsTheResultsStoreHasThem() {
        process(golden("Quillfeather", 1), 1_000);
        processObservation("718-7", 2_000);
        processObservation("2823-3", 3_000);
        List<String> resultIds = results.data.get(PERSON).resultIds();
        assertThat(resultIds).hasSize(2);
        assertThat(states.data.get(PERSON).getPublishedResultIds())
                .as("the person's state does not list its results again (it is rewritten far more often)").isEmpty();
        // State written by an earlier careweave still lists what it published: those are withdrawn too.
        states.data.get(PERSON).setPublishedResultIds(List.of("res-listed-by-earlier-state"));
        context.resetForwards();

        PersonGolden merged = golden("Quillfeather", 2);
        merged.setMergedInto("person-test-2");
        process(merged, 4_000);

        List<String> withdrawn = context.forwarded().stream()
                .filter(f -> PersonViewProcessor.RESULTS_SINK.equals(f.childName().orElse(null)))
                .filter(f -> f.record().value() == null)
                .<String>map(f -> f.record().key())
                .toList();
        assertThat(withdrawn).containsExactlyInAnyOrder(resultIds.get(0), resultIds.get(1),
                "res-listed-by-earlier-state");
    }

    @Test
    void aRepeatTestAlertLeavesTheViewWithAResultThatIsNoLongerThePersons() {
        // Two records linked to one person, wrongly: each sends an HbA1c, three weeks apart.
        processObservation(hba1c("RHMX1", "M1", "2026-01-10T09:00:00Z", "48", "F"), 1_000);
        processObservation(hba1c("RAE01", "M2", "2026-02-01T09:00:00Z", "60", "F"), 2_000);
        assertThat(alertsForwarded()).as("the second looks like a repeat").singleElement();
        assertThat(publishDue()).singleElement().satisfies(v -> assertThat(v.getAlerts()).singleElement());

        // A reviewer separates the second record: its result goes to whoever it belongs to.
        processor.process(new Record<>(PERSON, PersonInput.newBuilder().setKind(PersonInputKind.SOURCE_REMOVED)
                .setSourceIdentifier("RAE01|M2").build(), 3_000));

        assertThat(publishDue()).singleElement().satisfies(v -> {
            assertThat(v.getResults()).singleElement()
                    .satisfies(r -> assertThat(r.getValue()).isEqualTo("48"));
            assertThat(v.getAlerts()).as("the alert shows another patient's 60").isEmpty();
        });
        assertThat(alertsForwarded()).as("alerts are events: nothing is published to take one back").isEmpty();
    }

    @Test
    void aRepeatTestAlertLeavesTheViewWithAResultWithdrawnAsTheWrongPatients() {
        processObservation(hba1c("RHMX1", "M1", "2026-01-10T09:00:00Z", "48", "F"), 1_000);
        processObservation(hba1c("RAE01", "M2", "2026-02-01T09:00:00Z", "60", "F"), 2_000);
        assertThat(publishDue()).singleElement().satisfies(v -> assertThat(v.getAlerts()).singleElement());

        processObservation(hba1c("RAE01", "M2", "2026-02-01T09:00:00Z", null, "W"), 3_000);

        assertThat(publishDue()).singleElement().satisfies(v -> {
            assertThat(v.getResults()).filteredOn(r -> r.getRetracted()).singleElement()
                    .satisfies(r -> assertThat(r.getValue()).isNull());
            assertThat(v.getAlerts()).as("the wrong-patient value is not shown again").isEmpty();
        });
    }

    @Test
    void anAlertStaysWhenItsResultTakesTheIdOfACopyReceivedEarlier() {
        // The GP's copy of January's HbA1c reaches the person first, and February's is a repeat of it.
        processObservation(hba1c("B86001", "GP55", "2026-01-10T09:00:00Z", "48", "F",
                Instant.parse("2026-01-12T08:00:00Z")), 1_000);
        processObservation(hba1c("RAE01", "M2", "2026-02-01T09:00:00Z", "60", "F"), 2_000);
        String copyId = alertsForwarded().get(0).getPrevious().getResultId();
        assertThat(publishDue()).singleElement().satisfies(v -> assertThat(v.getAlerts()).singleElement());

        // The hospital's own, received before the copy, arrives late (its record linked later): one result, now
        // named after the hospital's.
        processObservation(hba1c("RHMX1", "M1", "2026-01-10T09:00:00Z", "48", "F",
                Instant.parse("2026-01-10T10:00:00Z")), 3_000);

        assertThat(publishDue()).singleElement().satisfies(v -> {
            assertThat(v.getResults()).hasSize(2).noneMatch(r -> r.getResultId().equals(copyId));
            assertThat(v.getAlerts()).as("the January result is still the person's, under another id")
                    .singleElement();
        });
    }

    /** An HbA1c in mmol/mol from a record at a facility; no value for a retraction. */
    private static ObservationEvent hba1c(String facility, String record, String collected, String value,
                                          String status) {
        return hba1c(facility, record, collected, value, status,
                Instant.parse(collected).plusSeconds(status.equals("W") ? 86_400 : 3_600));
    }

    private static ObservationEvent hba1c(String facility, String record, String collected, String value,
                                          String status, Instant received) {
        return ObservationEvent.newBuilder()
                .setProvenance(Provenance.newBuilder().setSendingFacility(facility).setMessageType("ORU^R01")
                        .setControlId(facility + "-" + status + "-" + collected)
                        .setReceivedAt(received)
                        .setRaw(RawMessageRef.newBuilder().setMessageId("raw-" + facility + status + collected)
                                .build()).build())
                .setPatientIdentifiers(List.of(Identifier.newBuilder().setSystem(facility).setValue(record)
                        .setType("MR").build()))
                .setFillerOrderNumber("F-" + collected).setSetId(1)
                .setCode(Coding.newBuilder().setSystem("http://loinc.org").setCode("59261-8").build())
                .setValueType("NM").setValue(value).setNumericValue(value == null ? null : Double.valueOf(value))
                .setUnits(value == null ? null : "mmol/mol").setStatus(status)
                .setCollectedAt(StatedTime.newBuilder().setInstant(Instant.parse(collected)).setOffsetSeconds(0)
                        .build())
                .build();
    }

    private void processObservation(ObservationEvent observation, long timestamp) {
        String facility = observation.getProvenance().getSendingFacility();
        processor.process(new Record<>(PERSON, PersonInput.newBuilder().setKind(PersonInputKind.OBSERVATION)
                .setSourceIdentifier(facility + "|" + observation.getPatientIdentifiers().get(0).getValue())
                .setObservation(observation).build(), timestamp));
    }

    /** The repeat-test alerts forwarded since the last {@link #publishDue()}. */
    private List<RepeatTestAlert> alertsForwarded() {
        return context.forwarded().stream()
                .filter(f -> PersonViewProcessor.ALERTS_SINK.equals(f.childName().orElse(null)))
                .map(f -> (RepeatTestAlert) f.record().value())
                .toList();
    }

    private void processObservation(String loinc, long timestamp) {
        ObservationEvent observation = ObservationEvent.newBuilder()
                .setProvenance(Provenance.newBuilder().setSendingFacility("RHMX1").setMessageType("ORU^R01")
                        .setControlId("LAB" + timestamp).setReceivedAt(Instant.ofEpochMilli(timestamp))
                        .setRaw(RawMessageRef.newBuilder().setMessageId("raw-" + timestamp).build()).build())
                .setPatientIdentifiers(List.of(Identifier.newBuilder().setSystem("RHMX1").setValue("T100001")
                        .setType("MR").build()))
                .setFillerOrderNumber("F" + timestamp).setSetId(1)
                .setCode(Coding.newBuilder().setSystem("http://loinc.org").setCode(loinc).build())
                .setValueType("NM").setValue("4.2").setNumericValue(4.2).setStatus("F").build();
        processor.process(new Record<>(PERSON, PersonInput.newBuilder().setKind(PersonInputKind.OBSERVATION)
                .setSourceIdentifier("RHMX1|T100001").setObservation(observation).build(), timestamp));
    }

    /** The record timestamp of the last view forwarded by the last {@link #publishDue()}. */
    private long lastViewTimestamp() {
        long timestamp = -1;
        for (MockProcessorContext.CapturedForward<? extends String, ? extends SpecificRecord> f : context.forwarded()) {
            if (PersonViewProcessor.VIEWS_SINK.equals(f.childName().orElse(null))) {
                timestamp = f.record().timestamp();
            }
        }
        return timestamp;
    }

    @Test
    void aTombstoneOnPersonGoldenIsCountedAndTheInputsAfterItAreStillFolded() {
        process(golden("Quillfeather", 1), 1_000);
        // What the views topology makes of a null on person.golden (an operator's or an erasure tool's): it threw,
        // and the replaced thread read the same record again, for ever.
        process(null, 2_000);
        processObservation("4548-4", 3_000);

        assertThat(context.forwarded()).anySatisfy(f -> assertThat(f.childName()).hasValue(
                PersonViewProcessor.RESULTS_SINK));
        assertThat(states.get(PERSON).getGolden().getName().getFamily()).isEqualTo("Quillfeather");
        assertThat(metrics.counter("careweave.views.golden.tombstones").count()).isEqualTo(1);
    }

    private void process(PersonGolden golden, long timestamp) {
        processor.process(new Record<>(PERSON, PersonInput.newBuilder().setKind(PersonInputKind.GOLDEN)
                .setGolden(golden).build(), timestamp));
    }

    @Test
    void aPersonsCachedResultsWeighMoreAsTheirHistoryGrows() {
        processObservation("4548-4", 2_000);
        int oneResult = PersonViewTopology.weight(results.data.get(PERSON));
        processObservation("2345-7", 3_000);
        processObservation("2093-3", 4_000);

        assertThat(PersonViewTopology.weight(results.data.get(PERSON)))
                .isEqualTo(1 + results.data.get(PERSON).versions().size()).isGreaterThan(oneResult);
    }

    @Test
    void aPersonsCachedStateWeighsItsEncountersAndAlerts() {
        PersonState none = PersonState.newBuilder().setPersonId(PERSON).build();
        PersonState two = PersonState.newBuilder(none)
                .setEncounters(List.of(new SourcedEncounter(), new SourcedEncounter())).build();

        assertThat(PersonViewTopology.weight(none)).isEqualTo(PersonViewTopology.STATE_BASE);
        assertThat(PersonViewTopology.weight(two)).isEqualTo(PersonViewTopology.STATE_BASE + 2);
    }

    /** Lets the publishing delay pass and runs the processor's punctuation; the views it published. */
    private List<PersonView> publishDue() {
        context.resetForwards();
        long later = context.currentSystemTimeMs() + PUBLISH_DELAY.toMillis() + 1;
        context.setCurrentSystemTimeMs(later);
        context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(later));
        List<PersonView> views = new ArrayList<>();
        for (MockProcessorContext.CapturedForward<? extends String, ? extends SpecificRecord> f : context.forwarded()) {
            if (PersonViewProcessor.VIEWS_SINK.equals(f.childName().orElse(null))) {
                views.add((PersonView) f.record().value());
            }
        }
        return views;
    }

    private static PersonGolden golden(String family, long version) {
        return PersonGolden.newBuilder()
                .setPersonId(PERSON)
                .setVersion(version)
                .setName(HumanName.newBuilder().setFamily(family).setGiven(List.of("Orrin")).build())
                .setUpdatedAt(Instant.parse("2026-06-01T10:15:00Z").plusSeconds(version))
                .build();
    }
}
