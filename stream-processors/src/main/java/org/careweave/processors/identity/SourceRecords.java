package org.careweave.processors.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.careweave.events.Address;
import org.careweave.events.Identifier;
import org.careweave.events.PatientEvent;
import org.careweave.processors.identity.matching.Demographics;

/** Folding a patient event into what its source has said so far; pure. */
final class SourceRecords {

    private SourceRecords() {
    }

    /**
     * Folds one patient event into the source's record. A result's PID (an ORU) fills only the fields that the
     * source's registration messages have not stated: a laboratory echoes the request form ("SMITH^J", sex U, no
     * address), and until the twentieth session its result replaced the patient administration system's name.
     */
    static SourceRecord update(Optional<SourceRecord> previous, String sourceKey, String facility,
                               List<String> identifiers, String nhs, PatientEvent event) {
        Map<String, SourceRecord.Stated> fields = new HashMap<>(previous.map(SourceRecord::fields).orElse(Map.of()));
        Statement statement = new Statement(fields, event.getProvenance().getControlId(),
                event.getProvenance().getReceivedAt(), isResult(event), event.getRecordedAt());
        if (event.getName() != null && statement.may(SourceRecord.GIVEN)) {
            List<String> given = event.getName().getGiven();
            statement.put(SourceRecord.GIVEN, given.isEmpty() ? null : given.get(0));
            List<String> middle = given.size() < 2 ? List.of() : given.subList(1, given.size()).stream()
                    .filter(n -> n != null && !n.isBlank()).map(String::strip).toList();
            // Stated even when there are none: a newer name without middle names replaces older ones.
            statement.state(SourceRecord.MIDDLE_NAMES, middle.isEmpty() ? null : String.join(" ", middle));
        }
        if (event.getName() != null) {
            statement.put(SourceRecord.FAMILY, event.getName().getFamily());
        }
        if (event.getBirthDate() != null) {
            statement.put(SourceRecord.BIRTH_DATE, event.getBirthDate().toString());
        }
        if (event.getSex() != null) {
            statement.put(SourceRecord.SEX, event.getSex());
        }
        Address address = event.getAddress();
        if (address != null && statement.mayAll(ADDRESS)) {
            // Stated whole, parts it lacks as none: a new address keeps no street or town of the old one.
            statement.state(SourceRecord.ADDRESS_LINE, blankAsNull(String.join(", ", address.getLines())));
            statement.state(SourceRecord.CITY, blankAsNull(address.getCity()));
            statement.state(SourceRecord.POSTCODE, blankAsNull(address.getPostcode()));
        }
        if (event.getPhone() != null) {
            statement.put(SourceRecord.PHONE, event.getPhone());
        }
        if (event.getGeneralPractice() != null && statement.mayAll(GP_PRACTICE)) {
            statement.state(SourceRecord.GP_PRACTICE_CODE, blankAsNull(event.getGeneralPractice().getCode()));
            statement.state(SourceRecord.GP_PRACTICE_NAME, blankAsNull(event.getGeneralPractice().getName()));
        }
        if (event.getMultipleBirth() != null) {
            statement.put(SourceRecord.MULTIPLE_BIRTH, event.getMultipleBirth() ? "Y" : "N");
        }
        if (event.getBirthOrder() != null) {
            statement.put(SourceRecord.BIRTH_ORDER, Integer.toString(event.getBirthOrder()));
        }
        if (event.getRestricted() != null) {
            statement.put(SourceRecord.RESTRICTED, event.getRestricted() ? "Y" : "N");
        }
        if (event.getDeceasedAt() != null) {
            statement.put(SourceRecord.DECEASED_AT, event.getDeceasedAt().toString());
        }
        if (Boolean.TRUE.equals(event.getDeceased())) {
            statement.put(SourceRecord.DECEASED, "Y");
        }
        for (String cleared : event.getClearedFields()) {
            switch (cleared) {
                case "name" -> statement.clear(SourceRecord.GIVEN, SourceRecord.MIDDLE_NAMES, SourceRecord.FAMILY);
                case "address" -> statement.clear(ADDRESS.toArray(String[]::new));
                case "birthDate", "sex", "phone", "deceasedAt", "deceased", "multipleBirth", "birthOrder", "restricted" ->
                        statement.clear(cleared);
                case "generalPractice" -> statement.clear(GP_PRACTICE.toArray(String[]::new));
                default -> {
                    // A field the index does not keep.
                }
            }
        }
        String previousNhs = previous.map(SourceRecord::nhsNumber).orElse(null);
        String nhsNumber = previousNhs;
        if (nhs != null && statement.mayStateNhsNumber(previousNhs)) {
            fields.put(SourceRecord.NHS_NUMBER, statement.stated(nhs));
            // The sender's trace status goes with the number it was sent with (kept only when sent).
            String status = MasterPatientIndex.traceStatus(event.getNhsNumberStatus());
            if (status == null) {
                fields.remove(SourceRecord.NHS_NUMBER_STATUS);
            } else {
                fields.put(SourceRecord.NHS_NUMBER_STATUS, statement.stated(status));
            }
            nhsNumber = nhs;
        }
        // A record carries one NHS number: the one it withdrew is no longer one of its identifiers, and one it was
        // sent but did not take never becomes one.
        String withdrawn = previousNhs != null && !previousNhs.equals(nhsNumber)
                ? MasterPatientIndex.nhsKey(previousNhs) : null;
        String notTaken = nhs != null && !nhs.equals(nhsNumber) ? MasterPatientIndex.nhsKey(nhs) : null;
        SourceRecord before = previous.orElse(null);
        List<String> allIdentifiers = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<String> previousIdentifiers = previous.map(SourceRecord::identifiers).orElse(List.of());
        for (int i = 0; i < previousIdentifiers.size(); i++) {
            if (!previousIdentifiers.get(i).equals(withdrawn)) {
                allIdentifiers.add(previousIdentifiers.get(i));
                String type = before.identifierType(i);
                types.add(type == null ? "" : type);
            }
        }
        for (String id : identifiers) {
            if (!allIdentifiers.contains(id) && !id.equals(notTaken)) {
                allIdentifiers.add(id);
                types.add("");
            }
        }
        for (Identifier id : event.getIdentifiers()) {
            int at = id.getType() == null || id.getType().isBlank() ? -1
                    : allIdentifiers.indexOf(MasterPatientIndex.key(id));
            if (at >= 0) {
                types.set(at, id.getType());
            }
        }
        return new SourceRecord(sourceKey, facility, allIdentifiers, nhsNumber, fields,
                previous.map(SourceRecord::personId).orElse(null), types);
    }

    private static final List<String> ADDRESS = List.of(SourceRecord.ADDRESS_LINE, SourceRecord.CITY,
            SourceRecord.POSTCODE);
    private static final List<String> GP_PRACTICE = List.of(SourceRecord.GP_PRACTICE_CODE,
            SourceRecord.GP_PRACTICE_NAME);

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean isResult(PatientEvent event) {
        String type = event.getProvenance().getMessageType();
        return type != null && type.startsWith("ORU");
    }

    /** One message's statements into a source's fields, each only where it may replace what is there. */
    private record Statement(Map<String, SourceRecord.Stated> fields, String controlId, Instant at,
                             boolean fromResult, Instant senderTime) {

        boolean may(String field) {
            SourceRecord.Stated known = fields.get(field);
            return known == null || known.yieldsTo(fromResult, senderTime);
        }

        /**
         * Whether this message's NHS number may take the record's place: as for any field, with a number stated
         * before its statement was kept (state of an earlier careweave) counted as the registration system's.
         */
        boolean mayStateNhsNumber(String current) {
            if (current == null) {
                return true;
            }
            if (!fields.containsKey(SourceRecord.NHS_NUMBER)) {
                return !fromResult;
            }
            return may(SourceRecord.NHS_NUMBER);
        }

        SourceRecord.Stated stated(String value) {
            return new SourceRecord.Stated(value, controlId, at, fromResult, senderTime);
        }

        /** Whether every field of a group may be stated: an address is replaced whole or not at all. */
        boolean mayAll(List<String> group) {
            return group.stream().allMatch(this::may);
        }

        /** States a non-blank value where it may. */
        void put(String field, String value) {
            if (value != null && !value.isBlank()) {
                state(field, value);
            }
        }

        /** States a value, or that there is none, where it may. */
        void state(String field, String value) {
            if (may(field)) {
                fields.put(field, stated(value));
            }
        }

        void clear(String... cleared) {
            for (String field : cleared) {
                state(field, null);
            }
        }
    }

    static Demographics demographics(SourceRecord r) {
        return new Demographics(r.value(SourceRecord.GIVEN), r.value(SourceRecord.FAMILY), r.birthDate(),
                r.value(SourceRecord.SEX), r.value(SourceRecord.POSTCODE), r.value(SourceRecord.ADDRESS_LINE),
                r.value(SourceRecord.CITY));
    }
}
