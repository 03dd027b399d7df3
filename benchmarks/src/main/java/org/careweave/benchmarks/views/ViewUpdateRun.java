package org.careweave.benchmarks.views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.TreeMap;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ViewUpdateBenchmark} and writes benchmarks/results/view-update-DATE.md: microseconds per input for a
 * person with 10 to 3,000 results.
 *
 * <pre>java -cp "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes" \
 *     org.careweave.benchmarks.views.ViewUpdateRun 2026-11-26</pre>
 */
public final class ViewUpdateRun {

    private ViewUpdateRun() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        String date = args.length > 0 ? args[0] : java.time.LocalDate.now().toString();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(ViewUpdateBenchmark.class.getName())
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(TimeValue.seconds(1))
                .build()).run();
        TreeMap<Integer, TreeMap<String, String>> table = new TreeMap<>();
        for (RunResult r : results) {
            int n = Integer.parseInt(r.getParams().getParam("resultsPerPerson"));
            String benchmark = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            table.computeIfAbsent(n, k -> new TreeMap<>()).put(benchmark, String.format(Locale.ROOT, "%.1f ± %.1f",
                    r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()));
        }
        StringBuilder md = new StringBuilder("| results per person | fold (µs) | fold + build view (µs) |"
                + " write state (µs) | read state (µs) |\n|---:|---:|---:|---:|---:|\n");
        table.forEach((n, row) -> md.append("| ").append(n).append(" | ").append(row.get("fold"))
                .append(" | ").append(row.get("foldAndBuildView"))
                .append(" | ").append(row.get("serialiseState")).append(" | ").append(row.get("deserialiseState"))
                .append(" |\n"));
        Path out = Path.of("benchmarks/results/view-update-" + date + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "# View update cost by results per person (" + date + ")\n\n" + md);
        System.out.print(md);
    }
}
