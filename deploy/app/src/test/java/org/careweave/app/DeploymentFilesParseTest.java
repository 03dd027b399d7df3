package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Every deployment file parses, and the compose stack and the Kubernetes manifests have what issue 9 asks for. */
class DeploymentFilesParseTest {

    @Test
    void everyYamlFileParsesDocumentByDocument() {
        List<Path> yamlFiles = DeploymentFiles.yamlFiles();
        assertThat(yamlFiles).extracting(DeploymentFiles::relative)
                .contains("deploy/compose/docker-compose.yml", "deploy/k8s/kustomization.yaml",
                        "deploy/monitoring/prometheus-alerts.yml");
        for (Path file : yamlFiles) {
            assertThat(DeploymentFiles.yamlDocuments(file)).as(DeploymentFiles.relative(file)).isNotEmpty();
        }
    }

    @Test
    void everyEnvFileIsKeyValueLines() {
        assertThat(DeploymentFiles.envFiles()).isNotEmpty();
        DeploymentFiles.envFiles().forEach(DeploymentFiles::envFile);
    }

    @Test
    void everyKubernetesObjectIsNamedAndTyped() {
        List<JsonNode> objects = DeploymentFiles.kubernetesObjects();
        assertThat(objects).hasSizeGreaterThan(10);
        for (JsonNode object : objects) {
            assertThat(object.path("apiVersion").asText()).as(object.toString()).isNotBlank();
            assertThat(object.path("kind").asText()).as(object.toString()).isNotBlank();
            if (!object.path("kind").asText().equals("Kustomization")) {
                assertThat(object.path("metadata").path("name").asText()).as(object.toString()).isNotBlank();
            }
        }
    }

    @Test
    void kustomizationListsEveryManifestButTheSecretTemplates() {
        JsonNode kustomization = DeploymentFiles.yaml(DeploymentFiles.K8S.resolve("kustomization.yaml"));
        List<String> resources = CareweaveContainers.words(kustomization.path("resources"));
        List<String> manifests = new ArrayList<>();
        for (Path file : DeploymentFiles.yamlFiles()) {
            String name = file.getFileName().toString();
            if (file.getParent().equals(DeploymentFiles.K8S) && !name.equals("kustomization.yaml")) {
                manifests.add(name);
            }
        }
        // Real secrets are created from files kept out of git; applying the template would overwrite them.
        assertThat(resources).doesNotContain("secrets.yaml")
                .containsExactlyInAnyOrderElementsOf(manifests.stream().filter(m -> !m.equals("secrets.yaml"))
                        .toList());
    }

    @Test
    void composeRunsTheWholeStack() {
        JsonNode services = DeploymentFiles.compose().path("services");
        assertThat(services.has("kafka-1") && services.has("kafka-2") && services.has("kafka-3"))
                .as("three Kafka nodes").isTrue();
        assertThat(services.has("postgres")).isTrue();
        assertThat(services.has("registry")).isTrue();
        assertThat(CareweaveContainers.compose()).extracting(CareweaveContainers.Container::subcommand)
                .containsExactlyInAnyOrder("ingest", "ingest", "process", "sink", "api");
    }

    @Test
    void composeKafkaIsAThreeNodeKraftClusterThatKeepsTwoCopiesOfEveryWrite() {
        JsonNode services = DeploymentFiles.compose().path("services");
        Map<String, String> kafka = DeploymentFiles.envFile(DeploymentFiles.COMPOSE_DIR.resolve("kafka.env"));
        assertThat(kafka).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093")
                .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
                .containsEntry("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE", "false");
        for (int node = 1; node <= 3; node++) {
            JsonNode service = services.path("kafka-" + node);
            assertThat(service.path("image").asText()).startsWith("apache/kafka:");
            assertThat(CareweaveContainers.words(service.path("env_file"))).contains("kafka.env");
            assertThat(service.path("environment").path("KAFKA_NODE_ID").asText()).isEqualTo(String.valueOf(node));
        }
    }

    @Test
    void topicsAreCreatedWithThreeReplicasWhereverCareweaveRunsOnACluster() {
        for (CareweaveContainers.Container container : CareweaveContainers.all()) {
            assertThat(container.environment().get("CAREWEAVE_TOPIC_REPLICATION_FACTOR")).as(container.where())
                    .isEqualTo("3");
        }
    }
}
