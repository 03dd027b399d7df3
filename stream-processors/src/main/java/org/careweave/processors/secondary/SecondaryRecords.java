package org.careweave.processors.secondary;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.careweave.events.Coding;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.PersonView;
import org.careweave.events.ResultSource;
import org.careweave.events.SecondaryPerson;
import org.careweave.events.SecondaryResult;
import org.careweave.events.StatedTime;

/**
 * One person's records for secondary use, built from their view; pure.
 *
 * <p>Built by listing what is kept, never by removing what is not: a field added to PersonView later stays out of
 * the secondary-use stream until someone decides it belongs there. Kept: the pseudonym, birth period, sex, postcode
 * district; per result the pseudonymised result key, the test code, value (when it cannot be free text), units,
 * status, collection date and the sending organisation. Everything else (names, addresses, phone, NHS number, person
 * id, local identifiers, encounters, alerts, order and control numbers, times of day) never leaves the view.
 */
public record SecondaryRecords(SecondaryPerson person, List<SecondaryResult> results) {

    /** Value types whose value is a number or a code: anything else may be narrative text that names someone. */
    private static final Set<String> STRUCTURED_VALUE_TYPES = Set.of("NM", "SN", "CE", "CWE", "CNE", "CF");
    private static final Pattern NUMBER = Pattern.compile("^[<>=]{0,2}\\s?-?\\d{1,12}(\\.\\d{1,12})?$");

    public SecondaryRecords {
        results = List.copyOf(results);
    }

    public static SecondaryRecords of(PersonView view, Pseudonymiser pseudonymiser) {
        String pseudonym = pseudonymiser.person(view.getPersonId());
        SecondaryPerson person = SecondaryPerson.newBuilder()
                .setPseudonym(pseudonym)
                .setBirthPeriod(pseudonymiser.birthPeriod(view.getBirthDate()))
                .setSex(view.getSex())
                .setPostcodeDistrict(view.getAddress() == null ? null
                        : Pseudonymiser.postcodeDistrict(view.getAddress().getPostcode()))
                .setDeathYear(view.getDeceasedAt() == null ? null
                        : view.getDeceasedAt().atZone(ZoneOffset.UTC).getYear())
                .setUpdatedAt(view.getUpdatedAt())
                .setDeceased(view.getDeceased() || view.getDeceasedAt() != null)
                .build();
        List<SecondaryResult> results = view.getResults().stream()
                // A retracted result (e.g. wrong patient) must disappear from research data, not linger as a row.
                .filter(r -> !r.getRetracted())
                .map(r -> result(r, pseudonym, pseudonymiser))
                .toList();
        return new SecondaryRecords(person, results);
    }

    private static SecondaryResult result(DeduplicatedResult r, String pseudonym, Pseudonymiser pseudonymiser) {
        return SecondaryResult.newBuilder()
                .setPseudonym(pseudonym)
                .setResultKey(pseudonymiser.result(r.getResultId()))
                .setCode(Coding.newBuilder(r.getCode()).build())
                .setValue(keptValue(r))
                .setNumericValue(r.getNumericValue())
                .setUnits(r.getUnits())
                .setStatus(r.getStatus())
                .setCollectedDate(collectedDate(r.getCollectedAt()))
                .setSendingFacility(firstSource(r))
                .setUpdatedAt(r.getUpdatedAt())
                .build();
    }

    /** Numbers and coded values are kept; text is kept only when it is a number sent as text. */
    static String keptValue(DeduplicatedResult r) {
        String value = r.getValue();
        if (value == null || STRUCTURED_VALUE_TYPES.contains(r.getValueType())) {
            return value;
        }
        return NUMBER.matcher(value.strip()).matches() ? value.strip() : null;
    }

    /** The date on the source's own clock: the date the lab would write on the form. */
    static LocalDate collectedDate(StatedTime collected) {
        if (collected == null) {
            return null;
        }
        Instant instant = collected.getInstant();
        return instant.atOffset(ZoneOffset.ofTotalSeconds(collected.getOffsetSeconds())).toLocalDate();
    }

    /** The organisation that reported the result first (deterministic whatever order the copies arrived in). */
    private static String firstSource(DeduplicatedResult r) {
        return r.getSources().stream()
                .min(Comparator.comparing(ResultSource::getReceivedAt).thenComparing(ResultSource::getSendingFacility))
                .map(ResultSource::getSendingFacility)
                .orElse(null);
    }
}
