package org.careweave.processors.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeMap;

import org.careweave.benchmarks.common.JmhScores;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link RoutingBenchmark} and writes benchmarks/results/routing-LABEL.md: microseconds per observation and per
 * relink, and bytes written per observation, for a source identifier that has already sent 10 to 3,000.
 *
 * <pre>java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *     org.careweave.processors.routing.RoutingRun LABEL</pre>
 */
public final class RoutingRun {

    private RoutingRun() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        String label = args.length > 0 ? args[0] : java.time.LocalDate.now().toString();
        TreeMap<Integer, Long> bytes = new TreeMap<>();
        for (int n : new int[] {10, 100, 1000, 3000}) {
            RoutingBenchmark b = new RoutingBenchmark();
            b.observationsBefore = n;
            b.fill();
            bytes.put(n, b.serialisedBytes());
            b.close();
        }
        TreeMap<Integer, TreeMap<String, String>> table =
                JmhScores.byParameter(RoutingBenchmark.class, "observationsBefore");
        StringBuilder md = new StringBuilder("| observations before | one more observation + commit (µs) |"
                + " bytes written for it | relink + commit (µs) |\n|---:|---:|---:|---:|\n");
        table.forEach((n, row) -> md.append("| ").append(n).append(" | ").append(row.get("observationAndCommit"))
                .append(" | ").append(String.format(Locale.ROOT, "%,d", bytes.get(n)))
                .append(" | ").append(row.get("relinkAndCommit")).append(" |\n"));
        Path out = Path.of("benchmarks/results/routing-" + label + ".md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "# Routing cost by events per source identifier (" + label + ")\n\n"
                + "`java -cp \"benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)\""
                + " org.careweave.processors.routing.RoutingRun " + label + "`; one fork, 2 + 3 iterations of 1 s.\n\n"
                + md);
        System.out.print(md);
    }
}
