package org.careweave.processors.identity;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.careweave.events.Address;
import org.careweave.events.FieldSource;
import org.careweave.events.HumanName;
import org.careweave.events.Identifier;
import org.careweave.events.Organisation;
import org.careweave.events.PersonGolden;

/**
 * Survivorship: each field of the golden record is the most recent value any source stated for it, and records who
 * stated it and when. A source that clears a field (HL7 "") withdraws only its own value; an older value from
 * another source then shows through, because one organisation's clearing does not make another's statement untrue.
 * A value stated with a result (an ORU's PID, which echoes the request form) shows only where no registration
 * message has stated one. The address is taken whole from the source whose address wins, never one source's street
 * with another's postcode. A restricted person's record ({@link #isRestricted}) withholds the address, phone and GP
 * practice, with their provenance: what the person's records say of where the patient lives and how to reach them.
 */
public final class GoldenRecords {

    private GoldenRecords() {
    }

    /** The first given name and the middle names stated with it (same source, same message), if any. */
    private static List<String> givenNames(String first, SourceRecord source) {
        SourceRecord.Stated given = source.fields().get(SourceRecord.GIVEN);
        SourceRecord.Stated middle = source.fields().get(SourceRecord.MIDDLE_NAMES);
        if (middle == null || middle.value() == null || !Objects.equals(middle.controlId(), given.controlId())
                || !middle.recordedAt().equals(given.recordedAt())) {
            return List.of(first);
        }
        List<String> names = new ArrayList<>();
        names.add(first);
        names.addAll(List.of(middle.value().split(" ")));
        return List.copyOf(names);
    }

    public static PersonGolden of(Person person, List<SourceRecord> sources, Instant now) {
        if (person.mergedInto() != null) {
            return PersonGolden.newBuilder().setPersonId(person.personId()).setVersion(person.version())
                    .setMergedInto(person.mergedInto()).setUpdatedAt(now).build();
        }
        Map<String, FieldSource> provenance = new HashMap<>();
        Map<String, String> values = new HashMap<>();
        SourceRecord givenFrom = null;
        for (String field : List.of(SourceRecord.GIVEN, SourceRecord.FAMILY, SourceRecord.BIRTH_DATE,
                SourceRecord.SEX, SourceRecord.DECEASED_AT, SourceRecord.DECEASED)) {
            SourceRecord from = takeWhole(List.of(field), sources, values, provenance);
            if (field.equals(SourceRecord.GIVEN)) {
                givenFrom = from;
            }
        }
        boolean restricted = isRestricted(sources);
        if (!restricted) {
            for (List<String> group : List.of(List.of(SourceRecord.PHONE), ADDRESS, GP_PRACTICE)) {
                takeWhole(group, sources, values, provenance);
            }
        }
        // Each identifier once, in the order of the sources, with the first type a source gave it.
        Map<String, String> typeOf = new LinkedHashMap<>();
        for (SourceRecord source : sources) {
            List<String> keys = source.identifiers();
            for (int i = 0; i < keys.size(); i++) {
                if (typeOf.get(keys.get(i)) == null) {
                    typeOf.put(keys.get(i), source.identifierType(i));
                }
            }
        }
        List<Identifier> identifiers = new ArrayList<>(typeOf.size());
        for (Map.Entry<String, String> identifier : typeOf.entrySet()) {
            String key = identifier.getKey();
            int bar = key.indexOf('|');
            identifiers.add(Identifier.newBuilder().setSystem(key.substring(0, bar)).setValue(key.substring(bar + 1))
                    .setType(identifier.getValue()).setValid(true).build());
        }
        String nhsNumber = sources.stream().filter(s -> s.nhsNumber() != null)
                .max(Comparator.comparing(GoldenRecords::lastStated))
                .map(SourceRecord::nhsNumber).orElse(null);
        PersonGolden.Builder b = PersonGolden.newBuilder()
                .setPersonId(person.personId())
                .setVersion(person.version())
                .setIdentifiers(identifiers)
                .setNhsNumber(nhsNumber)
                .setSex(values.get(SourceRecord.SEX))
                .setPhone(values.get(SourceRecord.PHONE))
                .setFieldSources(provenance)
                .setMergedPersonIds(person.mergedFrom())
                .setRestricted(restricted)
                // A death without its date is still a death: one record's date, or any record's PID-30 Y.
                .setDeceased(values.containsKey(SourceRecord.DECEASED_AT) || values.containsKey(SourceRecord.DECEASED))
                .setUpdatedAt(now);
        if (values.containsKey(SourceRecord.GIVEN) || values.containsKey(SourceRecord.FAMILY)) {
            b.setName(HumanName.newBuilder().setFamily(values.get(SourceRecord.FAMILY))
                    .setGiven(values.containsKey(SourceRecord.GIVEN) ? givenNames(values.get(SourceRecord.GIVEN),
                            givenFrom) : List.of()).build());
        }
        if (values.containsKey(SourceRecord.BIRTH_DATE)) {
            b.setBirthDate(LocalDate.parse(values.get(SourceRecord.BIRTH_DATE)));
        }
        if (values.containsKey(SourceRecord.GP_PRACTICE_CODE) || values.containsKey(SourceRecord.GP_PRACTICE_NAME)) {
            b.setGeneralPractice(Organisation.newBuilder().setCode(values.get(SourceRecord.GP_PRACTICE_CODE))
                    .setName(values.get(SourceRecord.GP_PRACTICE_NAME)).build());
        }
        b.setOtherNames(otherNames(sources, values.get(SourceRecord.FAMILY), values.get(SourceRecord.GIVEN)));
        b.setOtherBirthDates(otherBirthDates(sources, values.get(SourceRecord.BIRTH_DATE)));
        if (values.containsKey(SourceRecord.DECEASED_AT)) {
            b.setDeceasedAt(Instant.parse(values.get(SourceRecord.DECEASED_AT)));
        }
        if (values.containsKey(SourceRecord.ADDRESS_LINE) || values.containsKey(SourceRecord.POSTCODE)
                || values.containsKey(SourceRecord.CITY)) {
            b.setAddress(Address.newBuilder()
                    .setLines(values.containsKey(SourceRecord.ADDRESS_LINE)
                            ? List.of(values.get(SourceRecord.ADDRESS_LINE)) : List.of())
                    .setCity(values.get(SourceRecord.CITY))
                    .setPostcode(values.get(SourceRecord.POSTCODE))
                    .build());
        }
        return b.build();
    }

    /**
     * Whether any of the person's records is restricted now (its latest PD1-12 is Y). One organisation's restriction
     * holds for the whole person, whatever the others state: the others may not have traced the patient since the
     * flag was set, and an address shown by mistake can put the patient in danger. It lifts when that record states N
     * or clears it.
     */
    static boolean isRestricted(List<SourceRecord> sources) {
        for (SourceRecord source : sources) {
            if ("Y".equals(source.value(SourceRecord.RESTRICTED))) {
                return true;
            }
        }
        return false;
    }

    private static final List<String> ADDRESS = List.of(SourceRecord.ADDRESS_LINE, SourceRecord.CITY,
            SourceRecord.POSTCODE);
    private static final List<String> GP_PRACTICE = List.of(SourceRecord.GP_PRACTICE_CODE,
            SourceRecord.GP_PRACTICE_NAME);

    /**
     * The fields of a group that is one statement (an address, a GP practice; or a single field), all from the source
     * whose statement of any of them wins ({@link #PRECEDENCE}; the first source on a tie): never one source's street
     * with another's postcode. Returns that source, null if none stated any.
     */
    private static SourceRecord takeWhole(List<String> group, List<SourceRecord> sources, Map<String, String> values,
                                          Map<String, FieldSource> provenance) {
        SourceRecord from = null;
        SourceRecord.Stated best = null;
        for (SourceRecord source : sources) {
            for (String field : group) {
                SourceRecord.Stated stated = source.fields().get(field);
                if (stated != null && stated.value() != null && (best == null || PRECEDENCE.compare(stated, best) > 0)) {
                    best = stated;
                    from = source;
                }
            }
        }
        if (from == null) {
            return null;
        }
        for (String field : group) {
            SourceRecord.Stated stated = from.fields().get(field);
            if (stated != null && stated.value() != null) {
                values.put(field, stated.value());
                provenance.put(field, fieldSource(from, stated));
            }
        }
        return from;
    }

    /** A registration message's statement over one that came with a result; then the most recent. */
    private static final Comparator<SourceRecord.Stated> PRECEDENCE = Comparator
            .comparing((SourceRecord.Stated s) -> !s.fromResult())
            .thenComparing(SourceRecord.Stated::recordedAt);

    private static FieldSource fieldSource(SourceRecord source, SourceRecord.Stated stated) {
        return FieldSource.newBuilder().setSourceIdentifier(source.sourceKey()).setSendingFacility(source.facility())
                .setControlId(stated.controlId()).setRecordedAt(stated.recordedAt()).build();
    }

    /**
     * Each name another record is registered under (its own latest family and first given name) that is not the
     * golden name, case aside; once each, in the order of the sources. A name that came with a result is left out:
     * it echoes a request form ("SMITH^J") and would only add noise.
     */
    private static List<HumanName> otherNames(List<SourceRecord> sources, String family, String given) {
        if (sources.size() < 2) {
            return List.of(); // one record's registered name is the golden name
        }
        Set<String> seen = new LinkedHashSet<>();
        seen.add(nameKey(family, given));
        List<HumanName> names = new ArrayList<>();
        for (SourceRecord source : sources) {
            String otherFamily = registered(source, SourceRecord.FAMILY);
            String otherGiven = registered(source, SourceRecord.GIVEN);
            if ((otherFamily != null || otherGiven != null) && seen.add(nameKey(otherFamily, otherGiven))) {
                names.add(HumanName.newBuilder().setFamily(otherFamily)
                        .setGiven(otherGiven == null ? List.of() : List.of(otherGiven)).build());
            }
        }
        return names;
    }

    private static List<LocalDate> otherBirthDates(List<SourceRecord> sources, String birthDate) {
        if (sources.size() < 2) {
            return List.of();
        }
        Set<String> dates = new LinkedHashSet<>();
        for (SourceRecord source : sources) {
            String other = registered(source, SourceRecord.BIRTH_DATE);
            if (other != null && !other.equals(birthDate)) {
                dates.add(other);
            }
        }
        return dates.stream().map(LocalDate::parse).toList();
    }

    /** The source's value of a field as a registration message stated it; null if none did. */
    private static String registered(SourceRecord source, String field) {
        SourceRecord.Stated stated = source.fields().get(field);
        return stated == null || stated.fromResult() ? null : stated.value();
    }

    private static String nameKey(String family, String given) {
        return (family == null ? "" : family.toLowerCase(Locale.ROOT)) + "|"
                + (given == null ? "" : given.toLowerCase(Locale.ROOT));
    }

    private static Instant lastStated(SourceRecord s) {
        return s.fields().values().stream().map(SourceRecord.Stated::recordedAt).max(Comparator.naturalOrder())
                .orElse(Instant.EPOCH);
    }
}
