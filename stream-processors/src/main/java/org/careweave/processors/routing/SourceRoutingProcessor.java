package org.careweave.processors.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
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
 */
final class SourceRoutingProcessor implements Processor<String, SpecificRecord, String, PersonInput> {

    static final String HISTORIES = "source-histories";

    private ProcessorContext<String, PersonInput> context;
    private KeyValueStore<String, SourceHistory> histories;

    @Override
    public void init(ProcessorContext<String, PersonInput> context) {
        this.context = context;
        this.histories = context.getStateStore(HISTORIES);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        String identifier = record.key();
        if (identifier == null || record.value() == null) {
            return;
        }
        SourceHistory history = histories.get(identifier);
        if (history == null) {
            history = SourceHistory.newBuilder().setSourceIdentifier(identifier).build();
        }
        if (record.value() instanceof IdentityLink link) {
            boolean moved = relink(record, history, link.getStatus() == LinkStatus.LINKED ? link.getPersonId() : null);
            if (!moved) {
                return; // already routed to that person: the stored history stays as it is
            }
        } else if (record.value() instanceof ObservationEvent observation) {
            List<ObservationEvent> all = new ArrayList<>(history.getObservations());
            all.add(observation);
            history.setObservations(all);
            if (history.getPersonId() != null) {
                forward(record, history.getPersonId(), observation(identifier, observation));
            }
        } else if (record.value() instanceof EncounterEvent encounter) {
            List<EncounterEvent> all = new ArrayList<>(history.getEncounters());
            all.add(encounter);
            history.setEncounters(all);
            if (history.getPersonId() != null) {
                forward(record, history.getPersonId(), encounter(identifier, encounter));
            }
        }
        histories.put(identifier, history);
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
        if (newPerson != null) {
            for (EncounterEvent e : history.getEncounters()) {
                forward(record, newPerson, encounter(identifier, e));
            }
            for (ObservationEvent o : history.getObservations()) {
                forward(record, newPerson, observation(identifier, o));
            }
        }
        return true;
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
