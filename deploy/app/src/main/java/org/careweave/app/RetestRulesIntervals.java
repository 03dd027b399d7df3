package org.careweave.app;

import java.util.List;
import java.util.Optional;

import org.careweave.events.Coding;
import org.careweave.processors.results.RepeatTestRule;
import org.careweave.processors.results.RepeatTestRules;
import org.careweave.store.api.RetestIntervals;

/** The API's "before you order" check uses the same retest rules as the repeat-test alerts. */
final class RetestRulesIntervals implements RetestIntervals {

    private final RepeatTestRules rules;

    RetestRulesIntervals(RepeatTestRules rules) {
        this.rules = rules;
    }

    @Override
    public Optional<Interval> forCode(String system, String code) {
        return rules.ruleFor(Coding.newBuilder().setSystem(system).setCode(code).build())
                .map(rule -> new Interval(rule.id(), rule.minimumIntervalDays(), rule.source()));
    }

    @Override
    public List<String> sameTest(String system, String code) {
        return rules.ruleFor(Coding.newBuilder().setSystem(system).setCode(code).build())
                .map(RepeatTestRule::codes).orElse(List.of());
    }
}
