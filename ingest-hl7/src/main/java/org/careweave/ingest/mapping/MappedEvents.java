package org.careweave.ingest.mapping;

import java.util.ArrayList;
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

    /** These events, then the other's: a message's patients in the order it gives them. */
    public MappedEvents and(MappedEvents other) {
        if (size() == 0) {
            return other;
        }
        return new MappedEvents(concat(patients, other.patients), concat(encounters, other.encounters),
                concat(observations, other.observations));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    public int size() {
        return patients.size() + encounters.size() + observations.size();
    }
}
