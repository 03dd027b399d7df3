package org.careweave.processors.identity.matching;

/**
 * One comparison's contribution, so any decision can be explained (stored with each link).
 *
 * @param comparison the comparison's name from the model, or {@code "prior"} for the starting log-odds
 * @param level      the level the pair fell into, or {@code "missing"} when either side had no value
 * @param weight     log2(m/u) of that level (bits); the pair's score is the sum of all weights
 */
public record Evidence(String comparison, String level, double weight) {
}
