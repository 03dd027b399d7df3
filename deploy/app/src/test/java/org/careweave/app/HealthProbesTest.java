package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

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
        // /health reports Kafka too: a broker outage should take pods out of rotation, not restart them at once.
        for (CareweaveContainers.Container container : CareweaveContainers.kubernetes()) {
            assertThat(tolerance(container.spec().path("livenessProbe"))).as(container.where())
                    .isGreaterThan(tolerance(container.spec().path("readinessProbe")));
        }
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

    private static int tolerance(JsonNode probe) {
        return probe.path("periodSeconds").asInt(10) * probe.path("failureThreshold").asInt(3);
    }
}
