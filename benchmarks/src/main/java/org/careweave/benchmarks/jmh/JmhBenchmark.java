package org.careweave.benchmarks.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.careweave.benchmarks.common.Machine;
import org.careweave.benchmarks.common.Options;
import org.careweave.benchmarks.common.ResultFiles;
import org.careweave.benchmarks.common.Stats;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ParsingBenchmark} with JMH and writes the table: per message type, careweave's validate and map
 * against HAPI's parse alone, in microseconds per message, and the ratios.
 *
 * <p>Options: {@code --forks 1 --warmups 3 --iterations 5 --seconds 1 (or --iteration-ms 500) --out benchmarks/results
 * --date ...}. JMH's own JSON goes to benchmarks/target/jmh-parsing.json.
 */
public final class JmhBenchmark {

    /** One JMH result: µs per message with JMH's 99.9% confidence half-width. */
    public record Score(String type, String benchmark, double microsPerMessage, double error) {
    }

    /** careweave ÷ HAPI for one type. */
    public record TypeSummary(String type, double validateMicros, double mapMicros, double hapiParseMicros,
                              double validateOverHapi, double validatePlusMapOverHapi, double intakeMicros) {
    }

    public record Report(String date, Machine machine, Map<String, Object> settings, List<TypeSummary> summaries,
                         List<Score> scores) {
    }

    private JmhBenchmark() {
    }

    public static void main(String[] args) throws IOException, RunnerException {
        Options options = Options.parse(args, Set.of());
        int forks = options.integer("forks", 1);
        int warmups = options.integer("warmups", 3);
        int iterations = options.integer("iterations", 5);
        // Milliseconds for the quick set: five measured iterations give a confidence interval, three do not.
        int iterationMs = options.integer("iteration-ms", 1000 * options.integer("seconds", 1));
        Path jmhJson = Path.of("benchmarks/target/jmh-parsing.json");
        Files.createDirectories(jmhJson.getParent());
        Machine machine = Machine.now();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(ParsingBenchmark.class.getName())
                .forks(forks)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.milliseconds(iterationMs))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.milliseconds(iterationMs))
                .jvmArgs("-Xms512m", "-Xmx512m")
                .resultFormat(ResultFormatType.JSON)
                .result(jmhJson.toString())
                .build()).run();
        List<Score> scores = new ArrayList<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            scores.add(new Score(r.getParams().getParam("type"), method.substring(method.lastIndexOf('.') + 1),
                    Stats.round(r.getPrimaryResult().getScore(), 2),
                    Stats.round(r.getPrimaryResult().getScoreError(), 2)));
        }
        List<TypeSummary> summaries = new ArrayList<>();
        for (String type : List.of("ADT_A08", "ADT_A31", "ORU_R01")) {
            double validate = score(scores, type, "careweaveValidate");
            double map = score(scores, type, "careweaveMap");
            double hapi = score(scores, type, "hapiParse");
            double intake = score(scores, type, "careweaveIntake");
            summaries.add(new TypeSummary(type, validate, map, hapi, Stats.ratio(validate, hapi),
                    Stats.ratio(validate + map, hapi), intake));
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("forks", forks);
        settings.put("warmupIterations", warmups);
        settings.put("measurementIterations", iterations);
        settings.put("secondsPerIteration", iterationMs / 1000.0);
        settings.put("mode", "average time per message, one thread");
        Report report = new Report(options.date(), machine.finished(), settings, summaries, scores);
        ResultFiles.write(options.out(), "jmh-parsing", options.date(), report, markdown(report));
    }

    private static double score(List<Score> scores, String type, String benchmark) {
        return scores.stream().filter(s -> s.type().equals(type) && s.benchmark().equals(benchmark))
                .mapToDouble(Score::microsPerMessage).findFirst().orElse(Double.NaN);
    }

    private static String markdown(Report r) {
        StringBuilder s = new StringBuilder();
        s.append("# Parsing and mapping (JMH), ").append(r.date()).append("\n\n").append(r.machine().describe())
                .append("\n\n");
        s.append(String.format(Locale.ROOT, "JMH 1.37, %s fork, %s warm-up and %s measured iterations of %s s, "
                        + "average time per message on one thread. ORU^R01 carries 20 OBX. "
                        + "HAPI: PipeParser with the generic model and no validation, parse alone.%n%n",
                r.settings().get("forks"), r.settings().get("warmupIterations"),
                r.settings().get("measurementIterations"), r.settings().get("secondsPerIteration")));
        s.append("| type | careweave validate µs | careweave map µs | HAPI parse µs | validate ÷ HAPI "
                + "| (validate + map) ÷ HAPI | careweave intake µs |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (TypeSummary t : r.summaries()) {
            s.append(String.format(Locale.ROOT,
                    "| %s | %.1f ± %.1f | %.1f ± %.1f | %.1f ± %.1f | %.2fx | %.2fx | %.1f ± %.1f |%n",
                    t.type().replace('_', '^'), t.validateMicros(), error(r, t.type(), "careweaveValidate"),
                    t.mapMicros(), error(r, t.type(), "careweaveMap"), t.hapiParseMicros(),
                    error(r, t.type(), "hapiParse"), t.validateOverHapi(), t.validatePlusMapOverHapi(),
                    t.intakeMicros(), error(r, t.type(), "careweaveIntake")));
        }
        s.append("\nIntake: validate, message id (SHA-256), ACK text and bytes, i.e. the listener's own work per "
                + "message without the Avro record and the Kafka producer.\n");
        s.append("\n± is JMH's 99.9% confidence half-width.\n");
        return s.toString();
    }

    private static double error(Report r, String type, String benchmark) {
        return r.scores().stream().filter(x -> x.type().equals(type) && x.benchmark().equals(benchmark))
                .mapToDouble(Score::error).findFirst().orElse(Double.NaN);
    }
}
