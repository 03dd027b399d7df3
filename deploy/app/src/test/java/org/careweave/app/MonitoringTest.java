package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The metrics table of docs/operations.md matches the code, and the Prometheus alerts and the Grafana dashboard use
 * only documented metrics, so that no alert waits forever on a misspelt series.
 */
class MonitoringTest {

    private static final Pattern SERIES = Pattern.compile("\\bcareweave_[a-z0-9_]+\\b");
    private static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");
    private static final Pattern RUNTIME_SERIES = Pattern.compile("\\b(?:jvm|process|system)_[a-z0-9_]+\\b");

    @Test
    void everyDocumentedMetricHasItsPrometheusName() {
        MetricsDocumentation documentation = MetricsDocumentation.read();
        assertThat(documentation.metrics()).hasSizeGreaterThan(10);
        for (MetricsDocumentation.Metric metric : documentation.metrics()) {
            assertThat(metric.prometheusName()).as(metric.micrometerName())
                    .isEqualTo(metric.expectedPrometheusName());
        }
    }

    @Test
    void metricsMarkedInCodeAreRegisteredByTheCodeAndPlannedOnesAreNotYet() {
        for (MetricsDocumentation.Metric metric : MetricsDocumentation.read().metrics()) {
            if (metric.inCode()) {
                assertThat(MainSources.containStringLiteral(metric.micrometerName()))
                        .as("%s is marked 'in code' in docs/operations.md but no module registers it",
                                metric.micrometerName()).isTrue();
            } else {
                assertThat(MainSources.containStringLiteral(metric.micrometerName()))
                        .as("%s is registered now: mark it 'in code' in docs/operations.md", metric.micrometerName())
                        .isFalse();
            }
        }
    }

    @Test
    void theIssuesMetricsAreAllDocumented() {
        // Received/acknowledged/refused by facility and type, ACK latency, consumer lag, dead letters, identity
        // review queue, view update latency, sink errors.
        assertThat(MetricsDocumentation.read().micrometerNames()).contains("careweave.ingest.messages",
                "careweave.ingest.ack.latency", "careweave.consumer.lag", "careweave.mapping.deadlettered",
                "careweave.identity.reviews.open", "careweave.views.update", "careweave.sink.errors");
    }

    @Test
    void alertRulesAreCompleteAndUseDocumentedMetrics() {
        JsonNode alerts = DeploymentFiles.yaml(DeploymentFiles.ALERTS);
        Set<String> documented = MetricsDocumentation.read().prometheusSeries();
        Set<String> anchors = headingAnchors();
        List<JsonNode> rules = new ArrayList<>();
        alerts.path("groups").forEach(group -> group.path("rules").forEach(rules::add));
        assertThat(rules).isNotEmpty();
        for (JsonNode rule : rules) {
            String name = rule.path("alert").asText();
            assertThat(name).isNotBlank();
            assertThat(rule.path("expr").asText()).as(name).isNotBlank();
            assertThat(rule.path("for").asText()).as(name).matches("\\d+[smh]");
            assertThat(SEVERITIES).as(name).contains(rule.path("labels").path("severity").asText());
            assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
            String runbook = rule.path("annotations").path("runbook").asText();
            assertThat(runbook).as(name).startsWith("docs/operations.md#");
            assertThat(anchors).as("%s links to a heading of docs/operations.md", name)
                    .contains(runbook.substring(runbook.indexOf('#') + 1));
            assertThat(series(rule.path("expr").asText())).as(name).isSubsetOf(documented);
        }
    }

    /**
     * The JVM and process series the alerts, the dashboard and operations.md name are ones every careweave process
     * exports.
     */
    @Test
    void runtimeSeriesUsedByAlertsDashboardAndDocsAreExported() throws InterruptedException {
        Set<String> exported = exportedRuntimeSeries();
        Set<String> alerting = new LinkedHashSet<>();
        DeploymentFiles.yaml(DeploymentFiles.ALERTS).path("groups").forEach(group -> group.path("rules")
                .forEach(rule -> alerting.addAll(matches(RUNTIME_SERIES, rule.path("expr").asText()))));
        assertThat(alerting).as("heap after collections, GC overhead and descriptors are alerted on")
                .contains("jvm_memory_usage_after_gc", "jvm_gc_overhead", "process_files_open_files");
        assertThat(alerting).isSubsetOf(exported);

        Set<String> charted = new LinkedHashSet<>();
        DeploymentFiles.json(DeploymentFiles.DASHBOARD).path("panels").findValuesAsText("expr")
                .forEach(expression -> charted.addAll(matches(RUNTIME_SERIES, expression)));
        assertThat(charted).contains("jvm_memory_usage_after_gc", "process_files_open_files").isSubsetOf(exported);

        String operations = DeploymentFiles.read(DeploymentFiles.OPERATIONS);
        int start = operations.indexOf("**Runtime metrics.**");
        assertThat(start).as("operations.md lists the runtime metrics").isNotNegative();
        String paragraph = operations.substring(start, operations.indexOf("\n\n", start));
        Set<String> documented = matches(RUNTIME_SERIES, paragraph);
        assertThat(documented).hasSizeGreaterThan(10).isSubsetOf(exported);
    }

    /** Series names (and timers' base names) of a fresh registry's scrape, after a collection has been seen. */
    private static Set<String> exportedRuntimeSeries() throws InterruptedException {
        RuntimeMetrics.Registry registry = RuntimeMetrics.newRegistry();
        try {
            Set<String> names = new LinkedHashSet<>();
            // GC pause timers appear once a collection has been reported, which the JVM does asynchronously.
            for (int attempt = 0; attempt < 50 && !names.contains("jvm_gc_pause_seconds"); attempt++) {
                System.gc();
                Thread.sleep(100);
                for (String line : registry.metrics().scrape().lines().toList()) {
                    if (!line.startsWith("#") && !line.isBlank()) {
                        String name = line.split("[{ ]", 2)[0];
                        names.add(name);
                        names.add(name.replaceFirst("_(count|sum|max|bucket)$", ""));
                    }
                }
            }
            return names;
        } finally {
            registry.runtime().close();
            registry.metrics().close();
        }
    }

    @Test
    void theAlertsThatMatterExist() {
        List<String> expressions = new ArrayList<>();
        DeploymentFiles.yaml(DeploymentFiles.ALERTS).path("groups")
                .forEach(group -> group.path("rules").forEach(rule -> expressions.add(rule.path("expr").asText())));
        assertThat(expressions).as("ACK latency p99").anySatisfy(e -> assertThat(e)
                .contains("histogram_quantile(0.99").contains("careweave_ingest_ack_latency_seconds_bucket"));
        assertThat(expressions).as("consumer lag").anySatisfy(e -> assertThat(e).contains("careweave_consumer_lag"));
        assertThat(expressions).as("dead letters").anySatisfy(e -> assertThat(e)
                .contains("careweave_mapping_deadlettered_total"));
        assertThat(expressions).as("sink errors").anySatisfy(e -> assertThat(e)
                .contains("careweave_sink_errors_total"));
    }

    @Test
    void dashboardParsesAndUsesDocumentedMetrics() {
        JsonNode dashboard = DeploymentFiles.json(DeploymentFiles.DASHBOARD);
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("title").asText()).isNotBlank();
        Set<String> documented = MetricsDocumentation.read().prometheusSeries();
        List<String> expressions = dashboard.path("panels").findValuesAsText("expr");
        assertThat(expressions).hasSizeGreaterThan(10);
        for (String expression : expressions) {
            assertThat(series(expression)).as(expression).isSubsetOf(documented);
        }
        Set<String> used = new LinkedHashSet<>();
        expressions.forEach(e -> used.addAll(series(e)));
        assertThat(used).as("the dashboard shows the ACK latency histogram, lag, dead letters and sink errors")
                .contains("careweave_ingest_ack_latency_seconds_bucket", "careweave_consumer_lag",
                        "careweave_mapping_deadlettered_total", "careweave_sink_errors_total");
    }

    @Test
    void everyPanelQueriesTheDashboardsPrometheusVariable() {
        JsonNode dashboard = DeploymentFiles.json(DeploymentFiles.DASHBOARD);
        assertThat(dashboard.path("templating").path("list").findValuesAsText("name")).contains("datasource");
        for (JsonNode panel : dashboard.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                        .isEqualTo("${datasource}");
            }
        }
    }

    @Test
    void prometheusLoadsTheAlertsTheComposeStackMounts() {
        JsonNode prometheus = DeploymentFiles.yaml(DeploymentFiles.PROMETHEUS);
        assertThat(CareweaveContainers.words(prometheus.path("rule_files")))
                .containsExactly("/etc/prometheus/prometheus-alerts.yml");
        JsonNode service = DeploymentFiles.compose().path("services").path("prometheus");
        assertThat(CareweaveContainers.words(service.path("volumes")))
                .contains("../monitoring/prometheus-alerts.yml:/etc/prometheus/prometheus-alerts.yml:ro",
                        "../monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        JsonNode datasource = DeploymentFiles.yaml(DeploymentFiles.MONITORING.resolve(
                "grafana/provisioning/datasources/prometheus.yml")).path("datasources").get(0);
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
    }

    private static Set<String> series(String expression) {
        return matches(SERIES, expression);
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher series = pattern.matcher(text);
        while (series.find()) {
            names.add(series.group());
        }
        return names;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> headingAnchors() {
        Set<String> anchors = new LinkedHashSet<>();
        for (String line : DeploymentFiles.read(DeploymentFiles.OPERATIONS).lines().toList()) {
            if (line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
                anchors.add(heading.replaceAll("[^a-z0-9 -]", "").strip().replace(' ', '-'));
            }
        }
        return anchors;
    }
}
