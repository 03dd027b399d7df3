package org.careweave.processors.results;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.careweave.events.Coding;

/**
 * The minimum retesting intervals in force. File format (YAML):
 * <pre>
 * rules:
 *   - id: hba1c
 *     codes: [ "http://loinc.org|4548-4", "http://loinc.org|59261-8" ]
 *     minimumIntervalDays: 90
 *     source: "..."
 *     note: "..."
 * </pre>
 * A code may belong to one rule only, so that every result has at most one interval.
 */
public final class RepeatTestRules {

    public static final String DEFAULT_RESOURCE = "/results/retest-intervals.yaml";

    record File(List<RepeatTestRule> rules) {
    }

    private final List<RepeatTestRule> rules;
    private final Map<String, RepeatTestRule> byCode;

    private RepeatTestRules(List<RepeatTestRule> rules) {
        this.rules = List.copyOf(rules);
        Map<String, RepeatTestRule> index = new HashMap<>();
        Map<String, RepeatTestRule> ids = new HashMap<>();
        for (RepeatTestRule rule : this.rules) {
            if (ids.put(rule.id(), rule) != null) {
                throw new IllegalArgumentException("retest rule id " + rule.id() + " is used twice");
            }
            for (String code : rule.codes()) {
                RepeatTestRule other = index.put(code, rule);
                if (other != null) {
                    throw new IllegalArgumentException("code " + code + " is in retest rules " + other.id()
                            + " and " + rule.id());
                }
            }
        }
        this.byCode = Map.copyOf(index);
    }

    public static RepeatTestRules of(List<RepeatTestRule> rules) {
        return new RepeatTestRules(rules);
    }

    public static RepeatTestRules none() {
        return new RepeatTestRules(List.of());
    }

    /** The rules shipped in the jar (src/main/resources/results/retest-intervals.yaml). */
    public static RepeatTestRules defaults() {
        return Defaults.RULES;
    }

    public static RepeatTestRules load(Path file) {
        return of(Yaml.read(file, File.class));
    }

    public static RepeatTestRules load(InputStream in) {
        return of(Yaml.read(in, File.class, "retest intervals"));
    }

    private static RepeatTestRules of(File file) {
        return new RepeatTestRules(file.rules() == null ? List.of() : file.rules());
    }

    public List<RepeatTestRule> rules() {
        return rules;
    }

    public Optional<RepeatTestRule> ruleFor(Coding code) {
        return code == null ? Optional.empty() : Optional.ofNullable(byCode.get(RepeatTestRule.key(code)));
    }

    public Optional<RepeatTestRule> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    private static final class Defaults {
        static final RepeatTestRules RULES = of(Yaml.resource(DEFAULT_RESOURCE, File.class));
    }
}
