package org.careweave.processors.identity.matching;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Unsupervised estimation of a {@link MatchModel} from records, in the manner of Splink:
 * <ol>
 *   <li>u (level frequencies among pairs of two people) from random pairs, which are almost all non-matches;</li>
 *   <li>m (level frequencies among pairs of one person) by expectation–maximisation over each blocking rule's
 *       candidate pairs with u held fixed. Comparisons of the fields a rule blocks on are left out of that rule's
 *       session, since its pairs agree on them whether they match or not; each comparison's m is the average over
 *       the sessions that estimated it, weighted by their expected matches;</li>
 *   <li>the prior from the expected number of matches among all candidate pairs;</li>
 *   <li>then again, with u re-estimated from random pairs weighted by how unlikely each is to be a match (removing
 *       the matches a random sample contains, which matters when records per person are many).</li>
 * </ol>
 * Deterministic: the random pairs come from a seeded generator and all sums run in a fixed order.
 */
public final class ModelEstimator {

    /**
     * @param randomPairs    random pairs drawn to estimate u
     * @param seed           for the random pairs
     * @param maxIterations  per EM session
     * @param tolerance      EM stops when no m moves more than this
     * @param maxBlockSize   blocks larger than this are left out of EM (they are mostly non-matches and quadratic)
     * @param priorStrength  pseudo-pairs of the start model's m added to each EM estimate, so a level seen in no
     *                       matched pair keeps a small m rather than zero
     * @param rounds         estimate, re-estimate u with the posterior, estimate again, ...
     */
    public record Options(int randomPairs, long seed, int maxIterations, double tolerance, int maxBlockSize,
                          double priorStrength, int rounds) {
        public static Options defaults() {
            return new Options(1_000_000, 20261126L, 200, 1e-6, 1_000, 2.0, 2);
        }
    }

    /** What one EM session saw, for reporting. */
    public record Session(String blockingRule, long pairs, int iterations, double matchShare,
                          List<String> estimated) {
    }

    public record Estimate(MatchModel model, List<Session> sessions, long randomPairs, long candidatePairs,
                           double expectedMatches) {
    }

    private final MatchModel start;
    private final Options options;

    public ModelEstimator(MatchModel start, Options options) {
        this.start = start;
        this.options = options;
    }

    public Estimate estimate(List<Demographics> records) {
        if (records.size() < 2) {
            throw new IllegalArgumentException("Need at least two records to estimate a model");
        }
        Matcher matcher = new Matcher(start);
        List<PreparedDemographics> prepared = records.stream().map(matcher::prepare).toList();
        int comparisons = matcher.comparisonCount();

        PatternCounts random = randomPairs(matcher, prepared);
        List<PatternCounts> blocked = new ArrayList<>();
        List<Set<Integer>> excluded = new ArrayList<>();
        for (int r = 0; r < matcher.blockingRuleCount(); r++) {
            blocked.add(blockedPairs(matcher, prepared, r));
            excluded.add(excludedComparisons(matcher, r));
        }
        PatternCounts union = unionPairs(matcher, prepared);

        double[][] m = probabilities(start, true);
        double[][] mStart = probabilities(start, true);
        double[][] uStart = probabilities(start, false);
        double[][] u = levelFrequencies(random, uStart, null, random.total());
        double prior = start.priorMatchProbability();
        List<Session> sessions = new ArrayList<>();
        for (int round = 0; round < options.rounds(); round++) {
            if (round > 0) {
                double[] posterior = posteriors(random, m, u, logit(prior), allComparisons(comparisons));
                u = levelFrequencies(random, uStart, posterior, random.total());
            }
            sessions.clear();
            double[][] sum = new double[comparisons][];
            double[] weightOf = new double[comparisons];
            for (int r = 0; r < blocked.size(); r++) {
                PatternCounts pairs = blocked.get(r);
                if (pairs.total() == 0) {
                    continue;
                }
                boolean[] active = new boolean[comparisons];
                List<String> names = new ArrayList<>();
                for (int c = 0; c < comparisons; c++) {
                    active[c] = !excluded.get(r).contains(c);
                    if (active[c]) {
                        names.add(matcher.comparison(c).name);
                    }
                }
                SessionResult result = expectationMaximisation(pairs, copy(m), mStart, u, active);
                sessions.add(new Session(start.blockingRules().get(r).name(), (long) pairs.total(),
                        result.iterations, result.matchShare, names));
                double expected = result.matchShare * pairs.total();
                for (int c = 0; c < comparisons; c++) {
                    if (active[c] && result.informed[c]) {
                        if (sum[c] == null) {
                            sum[c] = new double[m[c].length];
                        }
                        for (int l = 0; l < m[c].length; l++) {
                            sum[c][l] += expected * result.m[c][l];
                        }
                        weightOf[c] += expected;
                    }
                }
            }
            for (int c = 0; c < comparisons; c++) {
                if (weightOf[c] > 0) {
                    for (int l = 0; l < m[c].length; l++) {
                        m[c][l] = sum[c][l] / weightOf[c];
                    }
                }
            }
            double share = matchShare(union, m, u);
            prior = clampProbability(share * union.total() / pairsAmong(prepared.size()));
        }

        MatchModel model = withProbabilities(start, m, u).withPrior(prior)
                .withDescription("Estimated by EM from " + records.size() + " records, starting from: "
                        + start.description());
        double expectedMatches = prior * pairsAmong(prepared.size());
        return new Estimate(model, List.copyOf(sessions), (long) random.total(), (long) union.total(),
                expectedMatches);
    }

    private record SessionResult(double[][] m, boolean[] informed, double matchShare, int iterations) {
    }

    private SessionResult expectationMaximisation(PatternCounts pairs, double[][] m, double[][] mStart,
                                                  double[][] u, boolean[] active) {
        int comparisons = m.length;
        double lambda = 0.5;
        int iteration = 0;
        boolean[] informed = new boolean[comparisons];
        while (iteration < options.maxIterations()) {
            iteration++;
            double[] posterior = posteriors(pairs, m, u, logit(lambda), active);
            double matches = 0;
            for (int p = 0; p < pairs.size(); p++) {
                matches += posterior[p] * pairs.count(p);
            }
            lambda = clampProbability(matches / pairs.total());
            double change = 0;
            for (int c = 0; c < comparisons; c++) {
                if (!active[c]) {
                    continue;
                }
                double[] counts = new double[m[c].length];
                double total = 0;
                for (int p = 0; p < pairs.size(); p++) {
                    int level = ComparisonVector.level(pairs.vector(p), c);
                    if (level != ComparisonVector.MISSING) {
                        double w = posterior[p] * pairs.count(p);
                        counts[level] += w;
                        total += w;
                    }
                }
                informed[c] = total > 0;
                for (int l = 0; l < counts.length; l++) {
                    double next = (counts[l] + options.priorStrength() * mStart[c][l])
                            / (total + options.priorStrength());
                    change = Math.max(change, Math.abs(next - m[c][l]));
                    m[c][l] = next;
                }
            }
            if (change < options.tolerance()) {
                break;
            }
        }
        return new SessionResult(m, informed, lambda, iteration);
    }

    /** Posterior match probability of each pattern, using only the active comparisons. */
    private static double[] posteriors(PatternCounts pairs, double[][] m, double[][] u, double priorLogit,
                                       boolean[] active) {
        double[][] logRatio = new double[m.length][];
        for (int c = 0; c < m.length; c++) {
            logRatio[c] = new double[m[c].length];
            for (int l = 0; l < m[c].length; l++) {
                logRatio[c][l] = Math.log(m[c][l] / u[c][l]);
            }
        }
        double[] out = new double[pairs.size()];
        for (int p = 0; p < pairs.size(); p++) {
            double logit = priorLogit;
            long vector = pairs.vector(p);
            for (int c = 0; c < m.length; c++) {
                int level = ComparisonVector.level(vector, c);
                if (active[c] && level != ComparisonVector.MISSING) {
                    logit += logRatio[c][level];
                }
            }
            out[p] = 1.0 / (1.0 + Math.exp(-logit));
        }
        return out;
    }

    /** λ among candidate pairs with m and u fixed: the share of them expected to be matches. */
    private static double matchShare(PatternCounts pairs, double[][] m, double[][] u) {
        boolean[] all = allComparisons(m.length);
        double lambda = 0.1;
        for (int i = 0; i < 100; i++) {
            double[] posterior = posteriors(pairs, m, u, logit(lambda), all);
            double matches = 0;
            for (int p = 0; p < pairs.size(); p++) {
                matches += posterior[p] * pairs.count(p);
            }
            double next = clampProbability(matches / pairs.total());
            if (Math.abs(next - lambda) < 1e-9) {
                return next;
            }
            lambda = next;
        }
        return lambda;
    }

    /**
     * Level frequencies among pairs, optionally weighted by (1 - posterior). A level never seen gets 1/n, the
     * resolution of the sample, rather than zero, so its weight stays finite and modest. A comparison no pair had
     * values for keeps the start model's u.
     */
    private static double[][] levelFrequencies(PatternCounts pairs, double[][] uStart, double[] posterior,
                                               double sampleSize) {
        double[][] out = new double[uStart.length][];
        for (int c = 0; c < uStart.length; c++) {
            double[] counts = new double[uStart[c].length];
            double total = 0;
            for (int p = 0; p < pairs.size(); p++) {
                int level = ComparisonVector.level(pairs.vector(p), c);
                if (level != ComparisonVector.MISSING) {
                    double w = pairs.count(p) * (posterior == null ? 1.0 : 1.0 - posterior[p]);
                    counts[level] += w;
                    total += w;
                }
            }
            if (total == 0) {
                out[c] = uStart[c].clone();
                continue;
            }
            double floor = 1.0 / Math.max(sampleSize, 1.0);
            double sum = 0;
            for (int l = 0; l < counts.length; l++) {
                counts[l] = Math.max(counts[l] / total, floor);
                sum += counts[l];
            }
            for (int l = 0; l < counts.length; l++) {
                counts[l] /= sum;
            }
            out[c] = counts;
        }
        return out;
    }

    private PatternCounts randomPairs(Matcher matcher, List<PreparedDemographics> records) {
        PatternCounts out = new PatternCounts();
        int n = records.size();
        long wanted = Math.min(options.randomPairs(), (long) pairsAmong(n));
        SplittableRandom random = new SplittableRandom(options.seed());
        for (long k = 0; k < wanted; k++) {
            int i = random.nextInt(n);
            int j = random.nextInt(n - 1);
            if (j >= i) {
                j++;
            }
            out.add(matcher.comparisonVector(records.get(i), records.get(j)));
        }
        return out;
    }

    private PatternCounts blockedPairs(Matcher matcher, List<PreparedDemographics> records, int rule) {
        Map<String, List<Integer>> blocks = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            for (String key : matcher.blockingKeys(records.get(i), rule)) {
                blocks.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        Set<Long> seen = new HashSet<>();
        PatternCounts out = new PatternCounts();
        addPairs(matcher, records, blocks, seen, out);
        return out;
    }

    private PatternCounts unionPairs(Matcher matcher, List<PreparedDemographics> records) {
        Map<String, List<Integer>> blocks = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            for (String key : matcher.blockingKeys(records.get(i))) {
                blocks.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        PatternCounts out = new PatternCounts();
        addPairs(matcher, records, blocks, new HashSet<>(), out);
        return out;
    }

    private void addPairs(Matcher matcher, List<PreparedDemographics> records, Map<String, List<Integer>> blocks,
                          Set<Long> seen, PatternCounts out) {
        long n = records.size();
        for (List<Integer> block : blocks.values()) {
            if (block.size() < 2 || block.size() > options.maxBlockSize()) {
                continue;
            }
            for (int x = 0; x < block.size(); x++) {
                for (int y = x + 1; y < block.size(); y++) {
                    int i = block.get(x);
                    int j = block.get(y);
                    if (seen.add(i * n + j)) {
                        out.add(matcher.comparisonVector(records.get(i), records.get(j)));
                    }
                }
            }
        }
    }

    private static Set<Integer> excludedComparisons(Matcher matcher, int rule) {
        Set<Field> fields = EnumSet.noneOf(Field.class);
        for (BlockingKey key : matcher.blockingRule(rule)) {
            fields.addAll(key.fields());
        }
        Set<Integer> out = new HashSet<>();
        for (int c = 0; c < matcher.comparisonCount(); c++) {
            if (fields.contains(matcher.comparison(c).field)) {
                out.add(c);
            }
        }
        return out;
    }


    private static double[][] probabilities(MatchModel model, boolean mNotU) {
        double[][] out = new double[model.comparisons().size()][];
        for (int c = 0; c < out.length; c++) {
            List<MatchModel.Level> levels = model.comparisons().get(c).levels();
            out[c] = levels.stream().mapToDouble(l -> mNotU ? l.m() : l.u()).toArray();
        }
        return out;
    }

    private static MatchModel withProbabilities(MatchModel model, double[][] m, double[][] u) {
        List<MatchModel.Comparison> comparisons = new ArrayList<>();
        for (int c = 0; c < m.length; c++) {
            MatchModel.Comparison spec = model.comparisons().get(c);
            List<MatchModel.Level> levels = new ArrayList<>();
            for (int l = 0; l < spec.levels().size(); l++) {
                levels.add(spec.levels().get(l).withProbabilities(round(m[c][l]), round(u[c][l])));
            }
            comparisons.add(spec.withLevels(levels));
        }
        return model.withComparisons(comparisons);
    }

    /** Six significant digits keep the model file readable without changing any weight noticeably. */
    private static double round(double p) {
        return Math.max(new BigDecimal(p).round(new MathContext(6)).doubleValue(), Double.MIN_NORMAL);
    }

    private static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    private static boolean[] allComparisons(int n) {
        boolean[] out = new boolean[n];
        Arrays.fill(out, true);
        return out;
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    private static double clampProbability(double p) {
        return Math.min(Math.max(p, 1e-12), 1 - 1e-9);
    }

    private static double pairsAmong(long n) {
        return n * (n - 1) / 2.0;
    }
}
