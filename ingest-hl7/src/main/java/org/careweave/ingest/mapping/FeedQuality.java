package org.careweave.ingest.mapping;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.careweave.events.Identifier;
import org.careweave.events.PatientEvent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * How complete each feed's patient records are: whether they carry a valid NHS number, and whether the birth date
 * and postcode that matching relies on are there. Records without a valid NHS number are matched on demographics
 * alone, so a feed whose NHS numbers are missing or mistyped fills the review queue and splits patients' records;
 * these counts show which feed to take up with its sender. Counts only, by facility: never a value.
 */
final class FeedQuality {

    /** What a patient record says about its NHS number. */
    enum NhsNumber {
        /** At least one NHS number that passed its checks. */
        VALID,
        /** NHS numbers, none of which passed its checks (a check digit wrong, too short): a keying or mapping fault. */
        INVALID,
        /** No NHS number (an unidentified A&E patient, a feed that does not send it). */
        ABSENT;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A demographic field matching leans on. */
    enum Field {
        BIRTH_DATE, POSTCODE;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry metrics;
    // A feed's meters looked up once: the registry's lookup (and a key built per record) is too much for every record.
    private final Map<String, FeedCounters> feeds = new HashMap<>();

    FeedQuality(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    /** Counts one patient record as its source sent it. */
    void count(PatientEvent patient) {
        FeedCounters feed = feeds.computeIfAbsent(patient.getProvenance().getSendingFacility(), FeedCounters::new);
        feed.byNhsNumber.get(nhsNumber(patient)).increment();
        for (Field field : missing(patient)) {
            feed.missing.get(field).increment();
        }
    }

    /**
     * Counts a message whose sender's time was too far after careweave received it to be read as when it was
     * recorded: a clock set wrong. Its events are then read in the order received, so a late delivery from that
     * feed is no longer put in its place.
     */
    void countSenderTimeAhead(String facility) {
        feeds.computeIfAbsent(facility, FeedCounters::new).senderTimeAhead.increment();
    }

    /** One facility's counters. */
    private final class FeedCounters {
        final Map<NhsNumber, Counter> byNhsNumber = new EnumMap<>(NhsNumber.class);
        final Map<Field, Counter> missing = new EnumMap<>(Field.class);
        final Counter senderTimeAhead;

        FeedCounters(String facility) {
            senderTimeAhead = metrics.counter("careweave.mapping.sender.time.ahead", "facility", facility);
            for (NhsNumber n : NhsNumber.values()) {
                byNhsNumber.put(n, metrics.counter("careweave.mapping.patients", "facility", facility, "nhs_number",
                        n.tag()));
            }
            for (Field f : Field.values()) {
                missing.put(f, metrics.counter("careweave.mapping.patients.incomplete", "facility", facility, "field",
                        f.tag()));
            }
        }
    }

    static NhsNumber nhsNumber(PatientEvent patient) {
        if (patient.getNhsNumber() != null) {
            return NhsNumber.VALID;
        }
        for (Identifier id : patient.getIdentifiers()) {
            if (NhsNumbers.SYSTEM.equals(id.getSystem())) {
                return id.getValid() ? NhsNumber.VALID : NhsNumber.INVALID;
            }
        }
        return NhsNumber.ABSENT;
    }

    /** The fields a record lacks; a field the source cleared on purpose (HL7 "") counts as missing too. */
    static List<Field> missing(PatientEvent patient) {
        List<Field> missing = new ArrayList<>(2);
        if (patient.getBirthDate() == null) {
            missing.add(Field.BIRTH_DATE);
        }
        if (patient.getAddress() == null || patient.getAddress().getPostcode() == null
                || patient.getAddress().getPostcode().isBlank()) {
            missing.add(Field.POSTCODE);
        }
        return missing;
    }

}
