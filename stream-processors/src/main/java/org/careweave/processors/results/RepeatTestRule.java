package org.careweave.processors.results;

import java.time.Duration;
import java.util.List;

import org.careweave.events.Coding;

/**
 * A minimum retesting interval: the same test again sooner than this is probably unnecessary.
 *
 * @param id                  stable id, carried in alerts (e.g. hba1c)
 * @param codes               the tests the rule covers, as system|code (e.g. http://loinc.org|4548-4); several codes
 *                            when one test is coded in several ways (HbA1c in % and in mmol/mol)
 * @param minimumIntervalDays whole days of 24 hours between specimen collection instants
 * @param source              where the interval comes from, carried in alerts
 * @param note                for people: the clinical context, and how sure we are of the value
 */
public record RepeatTestRule(String id, List<String> codes, int minimumIntervalDays, String source, String note) {

    public RepeatTestRule {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a retest rule needs an id");
        }
        if (codes == null || codes.isEmpty() || codes.stream().anyMatch(c -> c == null || !c.contains("|"))) {
            throw new IllegalArgumentException("retest rule " + id + " needs codes written as system|code");
        }
        if (minimumIntervalDays <= 0) {
            throw new IllegalArgumentException("retest rule " + id + " needs a positive minimumIntervalDays");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("retest rule " + id + " needs a source");
        }
        codes = List.copyOf(codes);
    }

    public Duration minimumInterval() {
        return Duration.ofDays(minimumIntervalDays);
    }

    public boolean covers(Coding code) {
        return code != null && codes.contains(key(code));
    }

    boolean covers(ResultVersion.Code code) {
        return code != null && codes.contains(code.system() + "|" + code.code());
    }

    static String key(Coding code) {
        return code.getSystem() + "|" + code.getCode();
    }
}
