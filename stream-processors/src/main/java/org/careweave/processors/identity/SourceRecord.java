package org.careweave.processors.identity;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one source (a facility's patient record) has told careweave about a patient, field by field, with when and
 * in which message each field was last stated. The unit that is matched and linked.
 *
 * @param sourceKey   the record's own key: its first valid local identifier, or facility|NHS number without one
 * @param identifiers every identifier (system|value) the source has sent for this record
 * @param fields      the latest statement of each demographic field
 * @param identifierTypes the type code (CX-5: MR, NH, PI, ...) the source last gave each of {@code identifiers}, at
 *                    the same position, "" where it gave none; a list, not a map, because every candidate read while
 *                    matching decodes it; empty in state written before the types were kept
 */
public record SourceRecord(
        String sourceKey,
        String facility,
        List<String> identifiers,
        String nhsNumber,
        Map<String, Stated> fields,
        String personId,
        List<String> identifierTypes) {

    public SourceRecord {
        identifierTypes = identifierTypes == null ? List.of() : identifierTypes;
    }

    /** The type the source gave the identifier at {@code index} of {@link #identifiers}; null if none. */
    public String identifierType(int index) {
        String type = index < identifierTypes.size() ? identifierTypes.get(index) : null;
        return type == null || type.isEmpty() ? null : type;
    }

    /**
     * One field's latest value from this source; a null value means the source cleared it. {@code fromResult}: the
     * statement came with a result (an ORU's PID), which echoes what the requester wrote on the form, not what a
     * registration system keeps; state written before it was recorded reads as false. {@code recordedAt} is when
     * careweave received it (which orders sources against each other: one clock for all); {@code senderTime} when the
     * source's system recorded it (EVN-2 or MSH-7; null when unknown, and in state written before it was kept), which
     * orders one source's own statements.
     */
    public record Stated(String value, String controlId, Instant recordedAt,
                         @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean fromResult,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Instant senderTime) {

        public Stated(String value, String controlId, Instant recordedAt, boolean fromResult) {
            this(value, controlId, recordedAt, fromResult, null);
        }

        /**
         * Whether a new statement may take this one's place: unless the new one came with a result and this one is a
         * registration system's value, or the source recorded the new one before this one (an update delivered late:
         * held in an interface engine's queue, resent after a failure).
         */
        boolean yieldsTo(boolean newFromResult, Instant newSenderTime) {
            if (senderTime != null && newSenderTime != null && newSenderTime.isBefore(senderTime)) {
                return false;
            }
            return !newFromResult || fromResult || value == null;
        }
    }

    public static final String GIVEN = "given";
    /**
     * The given names after the first, space-separated, stated with every name (null: none). Shown, never matched:
     * matching compares the first given name. A value of its own so that the golden record can show the middle names
     * of the statement its first given name came from, and never one source's first name with another's middle names.
     */
    public static final String MIDDLE_NAMES = "middleNames";
    public static final String FAMILY = "family";
    public static final String BIRTH_DATE = "birthDate";
    public static final String SEX = "sex";
    public static final String POSTCODE = "postcode";
    public static final String ADDRESS_LINE = "addressLine";
    public static final String CITY = "city";
    public static final String PHONE = "phone";
    public static final String DECEASED_AT = "deceasedAt";
    /**
     * PID-30 Y: "Y" when the source states that the patient has died, with or without a date ({@link #DECEASED_AT}).
     * Taken back with the date (PID-30 N, or "").
     */
    public static final String DECEASED = "deceased";
    /** The registered GP practice's code and name (PD1-3), stated together. Shown, never matched. */
    public static final String GP_PRACTICE_CODE = "gpPracticeCode";
    public static final String GP_PRACTICE_NAME = "gpPracticeName";
    /**
     * PID-24 and PID-25: "Y" or "N" for one of a multiple birth, and the birth order ("1", "2", ...). Never shown;
     * they keep children of one birth apart ({@link MultipleBirths}).
     */
    public static final String MULTIPLE_BIRTH = "multipleBirth";
    public static final String BIRTH_ORDER = "birthOrder";
    /**
     * PD1-12: "Y" when the source restricts the patient's whereabouts (the PDS sensitive flag), "N" when it states no
     * restriction. Never shown and never matched: while any record of a person says "Y", the golden record withholds
     * the address, phone and GP practice ({@link GoldenRecords}).
     */
    public static final String RESTRICTED = "restricted";
    /**
     * When the record's NHS number was last stated, and by what kind of message, so that a change of number follows
     * the rules of every other field: a laboratory's echo of a request form does not replace the number the
     * registration system keeps, nor does an update delivered late replace a newer one. The number itself is
     * {@link #nhsNumber}. Absent in state written before the twenty-third session: a number stated then counts as
     * the registration's, at an unknown time.
     */
    public static final String NHS_NUMBER = "nhsNumber";
    /**
     * PID-32 as sent with the record's NHS number (two digits: 01 verified, 04 trace failed, 05 trace in conflict,
     * ...), stated with the number; absent when the sender gave none. Never shown: a number its sender could not
     * confirm is flagged for review where it joins another record ({@link MasterPatientIndex}).
     */
    public static final String NHS_NUMBER_STATUS = "nhsNumberStatus";

    public String value(String field) {
        Stated s = fields.get(field);
        return s == null ? null : s.value();
    }

    public LocalDate birthDate() {
        String v = value(BIRTH_DATE);
        return v == null ? null : LocalDate.parse(v);
    }

    public SourceRecord withPerson(String newPersonId) {
        return new SourceRecord(sourceKey, facility, identifiers, nhsNumber, fields, newPersonId, identifierTypes);
    }
}
