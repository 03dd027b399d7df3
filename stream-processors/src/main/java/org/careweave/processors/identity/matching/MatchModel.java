package org.careweave.processors.identity.matching;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The probabilistic matcher's settings as data (after Splink): comparisons with their levels and m/u
 * probabilities, blocking rules, guards, thresholds and the prior. Operators can replace it with their own JSON.
 *
 * @param priorMatchProbability probability that two records drawn at random are one person (λ)
 * @param linkThreshold         score (bits) at or above which a pair is linked
 * @param reviewThreshold       score (bits) at or above which a pair not linked goes to a person for review
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MatchModel(String description, double priorMatchProbability, double linkThreshold,
                         double reviewThreshold, List<Comparison> comparisons, List<BlockingRule> blockingRules,
                         List<Guard> guards) {

    private static final String DEFAULTS = "/identity/matching-model.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public MatchModel {
        if (!(priorMatchProbability > 0 && priorMatchProbability < 1)) {
            throw new IllegalArgumentException("priorMatchProbability must be in (0, 1)");
        }
        if (reviewThreshold > linkThreshold) {
            throw new IllegalArgumentException("reviewThreshold must not exceed linkThreshold");
        }
        comparisons = List.copyOf(Objects.requireNonNull(comparisons, "comparisons"));
        blockingRules = List.copyOf(Objects.requireNonNull(blockingRules, "blockingRules"));
        guards = guards == null ? List.of() : List.copyOf(guards);
        unique(comparisons.stream().map(Comparison::name).toList(), "comparison");
        if (comparisons.size() > ComparisonVector.MAX_COMPARISONS) {
            throw new IllegalArgumentException("At most " + ComparisonVector.MAX_COMPARISONS + " comparisons");
        }
    }

    /**
     * One thing compared, and the levels of agreement it can fall into, most to least agreeing. The last level's
     * rule must be {@code else}.
     */
    public record Comparison(String name, String field, List<Level> levels) {
        public Comparison {
            Objects.requireNonNull(name, "comparison name");
            Objects.requireNonNull(field, "field of comparison " + name);
            levels = List.copyOf(levels);
            if (levels.isEmpty() || !"else".equals(levels.get(levels.size() - 1).rule())) {
                throw new IllegalArgumentException("Comparison " + name + " must end with an 'else' level");
            }
            if (levels.size() > ComparisonVector.MAX_LEVELS) {
                throw new IllegalArgumentException("Comparison " + name + " has more than "
                        + ComparisonVector.MAX_LEVELS + " levels");
            }
            unique(levels.stream().map(Level::name).toList(), "level of " + name);
            if (levels.stream().anyMatch(l -> ComparisonVector.MISSING_LEVEL.equals(l.name()))) {
                throw new IllegalArgumentException("'missing' is reserved for pairs with a value absent");
            }
        }

        Comparison withLevels(List<Level> newLevels) {
            return new Comparison(name, field, newLevels);
        }
    }

    /**
     * @param rule      see the rule vocabulary in docs/identity.md
     * @param threshold for similarity rules; null otherwise
     * @param m         probability of this level among pairs that are one person
     * @param u         probability of this level among pairs that are two people
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Level(String name, String rule, Double threshold, double m, double u) {
        public Level {
            Objects.requireNonNull(name, "level name");
            Objects.requireNonNull(rule, "rule of level " + name);
            if (!(m > 0 && m <= 1) || !(u > 0 && u <= 1)) {
                throw new IllegalArgumentException("Level " + name + ": m and u must be in (0, 1]");
            }
        }

        /** log2(m/u): what falling into this level adds to the score. */
        @JsonIgnore
        public double weight() {
            return Math.log(m / u) / Math.log(2);
        }

        Level withProbabilities(double newM, double newU) {
            return new Level(name, rule, threshold, newM, newU);
        }
    }

    /** Records that share this rule's key become candidate pairs; candidates of all rules are united. */
    public record BlockingRule(String name, List<String> keys) {
        public BlockingRule {
            Objects.requireNonNull(name, "blocking rule name");
            keys = List.copyOf(keys);
        }
    }

    /**
     * Caps the outcome at {@code atMost} when every {@code allOf} condition holds and, if any are listed, at least
     * one {@code anyOf} condition does. Guards are tried in order; the first that lowers the outcome is reported.
     */
    public record Guard(String name, MatchOutcome atMost, List<Condition> allOf, List<Condition> anyOf) {
        public Guard {
            Objects.requireNonNull(name, "guard name");
            Objects.requireNonNull(atMost, "atMost of guard " + name);
            allOf = allOf == null ? List.of() : List.copyOf(allOf);
            anyOf = anyOf == null ? List.of() : List.copyOf(anyOf);
        }
    }

    /** Holds when the comparison fell into one of the levels ("missing" allowed). */
    public record Condition(String comparison, List<String> levels) {
        public Condition {
            levels = List.copyOf(levels);
        }
    }

    /** The shipped model: m/u priors for UK records, read from {@code identity/matching-model.json}. */
    public static MatchModel defaults() {
        return Defaults.MODEL;
    }

    /**
     * Estimates m and u from the records themselves, without labels: u from random pairs, m by
     * expectation–maximisation over blocked candidate pairs, the prior from the expected number of matches.
     * Thresholds, blocking rules and guards are kept from {@code start}.
     */
    public static MatchModel estimate(List<Demographics> records, MatchModel start) {
        return new ModelEstimator(start, ModelEstimator.Options.defaults()).estimate(records).model();
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and checks a model (unknown fields, rules and keys are refused with the reason). */
    public static MatchModel fromJson(String json) {
        try {
            MatchModel model = JSON.readValue(json, MatchModel.class);
            new Matcher(model);
            return model;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a matching model: " + e.getOriginalMessage(), e);
        }
    }

    /** log2 of the prior odds: the score of a pair before any comparison. */
    @JsonIgnore
    public double priorWeight() {
        return Math.log(priorMatchProbability / (1 - priorMatchProbability)) / Math.log(2);
    }

    public MatchModel withThresholds(double link, double review) {
        return new MatchModel(description, priorMatchProbability, link, review, comparisons, blockingRules, guards);
    }

    public MatchModel withPrior(double probability) {
        return new MatchModel(description, probability, linkThreshold, reviewThreshold, comparisons, blockingRules,
                guards);
    }

    public MatchModel withComparisons(List<Comparison> newComparisons) {
        return new MatchModel(description, priorMatchProbability, linkThreshold, reviewThreshold, newComparisons,
                blockingRules, guards);
    }

    public MatchModel withDescription(String newDescription) {
        return new MatchModel(newDescription, priorMatchProbability, linkThreshold, reviewThreshold, comparisons,
                blockingRules, guards);
    }

    private static void unique(List<String> names, String what) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new IllegalArgumentException("Duplicate " + what + " name '" + n + "'");
            }
        }
    }

    private static final class Defaults {
        static final MatchModel MODEL = load();

        private static MatchModel load() {
            try (InputStream in = MatchModel.class.getResourceAsStream(DEFAULTS)) {
                if (in == null) {
                    throw new IllegalStateException("Missing resource " + DEFAULTS);
                }
                return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
