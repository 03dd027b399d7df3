package org.careweave.ingest.mapping;

import java.util.List;

import org.careweave.events.EncounterEvent;
import org.careweave.events.ObservationEvent;
import org.careweave.events.PatientEvent;

/** The events one raw message becomes, each with its topic key (the patient's source identifier). */
public record MappedEvents(List<Keyed<PatientEvent>> patients, List<Keyed<EncounterEvent>> encounters,
                           List<Keyed<ObservationEvent>> observations) {

    public record Keyed<T>(String key, T event) {
    }

    public static MappedEvents none() {
        return new MappedEvents(List.of(), List.of(), List.of());
    }

    public int size() {
        return patients.size() + encounters.size() + observations.size();
    }
}
