package org.careweave.benchmarks.common;

import java.util.Collection;
import java.util.Locale;
import java.util.TreeMap;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs one JMH benchmark class with the short settings of the cost-by-size benchmarks (one fork, 2 + 3 iterations of
 * one second) and gives its scores by the value of one integer parameter, then by benchmark method, each as
 * "score ± error".
 */
public final class JmhScores {

    private JmhScores() {
    }

    public static TreeMap<Integer, TreeMap<String, String>> byParameter(Class<?> benchmark, String parameter)
            throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(benchmark.getName())
                .forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(TimeValue.seconds(1))
                .build()).run();
        TreeMap<Integer, TreeMap<String, String>> table = new TreeMap<>();
        for (RunResult r : results) {
            int n = Integer.parseInt(r.getParams().getParam(parameter));
            String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            table.computeIfAbsent(n, k -> new TreeMap<>()).put(method, String.format(Locale.ROOT, "%.1f ± %.1f",
                    r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()));
        }
        return table;
    }
}
