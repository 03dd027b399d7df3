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
 * district; per result the pseudonymised result key, the test code, value (only a number or a structured numeric:
 * never text, nor a coded value, which may be its text), units, status, collection date and the sending
 * organisation. Everything else (names, addresses, phone, NHS number, person id, local identifiers, encounters,
 * alerts, order and control numbers, times of day, notes) never leaves the view.
 */
public record SecondaryRecords(SecondaryPerson person, List<SecondaryResult> results) {

    /**
     * A number, perhaps with a comparator: {@code 5.4}, {@code >90}, {@code <= 0.1}; and every form the ingest reads
     * as an NM's number ({@code +5}, {@code .5}, {@code 5.}).
     */
    private static final Pattern NUMBER =
            Pattern.compile("^[<>=]{0,2}\\s?[-+]?(\\d{1,9}(\\.\\d{0,12})?|\\.\\d{1,12})$");
    /**
     * The forms of a structured numeric (SN): comparator, number, and a separator with a second number ({@code 1:128},
     * {@code 2-5}, {@code 1/40}) or a trailing plus ({@code 2+}). The ingest joins the components as sent, so
     * anything else is text someone put in a component.
     */
    private static final Pattern STRUCTURED_NUMERIC = Pattern.compile(
            "^(<>|<=|>=|<|>|=)?-?\\d{1,9}(\\.\\d{1,12})?([-+/.:]-?\\d{1,9}(\\.\\d{1,12})?|\\+)?$");
    /**
     * A number of ten or more digits before the point is no measurement careweave's feeds send as such, but it is
     * what an NHS number (ten digits) or a phone number (eleven) sent as a "number" looks like: left out, value and
     * numeric value alike. (A rare very large count is lost to research data; it stays in the person's view.)
     */
    private static final double IDENTIFIER_SIZED = 1e9;
    /**
     * Coded and formatted values. The event carries the text component of a coded value when one was sent, and the
     * code only when it was not, without saying which; the text is whatever the sender typed ("Sample from ...
     * unlabelled") and a formatted value is text by definition. None is kept.
     */
    private static final Set<String> CODED_OR_FORMATTED = Set.of("CE", "CWE", "CNE", "CF");

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
                .setNumericValue(r.getNumericValue() == null || Math.abs(r.getNumericValue()) >= IDENTIFIER_SIZED
                        ? null : r.getNumericValue())
                .setUnits(r.getUnits())
                .setStatus(r.getStatus())
                .setCollectedDate(collectedDate(r.getCollectedAt()))
                .setSendingFacility(firstSource(r))
                .setUpdatedAt(r.getUpdatedAt())
                .build();
    }

    /**
     * A value is kept only when it is a number (of any type, text included) or a structured numeric; whatever else a
     * value may be, the value type does not vouch for it: the ingest keeps an NM value that is not a number as sent
     * ("Haemolysed - Dr ... phoned"), and a coded value may be its text.
     */
    static String keptValue(DeduplicatedResult r) {
        String value = r.getValue();
        if (value == null || CODED_OR_FORMATTED.contains(r.getValueType())) {
            return null;
        }
        String stripped = value.strip();
        Pattern kept = "SN".equals(r.getValueType()) ? STRUCTURED_NUMERIC : NUMBER;
        return kept.matcher(stripped).matches() ? stripped : null;
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
