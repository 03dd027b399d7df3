package org.careweave.ingest.mapping;

import java.util.ArrayList;
import java.util.List;

import org.careweave.events.EncounterEvent;
import org.careweave.events.ObservationEvent;
import org.careweave.events.PatientEvent;

/**
 * The events one raw message becomes, each with its topic key (the patient's source identifier); {@code
 * senderTimeAhead} when a time the sender stamped the message with was too far after careweave received it to be read
 * (a sender's clock set wrong: counted per feed, {@link RawMessageMapper#SENDER_CLOCK_AHEAD}).
 */
public record MappedEvents(List<Keyed<PatientEvent>> patients, List<Keyed<EncounterEvent>> encounters,
                           List<Keyed<ObservationEvent>> observations, boolean senderTimeAhead) {

    public MappedEvents(List<Keyed<PatientEvent>> patients, List<Keyed<EncounterEvent>> encounters,
                        List<Keyed<ObservationEvent>> observations) {
        this(patients, encounters, observations, false);
    }

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
                concat(observations, other.observations), senderTimeAhead || other.senderTimeAhead);
    }

    MappedEvents withSenderTimeAhead() {
        return new MappedEvents(patients, encounters, observations, true);
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
