package org.careweave.processors.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.careweave.events.Coding;
import org.careweave.events.EncounterEvent;
import org.careweave.events.IdentityLink;
import org.careweave.events.LinkStatus;
import org.careweave.events.ObservationEvent;
import org.careweave.events.Provenance;
import org.careweave.events.RawMessageRef;
import org.careweave.internal.PersonInput;
import org.careweave.internal.PersonInputKind;
import org.careweave.internal.SourceHistory;
import org.careweave.processors.state.RecordingStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing on its own (no Kafka): what reaches which person, in which order, and what a new event writes. Invented
 * identifiers and values only.
 */
class SourceRoutingProcessorTest {

    private static final String SOURCE = "RHMX1|T100001";

    private final MockProcessorContext<String, PersonInput> context = new MockProcessorContext<>();
    private final RecordingStore<SourceHistory> histories = new RecordingStore<>(SourceRoutingProcessor.HISTORIES);
    private final RecordingStore<PersonInput> events = new RecordingStore<>(SourceRoutingProcessor.EVENTS);
    private final SourceRoutingProcessor processor = new SourceRoutingProcessor();
    private int messages;

    @BeforeEach
    void setUp() {
        context.addStateStore(histories);
        context.addStateStore(events);
        processor.init(context);
    }

    @Test
    void eventsWaitForTheLinkThenReachThePersonEncountersFirst() {
        ObservationEvent haemoglobin = observation("718-7");
        EncounterEvent admission = encounter("A01");
        ObservationEvent potassium = observation("2823-3");
        process(SOURCE, haemoglobin);
        process(SOURCE, admission);
        process(SOURCE, potassium);
        assertThat(context.forwarded()).as("nothing routed before identity linked the identifier").isEmpty();

        process(SOURCE, link("person-1"));

        assertThat(routed()).containsExactly(
                "person-1 ENCOUNTER " + admission.getProvenance().getControlId(),
                "person-1 OBSERVATION " + haemoglobin.getProvenance().getControlId(),
                "person-1 OBSERVATION " + potassium.getProvenance().getControlId());

        context.resetForwards();
        ObservationEvent sodium = observation("2951-2");
        process(SOURCE, sodium);
        assertThat(routed()).containsExactly("person-1 OBSERVATION " + sodium.getProvenance().getControlId());
    }

    @Test
    void aRelinkWithdrawsTheSourceFromItsPersonAndReplaysItsEventsToTheNewOne() {
        process(SOURCE, link("person-1"));
        EncounterEvent admission = encounter("A01");
        ObservationEvent haemoglobin = observation("718-7");
        process(SOURCE, admission);
        process(SOURCE, haemoglobin);
        context.resetForwards();

        process(SOURCE, link("person-2"));

        assertThat(routed()).containsExactly(
                "person-1 SOURCE_REMOVED",
                "person-2 ENCOUNTER " + admission.getProvenance().getControlId(),
                "person-2 OBSERVATION " + haemoglobin.getProvenance().getControlId());

        context.resetForwards();
        int historyWrites = histories.writes.size();
        process(SOURCE, link("person-2"));
        assertThat(context.forwarded()).as("a link to the person it already belongs to moves nothing").isEmpty();
        assertThat(histories.writes).hasSize(historyWrites);
    }

    @Test
    void aNewEventWritesItselfAndTheIdentifiersSmallRecordNotTheEventsBeforeIt() {
        process(SOURCE, link("person-1"));
        process(SOURCE, observation("718-7"));
        int firstHistorySize = serialisedHistory().length;
        for (int i = 0; i < 499; i++) {
            process(SOURCE, observation("718-7"));
        }
        int eventWrites = events.writes.size();
        int historyWrites = histories.writes.size();

        process(SOURCE, observation("718-7"));

        assertThat(events.writes).hasSize(eventWrites + 1);
        assertThat(histories.writes).hasSize(historyWrites + 1);
        assertThat(events.data).hasSize(501);
        assertThat(histories.data.get(SOURCE).getEvents()).isEqualTo(501L);
        assertThat(serialisedHistory().length)
                .as("the identifier's record does not grow with its events")
                .isLessThanOrEqualTo(firstHistorySize + 2)
                .isLessThan(100);
    }

    @Test
    void aHistoryWrittenBeforeTheEventsStoreIsMovedThereAndStillReplayed() {
        EncounterEvent admission = encounter("A01");
        ObservationEvent haemoglobin = observation("718-7");
        ObservationEvent potassium = observation("2823-3");
        // As routing used to keep it: every event inside the identifier's record.
        histories.put(SOURCE, SourceHistory.newBuilder().setSourceIdentifier(SOURCE).setPersonId("person-1")
                .setEncounters(List.of(admission)).setObservations(List.of(haemoglobin, potassium)).build());

        ObservationEvent sodium = observation("2951-2");
        process(SOURCE, sodium);

        assertThat(routed()).containsExactly("person-1 OBSERVATION " + sodium.getProvenance().getControlId());
        SourceHistory moved = histories.data.get(SOURCE);
        assertThat(moved.getObservations()).isEmpty();
        assertThat(moved.getEncounters()).isEmpty();
        assertThat(moved.getEvents()).isEqualTo(4L);
        assertThat(events.data).hasSize(4);

        context.resetForwards();
        process(SOURCE, link("person-2"));

        assertThat(routed()).containsExactly(
                "person-1 SOURCE_REMOVED",
                "person-2 ENCOUNTER " + admission.getProvenance().getControlId(),
                "person-2 OBSERVATION " + haemoglobin.getProvenance().getControlId(),
                "person-2 OBSERVATION " + potassium.getProvenance().getControlId(),
                "person-2 OBSERVATION " + sodium.getProvenance().getControlId());
    }

    @Test
    void anIdentifierNeverReplaysAnotherOnesEventsWhateverCharactersTheyHold() {
        // Without the length in the key, "RHMX1|T1:O:" would be a prefix of the second identifier's keys.
        String shorter = "RHMX1|T1";
        String longer = "RHMX1|T1:O:0";
        process(longer, link("person-9"));
        process(longer, observation("718-7"));
        process(shorter, observation("2823-3"));
        context.resetForwards();

        process(shorter, link("person-1"));

        assertThat(context.forwarded()).singleElement()
                .satisfies(f -> assertThat(f.record().value().getObservation().getCode().getCode())
                        .isEqualTo("2823-3"));
        assertThat(SourceRoutingProcessor.eventKey(shorter, PersonInputKind.OBSERVATION, 12))
                .isEqualTo("8:RHMX1|T1:O:0000000000000000012");
    }

    private void process(String identifier, SpecificRecord value) {
        processor.process(new Record<>(identifier, value, 1_000L + messages));
    }

    private List<String> routed() {
        return context.forwarded().stream().map(SourceRoutingProcessorTest::describe).toList();
    }

    private static String describe(CapturedForward<? extends String, ? extends PersonInput> forward) {
        PersonInput input = forward.record().value();
        String event = switch (input.getKind()) {
            case OBSERVATION -> " " + input.getObservation().getProvenance().getControlId();
            case ENCOUNTER -> " " + input.getEncounter().getProvenance().getControlId();
            default -> "";
        };
        return forward.record().key() + " " + input.getKind() + event;
    }

    private byte[] serialisedHistory() {
        try {
            return histories.data.get(SOURCE).toByteBuffer().array();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private IdentityLink link(String personId) {
        return IdentityLink.newBuilder().setSourceIdentifier(SOURCE).setPersonId(personId)
                .setStatus(LinkStatus.LINKED).setRule("NHS_NUMBER").setDecidedAt(Instant.parse("2026-03-01T12:00:00Z"))
                .build();
    }

    private ObservationEvent observation(String loinc) {
        return ObservationEvent.newBuilder().setProvenance(provenance("ORU^R01")).setSetId(1)
                .setCode(Coding.newBuilder().setSystem("http://loinc.org").setCode(loinc).build())
                .setValueType("NM").setValue("4.2").setNumericValue(4.2).setStatus("F").build();
    }

    private EncounterEvent encounter(String trigger) {
        return EncounterEvent.newBuilder().setProvenance(provenance("ADT^" + trigger)).setTrigger(trigger).build();
    }

    private Provenance provenance(String messageType) {
        int n = ++messages;
        return Provenance.newBuilder().setSendingFacility("RHMX1").setMessageType(messageType)
                .setControlId("CTRL" + n).setReceivedAt(Instant.parse("2026-03-01T12:00:00Z").plusSeconds(n))
                .setRaw(RawMessageRef.newBuilder().setMessageId("raw-" + n).build()).build();
    }
}
