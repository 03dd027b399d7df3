package org.careweave.processors.results;

import java.time.Instant;

import org.careweave.events.DeduplicatedResult;

/**
 * The answer to "has this person had this test recently?".
 *
 * @param lastResult       the most recently collected result of the test, from any organisation
 * @param rule             the minimum retesting interval for the test; null when there is none
 * @param withinInterval   true when ordering now would repeat the test sooner than the rule advises
 * @param earliestSensible when the interval since the last result ends; null when there is no rule
 */
public record RecentTest(DeduplicatedResult lastResult, RepeatTestRule rule, boolean withinInterval,
                         Instant earliestSensible) {
}
