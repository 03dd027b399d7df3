package org.careweave.benchmarks.views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;

import org.careweave.benchmarks.common.JmhScores;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link ViewUpdateBenchmark} and writes benchmarks/results/view-update-DATE.md: microseconds per input for a
 * person with 10 to 10,000 results.
 *
 * <pre>java -cp "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes" \
 *     org.careweave.benchmarks.views.ViewUpdateRun 2026-11-26</pre>
 */
public final class ViewUpdateRun {

    private ViewUpdateRun() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        String date = args.length > 0 ? args[0] : java.time.LocalDate.now().toString();
        TreeMap<Integer, TreeMap<String, String>> table =
                JmhScores.byParameter(ViewUpdateBenchmark.class, "resultsPerPerson");
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
