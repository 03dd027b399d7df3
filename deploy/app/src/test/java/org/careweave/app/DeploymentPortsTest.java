package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.careweave.ingest.IngestConfig;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.registry.EmbeddedRegistry;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Ports in the deployment files are the code's defaults: MLLP {@code mllp.port}, HTTP {@code api.port}, Kafka
 * {@code kafka.port} (controllers {@code kafka.controller.port}), the registry {@code registry.port} with the
 * Confluent API path, and PostgreSQL's standard port (careweave's embedded PostgreSQL alone uses 5433, so that it
 * never collides with a system one).
 */
class DeploymentPortsTest {

    private static final int MLLP = Integer.parseInt(IngestConfig.PORT.defaultValue());
    private static final int KAFKA = Integer.parseInt(PlatformConfig.KAFKA_PORT.defaultValue());
    private static final int KAFKA_CONTROLLER = Integer.parseInt(PlatformConfig.KAFKA_CONTROLLER_PORT.defaultValue());
    private static final int REGISTRY = Integer.parseInt(PlatformConfig.REGISTRY_PORT.defaultValue());
    private static final int POSTGRESQL = 5432;

    private static int http() {
        return KnownSettings.defaultPort("api.port");
    }

    @Test
    void endpointsOfTheExternalPlatformUseTheDefaultPorts() {
        for (CareweaveContainers.Container container : CareweaveContainers.all()) {
            Map<String, String> env = container.environment();
            for (String server : env.get(PlatformConfig.BOOTSTRAP_SERVERS.environmentVariable()).split(",")) {
                assertThat(port(server)).as("%s bootstrap server %s", container.where(), server).isEqualTo(KAFKA);
            }
            URI registry = URI.create(env.get(PlatformConfig.SCHEMA_REGISTRY_URL.environmentVariable()));
            assertThat(registry.getPort()).as(container.where()).isEqualTo(REGISTRY);
            assertThat(registry.getPath()).as(container.where()).isEqualTo(EmbeddedRegistry.CONFLUENT_API_PATH);
            URI jdbc = URI.create(env.get(PlatformConfig.JDBC_URL.environmentVariable()).substring("jdbc:".length()));
            assertThat(jdbc.getScheme()).isEqualTo("postgresql");
            assertThat(jdbc.getPort()).as(container.where()).isEqualTo(POSTGRESQL);
        }
    }

    @Test
    void composeServicesListenWhereTheEndpointsPoint() {
        Map<String, String> kafka = DeploymentFiles.envFile(DeploymentFiles.COMPOSE_DIR.resolve("kafka.env"));
        assertThat(kafka.get("KAFKA_LISTENERS"))
                .isEqualTo("PLAINTEXT://:" + KAFKA + ",CONTROLLER://:" + KAFKA_CONTROLLER);
        JsonNode services = DeploymentFiles.compose().path("services");
        for (int node = 1; node <= 3; node++) {
            assertThat(services.path("kafka-" + node).path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText())
                    .isEqualTo("PLAINTEXT://kafka-" + node + ":" + KAFKA);
        }
        JsonNode registry = services.path("registry");
        assertThat(registry.path("environment").path("QUARKUS_HTTP_PORT").asText()).isEqualTo(String.valueOf(REGISTRY));
        assertThat(registry.path("environment").path("REGISTRY_DATASOURCE_URL").asText())
                .contains(":" + POSTGRESQL + "/");
        assertThat(CareweaveContainers.words(registry.path("ports"))).containsExactly(
                "127.0.0.1:" + REGISTRY + ":" + REGISTRY);
        assertThat(CareweaveContainers.words(services.path("mllp").path("ports"))).containsExactly(MLLP + ":" + MLLP);
        assertThat(CareweaveContainers.words(services.path("api").path("ports"))).containsExactly(
                "127.0.0.1:" + http() + ":" + http());
    }

    @Test
    void theMllpLoadBalancerForwardsToTheListenersPortAndChecksTheirHttpPort() {
        String haproxy = DeploymentFiles.read(DeploymentFiles.HAPROXY);
        assertThat(haproxy).contains("bind :" + MLLP).contains("check port " + http());
        Matcher server = Pattern.compile("(?m)^\\s*server\\s+\\S+\\s+(\\S+)").matcher(haproxy);
        List<String> targets = new ArrayList<>();
        while (server.find()) {
            targets.add(server.group(1));
        }
        assertThat(targets).containsExactly("ingest-a:" + MLLP, "ingest-b:" + MLLP);
    }

    @Test
    void kubernetesContainerPortsAreTheDefaults() {
        for (CareweaveContainers.Container container : CareweaveContainers.kubernetes()) {
            for (JsonNode port : container.spec().path("ports")) {
                int expected = switch (port.path("name").asText()) {
                    case "mllp" -> MLLP;
                    case "http" -> http();
                    default -> throw new AssertionError(container.where() + ": unexpected port "
                            + port.path("name").asText());
                };
                assertThat(port.path("containerPort").asInt()).as(container.where()).isEqualTo(expected);
            }
            assertThat(container.spec().path("ports").findValuesAsText("name")).as(container.where())
                    .contains("http");
        }
        assertThat(CareweaveContainers.kubernetes()).filteredOn(c -> c.subcommand().equals("ingest"))
                .allSatisfy(c -> assertThat(c.spec().path("ports").findValuesAsText("name")).contains("mllp"));
    }

    @Test
    void kubernetesServicesExposeTheDefaults() {
        for (JsonNode service : DeploymentFiles.kubernetesObjects("Service")) {
            for (JsonNode port : service.path("spec").path("ports")) {
                String name = port.path("name").asText();
                assertThat(port.path("targetPort").asText()).as(service.path("metadata").toString())
                        .isEqualTo(name);
                assertThat(port.path("port").asInt()).isEqualTo(name.equals("mllp") ? MLLP : http());
            }
        }
    }

    @Test
    void prometheusScrapesTheHttpPort() {
        JsonNode prometheus = DeploymentFiles.yaml(DeploymentFiles.PROMETHEUS);
        for (JsonNode job : prometheus.path("scrape_configs")) {
            for (JsonNode target : job.path("static_configs").findValues("targets")) {
                target.forEach(t -> assertThat(port(t.asText())).as(job.path("job_name").asText()).isEqualTo(http()));
            }
        }
        for (JsonNode workload : CareweaveContainers.workloads()) {
            JsonNode annotations = workload.path("spec").path("template").path("metadata").path("annotations");
            assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(String.valueOf(http()));
        }
    }

    private static int port(String hostAndPort) {
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }
}
