package org.careweave.processors.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.careweave.events.Address;
import org.careweave.events.PatientEvent;
import org.careweave.processors.identity.matching.Demographics;

/** Folding a patient event into what its source has said so far; pure. */
final class SourceRecords {

    private SourceRecords() {
    }

    static SourceRecord update(Optional<SourceRecord> previous, String sourceKey, String facility,
                               List<String> identifiers, String nhs, PatientEvent event) {
        Map<String, SourceRecord.Stated> fields = new HashMap<>(previous.map(SourceRecord::fields).orElse(Map.of()));
        String controlId = event.getProvenance().getControlId();
        Instant at = event.getProvenance().getReceivedAt();
        if (event.getName() != null) {
            List<String> given = event.getName().getGiven();
            put(fields, SourceRecord.GIVEN, given.isEmpty() ? null : given.get(0), controlId, at);
            List<String> middle = given.size() < 2 ? List.of() : given.subList(1, given.size()).stream()
                    .filter(n -> n != null && !n.isBlank()).map(String::strip).toList();
            // Stated even when there are none: a newer name without middle names replaces older ones.
            fields.put(SourceRecord.MIDDLE_NAMES, new SourceRecord.Stated(middle.isEmpty() ? null
                    : String.join(" ", middle), controlId, at));
            put(fields, SourceRecord.FAMILY, event.getName().getFamily(), controlId, at);
        }
        if (event.getBirthDate() != null) {
            put(fields, SourceRecord.BIRTH_DATE, event.getBirthDate().toString(), controlId, at);
        }
        if (event.getSex() != null) {
            put(fields, SourceRecord.SEX, event.getSex(), controlId, at);
        }
        Address address = event.getAddress();
        if (address != null) {
            put(fields, SourceRecord.ADDRESS_LINE, address.getLines().isEmpty() ? null
                    : String.join(", ", address.getLines()), controlId, at);
            put(fields, SourceRecord.CITY, address.getCity(), controlId, at);
            put(fields, SourceRecord.POSTCODE, address.getPostcode(), controlId, at);
        }
        if (event.getPhone() != null) {
            put(fields, SourceRecord.PHONE, event.getPhone(), controlId, at);
        }
        if (event.getDeceasedAt() != null) {
            put(fields, SourceRecord.DECEASED_AT, event.getDeceasedAt().toString(), controlId, at);
        }
        for (String cleared : event.getClearedFields()) {
            switch (cleared) {
                case "name" -> {
                    fields.put(SourceRecord.GIVEN, new SourceRecord.Stated(null, controlId, at));
                    fields.put(SourceRecord.MIDDLE_NAMES, new SourceRecord.Stated(null, controlId, at));
                    fields.put(SourceRecord.FAMILY, new SourceRecord.Stated(null, controlId, at));
                }
                case "address" -> {
                    fields.put(SourceRecord.ADDRESS_LINE, new SourceRecord.Stated(null, controlId, at));
                    fields.put(SourceRecord.CITY, new SourceRecord.Stated(null, controlId, at));
                    fields.put(SourceRecord.POSTCODE, new SourceRecord.Stated(null, controlId, at));
                }
                case "birthDate", "sex", "phone", "deceasedAt" ->
                        fields.put(cleared, new SourceRecord.Stated(null, controlId, at));
                default -> {
                    // A field the index does not keep.
                }
            }
        }
        List<String> allIdentifiers = new ArrayList<>(previous.map(SourceRecord::identifiers).orElse(List.of()));
        for (String id : identifiers) {
            if (!allIdentifiers.contains(id)) {
                allIdentifiers.add(id);
            }
        }
        String nhsNumber = nhs != null ? nhs : previous.map(SourceRecord::nhsNumber).orElse(null);
        return new SourceRecord(sourceKey, facility, allIdentifiers, nhsNumber, fields,
                previous.map(SourceRecord::personId).orElse(null));
    }

    static Demographics demographics(SourceRecord r) {
        return new Demographics(r.value(SourceRecord.GIVEN), r.value(SourceRecord.FAMILY), r.birthDate(),
                r.value(SourceRecord.SEX), r.value(SourceRecord.POSTCODE), r.value(SourceRecord.ADDRESS_LINE),
                r.value(SourceRecord.CITY));
    }

    private static void put(Map<String, SourceRecord.Stated> fields, String field, String value, String controlId,
                            Instant at) {
        if (value != null && !value.isBlank()) {
            fields.put(field, new SourceRecord.Stated(value, controlId, at));
        }
    }
}
