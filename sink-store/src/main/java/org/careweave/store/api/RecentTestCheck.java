package org.careweave.store.api;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.careweave.store.Times;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * The "before you order" answer: the last result of a test and whether a new test now would fall inside the test's
 * minimum retest interval. Retracted results, results the laboratory could not obtain and results without a collection
 * time do not count as a last test.
 */
public final class RecentTestCheck {

    /**
     * The last counted result: its API document, when it was collected (in the offset the source stated), and when
     * careweave first received it (null when not known).
     */
    public record LastResult(String documentJson, OffsetDateTime collected, Instant firstReceived) {

        public LastResult(String documentJson, OffsetDateTime collected) {
            this(documentJson, collected, null);
        }
    }

    /**
     * How far after its result's receipt a collection time may lie before it is taken as wrong: a specimen is
     * collected before the laboratory reports it, and clocks a few minutes apart are common.
     */
    static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(5);

    public record Code(String system, String code) {
    }

    /**
     * @param possibleDuplicates other persons an open identity review says may be this patient: their results are not
     *                           in this check, so an empty answer may not mean no test was done
     * @param laterNotObtained   the newest attempt at the test after {@code lastResult} (or, without one, at all)
     *                           that the laboratory could not obtain a value for: not a test done, but a clinician
     *                           ordering should know the last attempt failed
     */
    public record Answer(String personId, Code code, String checkedAt, @JsonRawValue String lastResult,
                         RetestIntervals.Interval retestInterval, boolean withinInterval, String earliestRetest,
                         String explanation, List<String> possibleDuplicates, @JsonRawValue String laterNotObtained) {

        public Answer {
            possibleDuplicates = List.copyOf(possibleDuplicates);
        }

        /** The answer for a person who may have other records: says so, and names them (ids only). */
        public Answer withPossibleDuplicates(List<String> personIds) {
            if (personIds.isEmpty()) {
                return this;
            }
            return new Answer(personId, code, checkedAt, lastResult, retestInterval, withinInterval, earliestRetest,
                    explanation + " This patient may also have another record (possibleDuplicates), whose results"
                            + " this check does not include: look there before ordering.", personIds,
                    laterNotObtained);
        }

        /** The answer when a later attempt at the test could not be done: names it, and says it does not count. */
        public Answer withLaterNotObtained(Optional<LastResult> attempt) {
            if (attempt.isEmpty()) {
                return this;
            }
            return new Answer(personId, code, checkedAt, lastResult, retestInterval, withinInterval, earliestRetest,
                    explanation + " A later attempt, collected " + Times.format(attempt.get().collected())
                            + ", gave no result (the laboratory could not obtain a value, laterNotObtained): it is"
                            + " not counted as a test done.", possibleDuplicates, attempt.get().documentJson());
        }
    }

    /**
     * The checks of several tests at once (ordering a panel): each as {@link Answer}, in the order asked, and whether
     * any of them would be a repeat within its interval.
     */
    public record Panel(String personId, String checkedAt, boolean anyWithinInterval, List<Answer> tests,
                        List<String> possibleDuplicates) {

        public static Panel of(String personId, List<Answer> tests, Instant now, ZoneId zone) {
            return new Panel(personId, Times.format(now, zone), tests.stream().anyMatch(Answer::withinInterval),
                    List.copyOf(tests), tests.isEmpty() ? List.of() : tests.get(0).possibleDuplicates());
        }
    }

    private RecentTestCheck() {
    }

    public static Answer decide(String personId, TokenParameter code, Optional<LastResult> last,
                                Optional<RetestIntervals.Interval> interval, Instant now, ZoneId zone) {
        Code asked = new Code(code.system().orElse(null), code.value());
        String checkedAt = Times.format(now, zone);
        if (last.isEmpty()) {
            return new Answer(personId, asked, checkedAt, null, interval.orElse(null), false, null,
                    "No result of this test is on record.", List.of(), null);
        }
        String lastJson = last.get().documentJson();
        OffsetDateTime collected = last.get().collected();
        Instant received = last.get().firstReceived();
        // A collection time after the result arrived is a wrong clock or a mistyped date at the source (a month ahead
        // would hide the test from this check, or push its interval out, for a month): counted from the receipt,
        // the latest the specimen can have been taken.
        boolean notBelieved = received != null && collected.toInstant().isAfter(received.plus(CLOCK_TOLERANCE));
        OffsetDateTime countedFrom = notBelieved ? received.atOffset(collected.getOffset()) : collected;
        String lastCollected = "Last collected " + Times.format(collected)
                + (notBelieved ? " as the source stated it, after its result reached careweave ("
                        + Times.format(countedFrom) + "): a clock or a date is wrong at the source, so it is counted"
                        + " as collected by then" : "");
        if (interval.isEmpty()) {
            return new Answer(personId, asked, checkedAt, lastJson, null, false, null,
                    lastCollected + "; no minimum retest interval is known for this test.", List.of(), null);
        }
        RetestIntervals.Interval rule = interval.get();
        OffsetDateTime earliest = countedFrom.plusDays(rule.days());
        boolean within = now.isBefore(earliest.toInstant());
        String explanation = lastCollected + "; minimum retest interval " + rule.days()
                + " days (" + rule.source() + "); "
                + (within ? "a test before " + Times.format(earliest) + " would be a repeat within it."
                        : "the interval ended " + Times.format(earliest) + ".");
        return new Answer(personId, asked, checkedAt, lastJson, rule, within, Times.format(earliest), explanation,
                List.of(), null);
    }
}
