package org.careweave.processors.identity.matching;

import java.util.List;

/**
 * @param score    match weight in bits: prior log2-odds plus every comparison's log2(m/u)
 * @param evidence every comparison's level and weight, prior first, in model order
 * @param guard    null, or why a high score was overridden (for example "possible twins")
 */
public record MatchResult(double score, MatchOutcome outcome, List<Evidence> evidence, String guard) {

    public MatchResult {
        evidence = List.copyOf(evidence);
    }

    /** Posterior probability that the two records are one person, under the model's independence assumption. */
    public double probability() {
        return 1.0 / (1.0 + Math.pow(2.0, -score));
    }
}
