package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.careweave.platform.PlatformConfig;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Kubernetes manifests: resources, disruption budgets, the MLLP load balancer, the processors' state volumes,
 * the Secrets each component gets, and pods that run without privileges.
 */
class KubernetesWorkloadsTest {

    @Test
    void everyContainerRequestsAndLimitsCpuAndMemory() {
        for (CareweaveContainers.Container container : CareweaveContainers.kubernetes()) {
            JsonNode resources = container.spec().path("resources");
            for (String kind : List.of("requests", "limits")) {
                assertThat(resources.path(kind).path("cpu").asText()).as("%s %s cpu", container.where(), kind)
                        .isNotBlank();
                assertThat(resources.path(kind).path("memory").asText()).as("%s %s memory", container.where(), kind)
                        .isNotBlank();
            }
        }
    }

    @Test
    void disruptionBudgetsSelectWorkloadsThatCanAffordThem() {
        List<JsonNode> budgets = DeploymentFiles.kubernetesObjects("PodDisruptionBudget");
        assertThat(budgets).isNotEmpty();
        for (JsonNode budget : budgets) {
            JsonNode selector = budget.path("spec").path("selector").path("matchLabels");
            JsonNode workload = workloadSelectedBy(selector).orElseThrow(() -> new AssertionError(
                    "PodDisruptionBudget " + budget.path("metadata").path("name").asText() + " selects no workload"));
            int replicas = workload.path("spec").path("replicas").asInt(1);
            JsonNode spec = budget.path("spec");
            int mayStop = spec.has("maxUnavailable") ? spec.path("maxUnavailable").asInt()
                    : replicas - spec.path("minAvailable").asInt();
            // A budget that allows no disruption at all would block every node drain.
            assertThat(mayStop).as(budget.path("metadata").path("name").asText()).isPositive();
        }
        assertThat(budgets).extracting(b -> b.path("metadata").path("name").asText())
                .contains("careweave-ingest", "careweave-processors", "careweave-api");
    }

    @Test
    void ingestIsBehindATcpLoadBalancerOnTheMllpPort() {
        JsonNode service = service("careweave-mllp");
        assertThat(service.path("spec").path("type").asText()).isEqualTo("LoadBalancer");
        assertThat(service.path("spec").path("externalTrafficPolicy").asText()).isEqualTo("Local");
        JsonNode port = service.path("spec").path("ports").get(0);
        assertThat(port.path("protocol").asText()).isEqualTo("TCP");
        assertThat(port.path("port").asText()).isEqualTo(org.careweave.ingest.IngestConfig.PORT.defaultValue());
        JsonNode ingest = workload("Deployment", "careweave-ingest");
        assertThat(service.path("spec").path("selector"))
                .isEqualTo(ingest.path("spec").path("template").path("metadata").path("labels"));
        assertThat(ingest.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void processorsAreAStatefulSetWithTheirStateOnPersistentVolumes() {
        JsonNode processors = workload("StatefulSet", "careweave-processors");
        JsonNode claims = processors.path("spec").path("volumeClaimTemplates");
        assertThat(claims).hasSize(1);
        String claim = claims.get(0).path("metadata").path("name").asText();
        CareweaveContainers.Container container = container("process");
        String dataDir = container.environment().get(PlatformConfig.DATA_DIR.environmentVariable());
        assertThat(dataDir).isNotBlank();
        assertThat(container.spec().path("volumeMounts")).anySatisfy(mount -> {
            assertThat(mount.path("name").asText()).isEqualTo(claim);
            assertThat(mount.path("mountPath").asText()).isEqualTo(dataDir);
        });
        assertThat(service(processors.path("spec").path("serviceName").asText()).path("spec").path("clusterIP")
                .asText()).isEqualTo("None");
    }

    @Test
    void theSinkIsASingleWriterReplacedNotRolled() {
        JsonNode sink = workload("Deployment", "careweave-sink");
        assertThat(sink.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(sink.path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
    }

    @Test
    void secretsReachOnlyTheComponentsThatNeedThem() {
        // Every component talks to Kafka (the API for its health check), so each may need its TLS and SASL settings.
        assertThat(secretsOf(container("ingest"))).containsExactlyInAnyOrder("careweave-mllp-tls",
                "careweave-api-tokens", "careweave-kafka-client");
        assertThat(secretsOf(container("process"))).containsExactlyInAnyOrder("careweave-pseudonym-key",
                "careweave-api-tokens", "careweave-kafka-client");
        assertThat(secretsOf(container("sink"))).containsExactlyInAnyOrder("careweave-database",
                "careweave-api-tokens", "careweave-kafka-client");
        assertThat(secretsOf(container("api"))).containsExactlyInAnyOrder("careweave-database",
                "careweave-api-tokens", "careweave-kafka-client");
        assertThat(container("process").environment()).containsEntry(
                KnownSettings.environmentVariable("secondary.pseudonym.key"), CareweaveContainers.SECRET);
        assertThat(container("ingest").environment())
                .containsEntry("CAREWEAVE_MLLP_TLS_KEY_STORE_PASSWORD", CareweaveContainers.SECRET)
                .containsEntry("CAREWEAVE_MLLP_TLS_TRUST_STORE_PASSWORD", CareweaveContainers.SECRET)
                .containsKeys("CAREWEAVE_MLLP_TLS_KEY_STORE", "CAREWEAVE_MLLP_TLS_TRUST_STORE",
                        "CAREWEAVE_MLLP_TLS_ALLOWLIST");
        assertThat(container("api").environment()).containsKey(KnownSettings.environmentVariable("api.tokens.file"));
    }

    @Test
    void kafkasSecuritySettingsAreAnOptionalSecretMountedWhereTheConfigMapSays() {
        for (CareweaveContainers.Container container : CareweaveContainers.kubernetes()) {
            JsonNode volume = null;
            for (JsonNode v : container.podSpec().path("volumes")) {
                if (v.path("secret").path("secretName").asText().equals("careweave-kafka-client")) {
                    volume = v;
                }
            }
            assertThat(volume).as(container.where()).isNotNull();
            assertThat(volume.path("secret").path("optional").asBoolean())
                    .as("a plaintext cluster needs no such Secret: " + container.where()).isTrue();
            String name = volume.path("name").asText();
            JsonNode mount = null;
            for (JsonNode m : container.spec().path("volumeMounts")) {
                if (m.path("name").asText().equals(name)) {
                    mount = m;
                }
            }
            assertThat(mount).as(container.where()).isNotNull();
            assertThat(mount.path("mountPath").asText()).isEqualTo("/etc/careweave/kafka");
            assertThat(mount.path("readOnly").asBoolean()).isTrue();
        }
    }

    @Test
    void podsRunAsAnUnprivilegedUserOnAReadOnlyRootFileSystem() {
        for (CareweaveContainers.Container container : CareweaveContainers.kubernetes()) {
            JsonNode pod = container.podSpec().path("securityContext");
            assertThat(pod.path("runAsNonRoot").asBoolean()).as(container.where()).isTrue();
            assertThat(pod.path("runAsUser").asInt()).as(container.where()).isPositive();
            JsonNode own = container.spec().path("securityContext");
            assertThat(own.path("allowPrivilegeEscalation").asBoolean(true)).as(container.where()).isFalse();
            assertThat(own.path("readOnlyRootFilesystem").asBoolean()).as(container.where()).isTrue();
            // The JVM, Netty and RocksDB unpack native libraries into /tmp.
            assertThat(container.spec().path("volumeMounts").findValuesAsText("mountPath")).as(container.where())
                    .contains("/tmp");
        }
    }

    private static List<String> secretsOf(CareweaveContainers.Container container) {
        java.util.Set<String> secrets = new java.util.TreeSet<>();
        container.spec().path("env").forEach(v -> {
            JsonNode ref = v.path("valueFrom").path("secretKeyRef");
            if (ref.isObject()) {
                secrets.add(ref.path("name").asText());
            }
        });
        container.podSpec().path("volumes").forEach(v -> {
            if (v.path("secret").isObject()) {
                secrets.add(v.path("secret").path("secretName").asText());
            }
        });
        return List.copyOf(secrets);
    }

    private static CareweaveContainers.Container container(String subcommand) {
        return CareweaveContainers.kubernetes().stream().filter(c -> c.subcommand().equals(subcommand)).findFirst()
                .orElseThrow(() -> new AssertionError("no Kubernetes container runs careweave " + subcommand));
    }

    private static JsonNode workload(String kind, String name) {
        return DeploymentFiles.kubernetesObjects(kind).stream()
                .filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static JsonNode service(String name) {
        return workload("Service", name);
    }

    private static Optional<JsonNode> workloadSelectedBy(JsonNode matchLabels) {
        return CareweaveContainers.workloads().stream()
                .filter(w -> w.path("spec").path("selector").path("matchLabels").equals(matchLabels)).findFirst();
    }
}
