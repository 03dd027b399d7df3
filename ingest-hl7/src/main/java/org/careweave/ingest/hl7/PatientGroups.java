package org.careweave.ingest.hl7;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A message's segments split at each PID: the patient groups of HL7's message structures (ORU^R01's PATIENT_RESULT,
 * A39/A40's PATIENT). An ORU may report results for several patients and a merge message may merge several pairs;
 * reading each group on its own is what keeps one patient's results out of another's record.
 */
public final class PatientGroups {

    private PatientGroups() {
    }

    /** One group per PID, each from its PID to the segment before the next PID; empty when there is no PID. */
    public static List<Hl7Segments> of(Hl7Segments message) {
        List<Hl7Segments> groups = new ArrayList<>();
        List<Hl7Fields> current = null;
        for (Hl7Fields segment : message.segments()) {
            if (segment.name().equals("PID")) {
                current = new ArrayList<>();
                groups.add(new Group(current));
            }
            if (current != null) {
                current.add(segment);
            }
        }
        return groups;
    }

    /** The segments before the first PID (EVN, and anything misplaced there). */
    public static List<Hl7Fields> beforeFirstPatient(Hl7Segments message) {
        List<Hl7Fields> before = new ArrayList<>();
        for (Hl7Fields segment : message.segments()) {
            if (segment.name().equals("PID")) {
                break;
            }
            before.add(segment);
        }
        return before;
    }

    private record Group(List<Hl7Fields> segments) implements Hl7Segments {

        @Override
        public Optional<Hl7Fields> first(String name) {
            return segments.stream().filter(s -> s.name().equals(name)).findFirst();
        }

        @Override
        public List<Hl7Fields> all(String name) {
            return segments.stream().filter(s -> s.name().equals(name)).toList();
        }
    }
}
