package org.careweave.processors.results;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.careweave.events.Coding;
import org.careweave.events.DeduplicatedResult;

/**
 * The "before you order" check: the person's last result of a test and whether its minimum retesting interval has
 * passed. A test matches when it is covered by the same retest rule (so HbA1c in % and in mmol/mol count as one
 * test), or, for a test without a rule, when its code or its code as sent is the one asked about.
 */
public final class RecentTests {

    private final RepeatTestRules rules;

    public RecentTests(RepeatTestRules rules) {
        this.rules = rules;
    }

    public static RecentTests withDefaults() {
        return new RecentTests(RepeatTestRules.defaults());
    }

    /**
     * Empty when the person has no result of the test collected at or before {@code now}; retracted results and
     * results the laboratory could not obtain do not count.
     */
    public Optional<RecentTest> check(PersonResults state, Coding code, Instant now) {
        List<DeduplicatedResult> results = state.results();
        // asked with a local code: the rule of the LOINC code it was mapped to
        RepeatTestRule rule = rules.ruleFor(code)
                .or(() -> results.stream().filter(r -> sameCode(r.getSourceCode(), code)).findFirst()
                        .flatMap(r -> rules.ruleFor(r.getCode())))
                .orElse(null);
        Optional<DeduplicatedResult> last = results.stream()
                .filter(r -> !r.getRetracted() && !r.getNotObtained())
                .filter(r -> matches(r, code, rule))
                .filter(r -> {
                    Instant at = DeduplicatedResults.collectedInstant(r);
                    return at != null && !at.isAfter(now);
                })
                .max(Comparator.comparing(DeduplicatedResults::collectedInstant)
                        .thenComparing(DeduplicatedResult::getResultId));
        return last.map(r -> {
            if (rule == null) {
                return new RecentTest(r, null, false, null);
            }
            Instant earliest = DeduplicatedResults.collectedInstant(r).plus(rule.minimumInterval());
            return new RecentTest(r, rule, now.isBefore(earliest), earliest);
        });
    }

    private static boolean matches(DeduplicatedResult result, Coding code, RepeatTestRule rule) {
        if (rule != null) {
            return rule.covers(result.getCode()) || rule.covers(result.getSourceCode());
        }
        return sameCode(result.getCode(), code) || sameCode(result.getSourceCode(), code);
    }

    private static boolean sameCode(Coding a, Coding b) {
        return a != null && b != null && RepeatTestRule.key(a).equals(RepeatTestRule.key(b));
    }
}
