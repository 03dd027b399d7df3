package org.careweave.store.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Minimum retest intervals by test code, for the "before you order" check. The rules themselves live with the
 * repeat-test detection in stream-processors; the application adapts them to this interface.
 */
@FunctionalInterface
public interface RetestIntervals {

    /**
     * @param system the code system (e.g. {@code http://loinc.org}), or null when the caller named none
     * @return the interval that applies to a new test of this code, if any rule covers it
     */
    Optional<Interval> forCode(String system, String code);

    /**
     * The codes, as {@code system|code}, that the rule covering this code counts as one test with it (HbA1c in % and
     * in mmol/mol), so that the check finds a result reported under any of them; empty when no rule covers it.
     */
    default List<String> sameTest(String system, String code) {
        return List.of();
    }

    /** A minimum retest interval and where it comes from. */
    record Interval(String ruleId, int days, String source) {
        public Interval {
            Objects.requireNonNull(ruleId, "ruleId");
            Objects.requireNonNull(source, "source");
            if (days < 0) {
                throw new IllegalArgumentException("days must not be negative");
            }
        }
    }

    /** No rules: every check answers "no interval known". */
    static RetestIntervals none() {
        return (system, code) -> Optional.empty();
    }
}
