package org.careweave.processors.results;

/** What the results fold needs besides its state: the local code mapping and the retest rules. */
public record ResultsConfig(LocalCodes codes, RepeatTestRules retestRules) {

    public ResultsConfig {
        if (codes == null || retestRules == null) {
            throw new IllegalArgumentException("codes and retest rules are required (use empty()/none())");
        }
    }

    /** The files shipped in the jar. */
    public static ResultsConfig defaults() {
        return new ResultsConfig(LocalCodes.defaults(), RepeatTestRules.defaults());
    }
}
