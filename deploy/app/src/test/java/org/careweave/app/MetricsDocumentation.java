package org.careweave.app;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The metrics table of docs/operations.md: each metric's Micrometer name, type, Prometheus name and whether it is
 * in the code yet. The alerts and the dashboard may only use metrics listed here.
 */
record MetricsDocumentation(List<Metric> metrics) {

    enum Type {
        COUNTER, GAUGE, TIMER, HISTOGRAM_TIMER;

        static Type parse(String text) {
            return switch (text) {
                case "counter" -> COUNTER;
                case "gauge" -> GAUGE;
                case "timer" -> TIMER;
                case "timer (histogram)" -> HISTOGRAM_TIMER;
                default -> throw new AssertionError("docs/operations.md: unknown metric type '" + text + "'");
            };
        }
    }

    /**
     * @param prometheusName as the table gives it
     * @param inCode         status "in code"; otherwise "planned"
     */
    record Metric(String micrometerName, Type type, String prometheusName, boolean inCode) {

        /** Micrometer's Prometheus naming: dots as underscores, counters with _total, timers in seconds. */
        String expectedPrometheusName() {
            String base = micrometerName.replace('.', '_');
            return switch (type) {
                case COUNTER -> base + "_total";
                case GAUGE -> base;
                case TIMER, HISTOGRAM_TIMER -> base + "_seconds";
            };
        }

        /** The series Prometheus gets for this metric. */
        Set<String> series() {
            String name = expectedPrometheusName();
            return switch (type) {
                case COUNTER, GAUGE -> Set.of(name);
                case TIMER -> Set.of(name + "_count", name + "_sum", name + "_max");
                case HISTOGRAM_TIMER -> Set.of(name + "_count", name + "_sum", name + "_max", name + "_bucket");
            };
        }
    }

    private static final String HEADER =
            "| metric (Micrometer) | type | tags | Prometheus | status | what it tells you |";

    static MetricsDocumentation read() {
        List<String> lines = DeploymentFiles.read(DeploymentFiles.OPERATIONS).lines().toList();
        int header = lines.indexOf(HEADER);
        if (header < 0) {
            throw new AssertionError("docs/operations.md has no metrics table headed " + HEADER);
        }
        List<Metric> metrics = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|", -1);
            if (cells.length < 8) {
                throw new AssertionError("docs/operations.md: malformed metrics row: " + lines.get(i));
            }
            String status = unquote(cells[5]);
            if (!status.equals("in code") && !status.equals("planned")) {
                throw new AssertionError("docs/operations.md: status must be 'in code' or 'planned': "
                        + lines.get(i));
            }
            metrics.add(new Metric(unquote(cells[1]), Type.parse(unquote(cells[2])), unquote(cells[4]),
                    status.equals("in code")));
        }
        return new MetricsDocumentation(metrics);
    }

    Set<String> micrometerNames() {
        Set<String> names = new LinkedHashSet<>();
        metrics.forEach(m -> names.add(m.micrometerName()));
        return names;
    }

    /** Every Prometheus series a documented metric produces. */
    Set<String> prometheusSeries() {
        Set<String> series = new LinkedHashSet<>();
        metrics.forEach(m -> series.addAll(m.series()));
        return series;
    }

    private static String unquote(String cell) {
        String text = cell.strip();
        return text.startsWith("`") && text.endsWith("`") ? text.substring(1, text.length() - 1) : text;
    }
}
