package org.careweave.benchmarks.febrl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.careweave.processors.identity.matching.Demographics;
import org.careweave.processors.identity.matching.Evidence;
import org.careweave.processors.identity.matching.IncrementalLinker;
import org.careweave.processors.identity.matching.MatchModel;
import org.careweave.processors.identity.matching.MatchResult;
import org.careweave.processors.identity.matching.Matcher;
import org.careweave.processors.identity.matching.ModelEstimator;
import org.careweave.processors.identity.matching.PreparedDemographics;

/**
 * Links the FEBRL synthetic person records with careweave's probabilistic matcher: the model is estimated by EM
 * from the records themselves (no labels), then records are linked one at a time in file order (FEBRL4: all of
 * dataset4a, then all of dataset4b). rec_id is read only to score the result.
 *
 * <pre>java ... FebrlBenchmark [--data DIR] [--out DIR] [--date YYYY-MM-DD] [--runs N] [--warmups N] [--diagnose]</pre>
 */
public final class FebrlBenchmark {

    private final Path data;
    private final int runs;
    private final int warmups;
    private final boolean diagnose;

    private FebrlBenchmark(Path data, int runs, int warmups, boolean diagnose) {
        this.data = data;
        this.runs = runs;
        this.warmups = warmups;
        this.diagnose = diagnose;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = options(args);
        Path data = Path.of(options.getOrDefault("data", defaultDataDir()));
        Path out = Path.of(options.getOrDefault("out", "benchmarks/results"));
        String date = options.getOrDefault("date", LocalDate.now().toString());
        FebrlBenchmark benchmark = new FebrlBenchmark(data, Integer.parseInt(options.getOrDefault("runs", "7")),
                Integer.parseInt(options.getOrDefault("warmups", "3")), options.containsKey("diagnose"));

        List<FebrlRecord> a = FebrlCsv.read(data.resolve("dataset4a.csv"));
        List<FebrlRecord> b = FebrlCsv.read(data.resolve("dataset4b.csv"));
        List<FebrlRecord> three = FebrlCsv.read(data.resolve("dataset3.csv"));
        List<ScenarioResult> results = new ArrayList<>();
        MatchModel shipped = MatchModel.defaults();
        results.add(benchmark.run("FEBRL4", "demographics", a, b, false, shipped));
        results.add(benchmark.run("FEBRL4", "demographics + soc_sec_id", a, b, true, shipped));
        results.add(benchmark.run("FEBRL3", "demographics", three, List.of(), false, shipped));
        results.add(benchmark.run("FEBRL3", "demographics + soc_sec_id", three, List.of(), true, shipped));
        // Not a configuration to run: shows what the guards cost on data that has no twins.
        MatchModel unguarded = new MatchModel(shipped.description(), shipped.priorMatchProbability(),
                shipped.linkThreshold(), shipped.reviewThreshold(), shipped.comparisons(), shipped.blockingRules(),
                List.of());
        results.add(benchmark.run("FEBRL4", "demographics, guards off (diagnostic)", a, b, false, unguarded));
        results.add(benchmark.run("FEBRL3", "demographics, guards off (diagnostic)", three, List.of(), false,
                unguarded));

        Report report = new Report(date, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                "FEBRL4 in file order: dataset4a then dataset4b; FEBRL3 in file order", benchmark.runs,
                benchmark.warmups, results);
        Files.createDirectories(out);
        Path md = out.resolve("febrl-" + date + ".md");
        Path json = out.resolve("febrl-" + date + ".json");
        Files.writeString(md, report.markdown());
        Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(report) + "\n");
        System.out.print(report.markdown());
        System.out.println("Wrote " + md + " and " + json);
    }

    /** One scenario's figures. Rates are records per second; times are milliseconds. */
    public record ScenarioResult(String dataset, String fields, int records, long truePairs, long predictedPairs,
                                 long correctPairs, double precision, double recall, double f1,
                                 double recallAfterReview, double blockingPairCompleteness, long comparisons, double comparisonsPerRecord,
                                 int reviewPairs, int reviewPairsTrue, int persons, double linkRecordsPerSecond,
                                 double linkMillisMedian, double[] linkMillisRuns, double emMillisMedian,
                                 double[] emMillisRuns, double estimatedPrior, double expectedMatches,
                                 double linkThreshold, double reviewThreshold,
                                 List<ModelEstimator.Session> emSessions, Map<String, Integer> guardsFired,
                                 double scoreNanosPerPair, double compareNanosPerPair, MatchModel estimatedModel) {
    }

    public record Report(String date, int cores, String jvm, String order, int runs, int warmups,
                         List<ScenarioResult> results) {
        String markdown() {
            StringBuilder s = new StringBuilder();
            s.append("# FEBRL benchmark, ").append(date).append("\n\n");
            s.append(String.format(Locale.ROOT, "%d cores, %s. %s. Model estimated by EM on the records (no labels). "
                    + "Linking rate: median of %d runs after %d warm-up runs.%n%n", cores, jvm, order, runs, warmups));
            s.append("| dataset | fields | records | precision | recall | F1 | true pairs | linked pairs "
                    + "| review pairs (true) | recall after review | blocking recall | comparisons/record "
                    + "| records/s | EM ms |\n");
            s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (ScenarioResult r : results) {
                s.append(String.format(Locale.ROOT,
                        "| %s | %s | %d | %.4f | %.4f | %.4f | %d | %d | %d (%d) | %.4f | %.4f | %.1f | %,.0f | %,.0f |%n",
                        r.dataset(), r.fields(), r.records(), r.precision(), r.recall(), r.f1(), r.truePairs(),
                        r.predictedPairs(), r.reviewPairs(), r.reviewPairsTrue(), r.recallAfterReview(),
                        r.blockingPairCompleteness(),
                        r.comparisonsPerRecord(), r.linkRecordsPerSecond(), r.emMillisMedian()));
            }
            s.append("\nPer pair (median): ");
            for (ScenarioResult r : results) {
                s.append(String.format(Locale.ROOT, "%s %s: %.0f ns scoring prepared records, %.0f ns compare() "
                        + "from raw values with evidence; ", r.dataset(), r.fields(), r.scoreNanosPerPair(),
                        r.compareNanosPerPair()));
            }
            s.setLength(s.length() - 2);
            s.append(".\n");
            return s.toString();
        }
    }

    private ScenarioResult run(String dataset, String fields, List<FebrlRecord> first, List<FebrlRecord> second,
                               boolean withIdentifier, MatchModel start) {
        List<FebrlRecord> all = new ArrayList<>(first);
        all.addAll(second);
        boolean crossOnly = !second.isEmpty();
        boolean[] fromB = new boolean[all.size()];
        Arrays.fill(fromB, first.size(), all.size(), true);
        int[] entity = all.stream().mapToInt(FebrlRecord::entity).toArray();
        List<Demographics> records = all.stream().map(r -> r.demographics(withIdentifier)).toList();

        ModelEstimator estimator = new ModelEstimator(start, ModelEstimator.Options.defaults());
        double[] emMillis = new double[3];
        ModelEstimator.Estimate estimate = null;
        for (int i = 0; i < emMillis.length; i++) {
            long t0 = System.nanoTime();
            estimate = estimator.estimate(records);
            emMillis[i] = (System.nanoTime() - t0) / 1e6;
        }
        MatchModel model = estimate.model();
        Matcher matcher = new Matcher(model);

        double[] linkMillis = new double[runs];
        IncrementalLinker linker = null;
        int[] person = null;
        for (int run = -warmups; run < runs; run++) {
            long t0 = System.nanoTime();
            IncrementalLinker l = new IncrementalLinker(matcher);
            for (Demographics d : records) {
                l.add(d);
            }
            double millis = (System.nanoTime() - t0) / 1e6;
            int[] persons = new int[records.size()];
            for (int i = 0; i < persons.length; i++) {
                persons[i] = l.personOf(i);
            }
            if (person != null && !Arrays.equals(person, persons)) {
                throw new IllegalStateException("Linking the same records in the same order gave other persons");
            }
            person = persons;
            linker = l;
            if (run >= 0) {
                linkMillis[run] = millis;
            }
        }

        PairScore score = PairScore.of(person, entity, fromB, crossOnly);
        PairScore afterReview = PairScore.of(afterTrueReviews(person, linker.reviewPairs(), entity), entity, fromB,
                crossOnly);
        List<PreparedDemographics> prepared = records.stream().map(matcher::prepare).toList();
        double completeness = blockingCompleteness(matcher, prepared, entity, fromB, crossOnly);
        int reviewTrue = 0;
        Map<String, Integer> guards = new LinkedHashMap<>();
        for (IncrementalLinker.ReviewPair p : linker.reviewPairs()) {
            if (entity[p.record()] == entity[p.candidate()]) {
                reviewTrue++;
            }
            String guard = linker.explain(p.record(), p.candidate()).guard();
            if (guard != null) {
                guards.merge(guard, 1, Integer::sum);
            }
        }
        if (diagnose) {
            diagnose(dataset + " " + fields, matcher, prepared, person, entity, fromB, crossOnly, all);
        }
        double medianMillis = median(linkMillis);
        double[] nanos = pairTimings(matcher, records, prepared);
        return new ScenarioResult(dataset, fields, records.size(), score.truePairs(), score.predictedPairs(),
                score.correctPairs(), round(score.precision()), round(score.recall()), round(score.f1()),
                round(afterReview.recall()), round(completeness), linker.comparisons(), round((double) linker.comparisons() / records.size()),
                linker.reviewPairs().size(), reviewTrue, linker.personCount(),
                Math.round(records.size() / (medianMillis / 1000.0)), round(medianMillis), roundAll(linkMillis),
                round(median(emMillis)), roundAll(emMillis), model.priorMatchProbability(),
                round(estimate.expectedMatches()), model.linkThreshold(), model.reviewThreshold(), estimate.sessions(),
                guards, nanos[0], nanos[1], model);
    }

    /**
     * Median nanoseconds per pair of (a) the linker's path: comparison vector, score and outcome of prepared records;
     * (b) {@link Matcher#compare(Demographics, Demographics)} from raw values, evidence list included.
     */
    private static double[] pairTimings(Matcher matcher, List<Demographics> raw, List<PreparedDemographics> prepared) {
        int n = raw.size();
        int pairs = 200_000;
        double[] scoreRuns = new double[7];
        double[] compareRuns = new double[7];
        double sink = 0;
        for (int run = -3; run < 7; run++) {
            SplittableRandom random = new SplittableRandom(42);
            long t0 = System.nanoTime();
            for (int k = 0; k < pairs; k++) {
                PreparedDemographics a = prepared.get(random.nextInt(n));
                PreparedDemographics b = prepared.get(random.nextInt(n));
                long v = matcher.comparisonVector(a, b);
                double score = matcher.score(v);
                sink += score + matcher.outcome(v, score).ordinal();
            }
            long t1 = System.nanoTime();
            random = new SplittableRandom(42);
            for (int k = 0; k < pairs / 10; k++) {
                sink += matcher.compare(raw.get(random.nextInt(n)), raw.get(random.nextInt(n))).score();
            }
            long t2 = System.nanoTime();
            if (run >= 0) {
                scoreRuns[run] = (t1 - t0) / (double) pairs;
                compareRuns[run] = (t2 - t1) / (double) (pairs / 10);
            }
        }
        // Consumed so the JIT cannot drop the timed work as dead code.
        if (sink == 42.4242) {
            System.out.println();
        }
        return new double[] {Math.round(median(scoreRuns)), Math.round(median(compareRuns))};
    }

    /**
     * Persons after a reviewer confirms the true review pairs and rejects the rest: what linking plus review can
     * reach.
     */
    private static int[] afterTrueReviews(int[] person, List<IncrementalLinker.ReviewPair> reviews, int[] entity) {
        int[] parent = new int[person.length];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (int i = 0; i < person.length; i++) {
            union(parent, i, person[i]);
        }
        for (IncrementalLinker.ReviewPair p : reviews) {
            if (entity[p.record()] == entity[p.candidate()]) {
                union(parent, p.record(), p.candidate());
            }
        }
        int[] out = new int[person.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = find(parent, i);
        }
        return out;
    }

    // Person ids are below the record count, so records and persons can share one union-find over indexes.
    private static void union(int[] parent, int a, int b) {
        parent[find(parent, a)] = find(parent, b);
    }

    private static int find(int[] parent, int a) {
        while (parent[a] != a) {
            parent[a] = parent[parent[a]];
            a = parent[a];
        }
        return a;
    }

    /** Share of true pairs that share at least one blocking key: the recall ceiling blocking leaves. */
    private static double blockingCompleteness(Matcher matcher, List<PreparedDemographics> records, int[] entity,
                                               boolean[] fromB, boolean crossOnly) {
        List<Set<String>> keys = records.stream().map(matcher::blockingKeys).toList();
        long truePairs = 0;
        long kept = 0;
        for (List<Integer> group : byEntity(entity).values()) {
            for (int x = 0; x < group.size(); x++) {
                for (int y = x + 1; y < group.size(); y++) {
                    int i = group.get(x);
                    int j = group.get(y);
                    if (crossOnly && fromB[i] == fromB[j]) {
                        continue;
                    }
                    truePairs++;
                    Set<String> shared = new HashSet<>(keys.get(i));
                    shared.retainAll(keys.get(j));
                    if (!shared.isEmpty()) {
                        kept++;
                    }
                }
            }
        }
        return truePairs == 0 ? 1.0 : (double) kept / truePairs;
    }

    /** Levels (never values) of missed and false pairs, to see which comparisons limit the result. */
    private static void diagnose(String scenario, Matcher matcher, List<PreparedDemographics> records, int[] person,
                                 int[] entity, boolean[] fromB, boolean crossOnly, List<FebrlRecord> raw) {
        scoreHistogram(scenario, matcher, records, entity);
        System.err.println("== " + scenario + ": missed true pairs");
        for (List<Integer> group : byEntity(entity).values()) {
            for (int x = 0; x < group.size(); x++) {
                for (int y = x + 1; y < group.size(); y++) {
                    int i = group.get(x);
                    int j = group.get(y);
                    if ((crossOnly && fromB[i] == fromB[j]) || person[i] == person[j]) {
                        continue;
                    }
                    print("MISS", raw.get(i), raw.get(j), matcher.compare(records.get(j), records.get(i)));
                }
            }
        }
        System.err.println("== " + scenario + ": false pairs");
        Map<Integer, List<Integer>> byPerson = new HashMap<>();
        for (int i = 0; i < person.length; i++) {
            byPerson.computeIfAbsent(person[i], k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : byPerson.values()) {
            for (int x = 0; x < group.size(); x++) {
                for (int y = x + 1; y < group.size(); y++) {
                    int i = group.get(x);
                    int j = group.get(y);
                    if ((crossOnly && fromB[i] == fromB[j]) || entity[i] == entity[j]) {
                        continue;
                    }
                    print("FALSE", raw.get(i), raw.get(j), matcher.compare(records.get(j), records.get(i)));
                }
            }
        }
    }

    /** Scores of every candidate pair, true and false, in 2-bit bins: how far apart the two populations are. */
    private static void scoreHistogram(String scenario, Matcher matcher, List<PreparedDemographics> records,
                                       int[] entity) {
        Map<String, List<Integer>> blocks = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            for (String key : matcher.blockingKeys(records.get(i))) {
                blocks.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        Set<Long> seen = new HashSet<>();
        TreeMap<Integer, long[]> bins = new TreeMap<>();
        for (List<Integer> block : blocks.values()) {
            for (int x = 0; x < block.size(); x++) {
                for (int y = x + 1; y < block.size(); y++) {
                    int i = block.get(x);
                    int j = block.get(y);
                    if (!seen.add((long) i * records.size() + j)) {
                        continue;
                    }
                    long v = matcher.comparisonVector(records.get(i), records.get(j));
                    double sc = matcher.score(v);
                    int bin = (int) Math.floor(sc / 2) * 2;
                    bins.computeIfAbsent(bin, k -> new long[2])[entity[i] == entity[j] ? 0 : 1]++;
                }
            }
        }
        System.err.println("== " + scenario + ": score histogram (bin: true false)");
        bins.forEach((bin, c) -> System.err.println("HIST " + bin + " " + c[0] + " " + c[1]));
    }

    private static void print(String kind, FebrlRecord a, FebrlRecord b, MatchResult result) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s %s %s %.1f %s", kind, a.recId(),
                b.recId(), result.score(), result.outcome()));
        for (Evidence e : result.evidence()) {
            if (!e.comparison().equals("prior")) {
                s.append(String.format(Locale.ROOT, " %s=%s(%.1f)", e.comparison(), e.level(), e.weight()));
            }
        }
        if (result.guard() != null) {
            s.append(" guard=").append(result.guard());
        }
        System.err.println(s);
    }

    private static Map<Integer, List<Integer>> byEntity(int[] entity) {
        Map<Integer, List<Integer>> out = new LinkedHashMap<>();
        for (int i = 0; i < entity.length; i++) {
            out.computeIfAbsent(entity[i], k -> new ArrayList<>()).add(i);
        }
        return out;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    private static double[] roundAll(double[] v) {
        return Arrays.stream(v).map(x -> Math.round(x * 10) / 10.0).toArray();
    }

    private static String defaultDataDir() {
        Path sibling = Path.of("../shared/benchmarks/febrl");
        return Files.isDirectory(sibling) ? sibling.toString() : "/work/shared/benchmarks/febrl";
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            if (name.equals("diagnose")) {
                out.put(name, "true");
            } else if (i + 1 < args.length) {
                out.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return out;
    }
}
