package org.careweave.store.views;

import java.util.List;

/**
 * One person as the API shows it, stored as JSONB by the sink and served as written. Field names are the API's
 * (docs/api.md); absent values are left out of the JSON. {@code deceasedIndicator} and {@code restricted} are present
 * only when true.
 */
public record PersonDocument(
        String personId,
        long version,
        String updated,
        List<Identifier> identifiers,
        String nhsNumber,
        Name name,
        String birthDate,
        String sex,
        Address address,
        String phone,
        String deceased,
        Boolean deceasedIndicator,
        List<Encounter> encounters,
        List<Result> results,
        List<Alert> alerts,
        List<String> mergedPersonIds,
        List<Name> otherNames,
        List<String> otherBirthDates,
        Organisation generalPractice,
        Boolean restricted) {

    /** The GP practice the patient is registered with: its ODS code and name, either may be missing. */
    public record Organisation(String code, String name) {
    }

    public record Identifier(String system, String value, String type, boolean valid, String invalidReason) {
    }

    public record Name(String family, List<String> given, String prefix, String suffix) {
    }

    public record Address(List<String> lines, String city, String district, String postcode, String country) {
    }

    public record Visit(String system, String value) {
    }

    public record Encounter(Visit visit, String patientClass, String admitted, String discharged, String location,
                            String status, String facility) {
    }

    public record Code(String system, String code, String display) {
    }

    public record Source(String facility, String messageControlId, String fillerOrderNumber, String placerOrderNumber,
                         String received) {
    }

    /**
     * {@code collectedOffsetAssumed} is present (true) only when the source gave no offset; {@code notObtained} only
     * when the laboratory could not obtain a value.
     */
    public record Result(String resultId, Code code, Code sourceCode, String valueType, String value,
                         Double numericValue, String unit, String referenceRange, List<String> abnormalFlags,
                         String status, String collected, Boolean collectedOffsetAssumed, boolean retracted,
                         int versionCount, String updated, List<Source> sources, Code order, String subId,
                         List<String> notes, Boolean notObtained) {
    }

    public record Alert(String type, String alertId, Code code, String ruleId, int minimumIntervalDays,
                        String ruleSource, AlertResult previous, AlertResult current, String raised) {
    }

    public record AlertResult(String resultId, String facility, String collected, String value, String unit) {
    }
}
