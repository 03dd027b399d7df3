package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.careweave.platform.KafkaConnection;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.health.HealthCheck;
import org.careweave.store.health.HealthReport;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Every health check asks GET /health on the HTTP port, and every scrape asks /metrics. */
class HealthProbesTest {

    private static final String HEALTH = "/health";
    private static final String METRICS = "/metrics";

    @Test
    void kubernetesProbesAskHealthOnTheHttpPort() {
        for (CareweaveContainers.Container container : CareweaveContainers.kubernetes()) {
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                JsonNode httpGet = container.spec().path(probe).path("httpGet");
                assertThat(httpGet.isObject()).as("%s has a %s", container.where(), probe).isTrue();
                assertThat(httpGet.path("path").asText()).as("%s %s", container.where(), probe).isEqualTo(HEALTH);
                assertThat(httpGet.path("port").asText()).as("%s %s", container.where(), probe).isEqualTo("http");
            }
        }
    }

    @Test
    void livenessIsMorePatientThanReadiness() {
        // /health of ingest, process and sink reports Kafka too: a broker outage should take those pods out of
        // rotation, not restart them at once. (The API's is decided by its database alone: see below.)
        for (CareweaveContainers.Container container : CareweaveContainers.kubernetes()) {
            assertThat(tolerance(container.spec().path("livenessProbe"))).as(container.where())
                    .isGreaterThan(tolerance(container.spec().path("readinessProbe")));
        }
    }

    /**
     * The sink's probes ask /health, which is DOWN above sink.health.max.lag: a sink writing but far behind (a
     * restored database, a rebuild) would be restarted over and over. In Kubernetes that bound is lifted; the lag has
     * its own alert, and a stuck loop still makes /health DOWN.
     */
    @Test
    void kubernetesDoesNotRestartASinkForBeingBehind() {
        List<CareweaveContainers.Container> sinks = CareweaveContainers.kubernetes().stream()
                .filter(c -> c.subcommand().equals("sink")).toList();
        assertThat(sinks).isNotEmpty().allSatisfy(sink -> assertThat(
                Long.parseLong(sink.environment().getOrDefault("CAREWEAVE_SINK_HEALTH_MAX_LAG", "10000")))
                .as(sink.where()).isGreaterThanOrEqualTo(Integer.MAX_VALUE));
    }

    @Test
    void theDockerHealthCheckAndTheLoadBalancerAskHealth() {
        String healthCheck = String.join(" ", DockerfileInstructions.read(DeploymentFiles.DOCKERFILE).finalStage()
                .all("HEALTHCHECK"));
        assertThat(healthCheck).contains(":" + KnownSettings.defaultPort("api.port") + HEALTH + " ");
        assertThat(DeploymentFiles.read(DeploymentFiles.HAPROXY)).contains("option httpchk GET " + HEALTH);
    }

    @Test
    void prometheusScrapesMetrics() {
        for (JsonNode job : DeploymentFiles.yaml(DeploymentFiles.PROMETHEUS).path("scrape_configs")) {
            assertThat(job.path("metrics_path").asText()).as(job.path("job_name").asText()).isEqualTo(METRICS);
            // /metrics asks for the admin token.
            assertThat(job.path("authorization").path("credentials_file").asText()).isNotBlank();
        }
        for (JsonNode workload : CareweaveContainers.workloads()) {
            assertThat(workload.path("spec").path("template").path("metadata").path("annotations")
                    .path("prometheus.io/path").asText()).isEqualTo(METRICS);
        }
    }

    @Test
    void theStandaloneApisHealthIsDecidedByItsDatabaseNotByKafkaOrTheRegistry() throws Exception {
        // Nothing listens on port 1: Kafka and the registry are both away.
        StoreEndpoints away = new StoreEndpoints(KafkaConnection.plaintext("127.0.0.1:1"), "http://127.0.0.1:1",
                "jdbc:postgresql://127.0.0.1:1/careweave", "careweave", "");
        List<HealthCheck> checks = new ArrayList<>();
        // What ApiServer adds itself, reachable here.
        checks.add(HealthCheck.of("database", () -> HealthCheck.Status.up("reachable")));
        checks.addAll(StoreComponents.standaloneApiHealth(away));
        ExecutorService executor = Executors.newCachedThreadPool();
        try {
            HealthReport.Report report = new HealthReport(checks, Duration.ofSeconds(5), executor).run();

            assertThat(report.up()).as("reads need only PostgreSQL").isTrue();
            for (String reported : List.of("kafka", "schema-registry")) {
                assertThat(report.components().get(reported).status()).as(reported).isEqualTo("DOWN");
                assertThat(report.components().get(reported).informational()).as(reported).isTrue();
            }
        } finally {
            executor.shutdownNow();
            for (HealthCheck check : checks) {
                if (check instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            }
        }
    }

    @Test
    void theApiStartsWithoutKafkaWhileTheOthersMakeTheirTopicsFirst() {
        assertThat(new ApiCommand().needsTopicsAtStart()).isFalse();
        for (ComponentCommand command : List.of(new IngestCommand(), new ProcessCommand(), new SinkCommand())) {
            assertThat(command.needsTopicsAtStart()).as(command.componentName()).isTrue();
        }
    }

    private static int tolerance(JsonNode probe) {
        return probe.path("periodSeconds").asInt(10) * probe.path("failureThreshold").asInt(3);
    }
}
