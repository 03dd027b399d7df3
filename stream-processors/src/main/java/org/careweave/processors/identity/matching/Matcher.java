package org.careweave.processors.identity.matching;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Fellegi–Sunter record comparison: a pair's score is the prior log2-odds plus log2(m/u) of the level each
 * comparison falls into; two thresholds turn the score into link, review or no link, and guards may lower that
 * outcome for known false-link patterns. Pure and thread-safe: it holds only the compiled, immutable model.
 */
public final class Matcher {

    private final MatchModel model;
    private final Nicknames nicknames;
    private final CompiledComparison[] comparisons;
    private final CompiledGuard[] guards;
    private final BlockingKey[][] blockingRules;
    private final double priorWeight;
    /** The comparison of given names, for {@link #withAgeGuards}; null when the model has none. */
    private final CompiledComparison givenNames;

    public Matcher(MatchModel model) {
        this(model, Nicknames.shipped());
    }

    public Matcher(MatchModel model, Nicknames nicknames) {
        this.model = model;
        this.nicknames = nicknames;
        List<CompiledComparison> compiled = new ArrayList<>();
        for (MatchModel.Comparison c : model.comparisons()) {
            compiled.add(new CompiledComparison(c));
        }
        comparisons = compiled.toArray(CompiledComparison[]::new);
        givenNames = compiled.stream().filter(c -> c.field == Field.GIVEN_NAME).findFirst().orElse(null);
        guards = model.guards().stream().map(g -> new CompiledGuard(g, compiled)).toArray(CompiledGuard[]::new);
        blockingRules = new BlockingKey[model.blockingRules().size()][];
        for (int r = 0; r < blockingRules.length; r++) {
            MatchModel.BlockingRule rule = model.blockingRules().get(r);
            if (rule.keys().isEmpty()) {
                throw new IllegalArgumentException("Blocking rule " + rule.name() + " has no keys");
            }
            blockingRules[r] = rule.keys().stream().map(BlockingKey::named).toArray(BlockingKey[]::new);
        }
        priorWeight = model.priorWeight();
    }

    public MatchModel model() {
        return model;
    }

    /** Normalises a record once, for callers that compare it many times. */
    public PreparedDemographics prepare(Demographics d) {
        return new PreparedDemographics(d, nicknames);
    }

    public MatchResult compare(Demographics a, Demographics b) {
        return compare(prepare(a), prepare(b));
    }

    /** The full, explained result: every comparison's level and weight, and the guard that fired if any. */
    public MatchResult compare(PreparedDemographics a, PreparedDemographics b) {
        long vector = comparisonVector(a, b);
        double score = score(vector);
        List<Evidence> evidence = new ArrayList<>(comparisons.length + 1);
        evidence.add(new Evidence("prior", "prior", priorWeight));
        for (int i = 0; i < comparisons.length; i++) {
            int level = ComparisonVector.level(vector, i);
            evidence.add(new Evidence(comparisons[i].name, comparisons[i].levelName(level),
                    comparisons[i].weight(level)));
        }
        MatchOutcome byScore = outcomeOf(score);
        CompiledGuard guard = firingGuard(vector, byScore);
        MatchOutcome outcome = guard == null ? byScore : guard.atMost;
        return new MatchResult(score, outcome, evidence, guard == null ? null : guard.name);
    }

    /** The score (bits) below which a pair is no link at all, not even one for a person to review. */
    public double reviewThreshold() {
        return model.reviewThreshold();
    }

    /** The guard {@link #withAgeGuards} names for newborns without a real given name. */
    public static final String NEWBORN_GUARD = "newborn without a given name";
    /** The guard {@link #withAgeGuards} names for children born the same day whose given names differ. */
    public static final String CHILD_TWINS_GUARD = "children born the same day, given names not one name";

    /**
     * A link lowered to review when the two records could be twins that demographics cannot tell apart, which depends
     * on their age at {@code asOf} (the date of the event being matched), so it is not one of the model's guards:
     * <ul>
     *   <li>born the same day, under a year before {@code asOf}, and at least one of them without a real given name
     *   (none, or a placeholder such as "Baby" or "Twin 1": what a maternity unit registers before a baby is named);
     *   </li>
     *   <li>born the same day, under 16 years before {@code asOf}, with given names that are not one name (Jayden and
     *   Jaden: to the comparison a close spelling, which in an adult's records is a typo, but twins are given names a
     *   letter apart).</li>
     * </ul>
     * Twins share family name, birth date, address and often sex, so such a pair scores as one child; a false link
     * would show one twin's results in the other's record. An NHS number or a shared identifier still links them, and
     * a person decides the review.
     */
    public MatchResult withAgeGuards(MatchResult result, PreparedDemographics a, PreparedDemographics b,
                                     LocalDate asOf) {
        if (result.outcome() != MatchOutcome.LINK || a.year == 0 || a.year != b.year || a.month != b.month
                || a.day != b.day) {
            return result;
        }
        LocalDate born = LocalDate.of(a.year, a.month, a.day);
        if (born.isAfter(asOf.plusDays(1)) || born.isBefore(asOf.minusYears(16))) {
            return result;
        }
        if (a.text(Field.GIVEN_NAME) == null || b.text(Field.GIVEN_NAME) == null) {
            return born.isBefore(asOf.minusYears(1)) ? result
                    : new MatchResult(result.score(), MatchOutcome.REVIEW, result.evidence(), NEWBORN_GUARD);
        }
        if (givenNames != null && !givenNames.isOneName(givenNames.level(a, b))) {
            return new MatchResult(result.score(), MatchOutcome.REVIEW, result.evidence(), CHILD_TWINS_GUARD);
        }
        return result;
    }

    /** The pair's levels packed into a long; with {@link #score(long)} and {@link #outcome} the allocation-free path. */
    public long comparisonVector(PreparedDemographics a, PreparedDemographics b) {
        long vector = 0L;
        for (int i = 0; i < comparisons.length; i++) {
            vector = ComparisonVector.with(vector, i, comparisons[i].level(a, b));
        }
        return vector;
    }

    public double score(long vector) {
        double score = priorWeight;
        for (int i = 0; i < comparisons.length; i++) {
            score += comparisons[i].weight(ComparisonVector.level(vector, i));
        }
        return score;
    }

    /** The outcome after guards, for a vector and its score. */
    public MatchOutcome outcome(long vector, double score) {
        MatchOutcome byScore = outcomeOf(score);
        CompiledGuard guard = firingGuard(vector, byScore);
        return guard == null ? byScore : guard.atMost;
    }

    /**
     * Keys under which a record is filed; records sharing any key are compared. Several rules, each over
     * different fields, so that a typo in one field does not lose a true match.
     */
    public Set<String> blockingKeys(Demographics d) {
        return blockingKeys(prepare(d));
    }

    public Set<String> blockingKeys(PreparedDemographics d) {
        Set<String> keys = new LinkedHashSet<>();
        for (int r = 0; r < blockingRules.length; r++) {
            addKeys(keys, d, blockingRules[r], 0, new StringBuilder().append(r).append(':'));
        }
        return Collections.unmodifiableSet(keys);
    }

    /** Keys of one blocking rule only (for estimating the model from that rule's pairs). */
    Set<String> blockingKeys(PreparedDemographics d, int rule) {
        Set<String> keys = new LinkedHashSet<>();
        addKeys(keys, d, blockingRules[rule], 0, new StringBuilder().append(rule).append(':'));
        return keys;
    }

    int blockingRuleCount() {
        return blockingRules.length;
    }

    BlockingKey[] blockingRule(int rule) {
        return blockingRules[rule].clone();
    }

    int comparisonCount() {
        return comparisons.length;
    }

    CompiledComparison comparison(int index) {
        return comparisons[index];
    }

    private MatchOutcome outcomeOf(double score) {
        if (score >= model.linkThreshold()) {
            return MatchOutcome.LINK;
        }
        return score >= model.reviewThreshold() ? MatchOutcome.REVIEW : MatchOutcome.NO_LINK;
    }

    private CompiledGuard firingGuard(long vector, MatchOutcome byScore) {
        for (CompiledGuard guard : guards) {
            if (byScore.isMoreCertainThan(guard.atMost) && guard.holds(vector)) {
                return guard;
            }
        }
        return null;
    }

    private static void addKeys(Set<String> keys, PreparedDemographics d, BlockingKey[] parts, int part,
                                StringBuilder prefix) {
        if (part == parts.length) {
            keys.add(prefix.toString());
            return;
        }
        int length = prefix.length();
        for (String value : parts[part].values(d)) {
            prefix.setLength(length);
            if (part > 0) {
                prefix.append('|');
            }
            prefix.append(value);
            addKeys(keys, d, parts, part + 1, prefix);
        }
        prefix.setLength(length);
    }
}
