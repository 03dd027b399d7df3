package org.careweave.processors.routing;

import java.util.List;
import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.careweave.events.EncounterEvent;
import org.careweave.events.IdentityLink;
import org.careweave.events.LinkStatus;
import org.careweave.events.ObservationEvent;
import org.careweave.internal.PersonInput;
import org.careweave.internal.PersonInputKind;
import org.careweave.internal.SourceHistory;

/**
 * Keyed by source identifier: keeps what each identifier has sent (observations, encounters) and which person it
 * belongs to, and routes everything to that person. When identity moves an identifier to another person (a new
 * NHS-number link, a merge), its whole history is withdrawn from the old person and sent to the new one, so results
 * follow the patient. Observations that arrive before identity has linked their identifier wait here.
 *
 * <p>Each event is kept under a key of its own in {@link #EVENTS} (see {@link #eventKey}), and the identifier's
 * record in {@link #HISTORIES} holds only its person and how many events it has. Why: a history used to hold every
 * event, so a GP practice's years of results for one patient were rewritten, whole, at every commit that added one
 * more (the routing changelog was the third largest thing careweave wrote per message). A relink, which needs them
 * all, is rare; a new event is not.
 */
final class SourceRoutingProcessor implements Processor<String, SpecificRecord, String, PersonInput> {

    static final String HISTORIES = "source-histories";
    static final String EVENTS = "source-events";

    private static final StringSerializer PREFIX_SERIALIZER = new StringSerializer();

    private ProcessorContext<String, PersonInput> context;
    private KeyValueStore<String, SourceHistory> histories;
    private KeyValueStore<String, PersonInput> events;

    @Override
    public void init(ProcessorContext<String, PersonInput> context) {
        this.context = context;
        this.histories = context.getStateStore(HISTORIES);
        this.events = context.getStateStore(EVENTS);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String identifier = record.key();
        // A tombstone on identity.links is none of identity's (it unlinks with a link of another status): the
        // identifier stays with the person it was last linked to, as identity still has it (docs/topics.md).
        if (identifier == null || record.value() == null) {
            return;
        }
        SourceHistory history = histories.get(identifier);
        boolean changed = false;
        if (history == null) {
            history = SourceHistory.newBuilder().setSourceIdentifier(identifier).build();
        } else if (!history.getObservations().isEmpty() || !history.getEncounters().isEmpty()) {
            moveEarlierEvents(history);
            changed = true;
        }
        if (record.value() instanceof IdentityLink link) {
            changed |= relink(record, history, link.getStatus() == LinkStatus.LINKED ? link.getPersonId() : null);
        } else if (record.value() instanceof ObservationEvent observation) {
            keep(history, observation(identifier, observation), record);
            changed = true;
        } else if (record.value() instanceof EncounterEvent encounter) {
            keep(history, encounter(identifier, encounter), record);
            changed = true;
        }
        if (changed) {
            histories.put(identifier, history);
        }
    }

    /** Keeps the event under its own key (the history counts it), and routes it if the identifier is linked. */
    private void keep(SourceHistory history, PersonInput input, Record<String, SpecificRecord> record) {
        long number = history.getEvents();
        events.put(eventKey(history.getSourceIdentifier(), input.getKind(), number), input);
        history.setEvents(number + 1);
        if (history.getPersonId() != null) {
            forward(record, history.getPersonId(), input);
        }
    }

    /** A history written before {@link #EVENTS} existed: its events move there, in the order it listed them. */
    private void moveEarlierEvents(SourceHistory history) {
        String identifier = history.getSourceIdentifier();
        long number = history.getEvents();
        for (EncounterEvent e : history.getEncounters()) {
            events.put(eventKey(identifier, PersonInputKind.ENCOUNTER, number++), encounter(identifier, e));
        }
        for (ObservationEvent o : history.getObservations()) {
            events.put(eventKey(identifier, PersonInputKind.OBSERVATION, number++), observation(identifier, o));
        }
        history.setEncounters(List.of());
        history.setObservations(List.of());
        history.setEvents(number);
    }

    /** Routes the history to its new person; false when it already belonged to that person. */
    private boolean relink(Record<String, SpecificRecord> record, SourceHistory history, String newPerson) {
        String oldPerson = history.getPersonId();
        if (Objects.equals(oldPerson, newPerson)) {
            return false;
        }
        String identifier = history.getSourceIdentifier();
        if (oldPerson != null) {
            forward(record, oldPerson, PersonInput.newBuilder().setKind(PersonInputKind.SOURCE_REMOVED)
                    .setSourceIdentifier(identifier).build());
        }
        history.setPersonId(newPerson);
        if (newPerson != null && history.getEvents() > 0) {
            // Encounters first, then observations, each in the order they came: as the history always replayed.
            forwardKept(record, newPerson, identifier, PersonInputKind.ENCOUNTER);
            forwardKept(record, newPerson, identifier, PersonInputKind.OBSERVATION);
        }
        return true;
    }

    private void forwardKept(Record<String, SpecificRecord> record, String personId, String identifier,
                             PersonInputKind kind) {
        try (KeyValueIterator<String, PersonInput> kept = events.prefixScan(eventPrefix(identifier, kind),
                PREFIX_SERIALIZER)) {
            while (kept.hasNext()) {
                forward(record, personId, kept.next().value);
            }
        }
    }

    /**
     * The key of an identifier's n-th event: its length first, so that no other identifier's keys share the prefix
     * whatever characters identifiers hold, then the kind, then n zero-padded so that keys sort in arrival order.
     */
    static String eventKey(String identifier, PersonInputKind kind, long number) {
        return eventPrefix(identifier, kind) + String.format("%019d", number);
    }

    static String eventPrefix(String identifier, PersonInputKind kind) {
        return identifier.length() + ":" + identifier + ":" + kind.name().charAt(0) + ":";
    }

    private void forward(Record<String, SpecificRecord> record, String personId, PersonInput input) {
        context.forward(record.withKey(personId).withValue(input));
    }

    private static PersonInput observation(String identifier, ObservationEvent o) {
        return PersonInput.newBuilder().setKind(PersonInputKind.OBSERVATION).setSourceIdentifier(identifier)
                .setObservation(o).build();
    }

    private static PersonInput encounter(String identifier, EncounterEvent e) {
        return PersonInput.newBuilder().setKind(PersonInputKind.ENCOUNTER).setSourceIdentifier(identifier)
                .setEncounter(e).build();
    }
}
