package org.careweave.processors.results;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.careweave.events.DeduplicatedResult;
import org.careweave.events.RepeatTestAlert;
import org.careweave.events.ResultRef;

/**
 * Whether a result that has just appeared repeats a test the person already had within its minimum retesting
 * interval, from any organisation.
 *
 * <p>Asked only for a result that is new to the person (its first version, not a later version or a copy of a
 * known result), so each repeat is flagged once. It is compared with the nearest other result of the same rule, in
 * either direction in time: a result that arrives late can be the earlier of the two. Results collected at the same
 * instant are the same specimen (e.g. HbA1c reported both in % and in mmol/mol), not a repeat. A result the laboratory
 * could not obtain ({@link NotObtained}: a haemolysed or insufficient sample) takes no part: its retake is needed.
 */
final class RepeatTestAlerts {

    private RepeatTestAlerts() {
    }

    static Optional<RepeatTestAlert> check(String personId, String newResultId,
                                           Map<String, List<ResultVersion>> groups, RepeatTestRules rules,
                                           Instant raisedAt) {
        DeduplicatedResult fresh = DeduplicatedResults.of(personId, newResultId, groups.get(newResultId));
        Instant freshAt = DeduplicatedResults.collectedInstant(fresh);
        // A result the laboratory could not obtain is no test done: neither a repeat nor what a retake repeats.
        if (fresh.getRetracted() || fresh.getNotObtained() || freshAt == null) {
            return Optional.empty();
        }
        Optional<RepeatTestRule> rule = rules.ruleFor(fresh.getCode())
                .or(() -> rules.ruleFor(fresh.getSourceCode()));
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        Duration interval = rule.get().minimumInterval();
        Optional<DeduplicatedResult> nearest = groups.entrySet().stream()
                .filter(g -> !g.getKey().equals(newResultId))
                .filter(g -> {
                    // cheap test on the current version first: most of a person's results are other tests
                    ResultVersion current = ResultVersions.currentOf(g.getValue()).orElseThrow();
                    return rule.get().covers(current.code()) || rule.get().covers(current.sourceCode());
                })
                .map(g -> DeduplicatedResults.of(personId, g.getKey(), g.getValue()))
                .filter(other -> !other.getRetracted() && !other.getNotObtained())
                .filter(other -> {
                    Instant otherAt = DeduplicatedResults.collectedInstant(other);
                    if (otherAt == null) {
                        return false;
                    }
                    Duration apart = Duration.between(otherAt, freshAt).abs();
                    return !apart.isZero() && apart.compareTo(interval) < 0;
                })
                .min(Comparator.comparing((DeduplicatedResult other) ->
                                Duration.between(DeduplicatedResults.collectedInstant(other), freshAt).abs())
                        .thenComparing(DeduplicatedResult::getResultId));
        return nearest.map(other -> {
            boolean freshIsLater = DeduplicatedResults.collectedInstant(other).isBefore(freshAt);
            DeduplicatedResult previous = freshIsLater ? other : fresh;
            DeduplicatedResult current = freshIsLater ? fresh : other;
            return RepeatTestAlert.newBuilder()
                    .setAlertId(ResultKeys.alertId(personId, rule.get().id(), previous.getResultId(),
                            current.getResultId()))
                    .setPersonId(personId)
                    .setCode(current.getCode())
                    .setRuleId(rule.get().id())
                    .setMinimumIntervalDays(rule.get().minimumIntervalDays())
                    .setRuleSource(rule.get().source())
                    .setPrevious(ref(previous, groups))
                    .setCurrent(ref(current, groups))
                    .setRaisedAt(raisedAt)
                    .build();
        });
    }

    static ResultRef ref(DeduplicatedResult result, Map<String, List<ResultVersion>> groups) {
        return ResultRef.newBuilder()
                .setResultId(result.getResultId())
                .setSendingFacility(DeduplicatedResults.firstFacility(groups.get(result.getResultId())))
                .setCollectedAt(result.getCollectedAt())
                .setValue(result.getValue())
                .setUnits(result.getUnits())
                .build();
    }
}
