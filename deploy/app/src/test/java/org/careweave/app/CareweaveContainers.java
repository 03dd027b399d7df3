package org.careweave.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every container that runs the careweave image, in the compose stack and the Kubernetes manifests, with the
 * command arguments it passes to the image's entrypoint and the environment it ends up with (image ENV, then
 * env files or ConfigMaps, then its own variables).
 */
final class CareweaveContainers {

    /** A value the container takes from a Secret or a generated env file: its name is known, its value is not. */
    static final String SECRET = "(secret)";

    /** The image name the manifests use; kustomize replaces it with the registry's. */
    static final String KUBERNETES_IMAGE = "careweave";
    static final String COMPOSE_IMAGE_PREFIX = "careweave:";

    /**
     * @param where       e.g. "compose service ingest-a" or "k8s StatefulSet careweave-processors"
     * @param args        what follows {@code java -jar /app/careweave.jar}: the subcommand first
     * @param environment the effective environment
     * @param spec        the compose service or Kubernetes container as declared
     * @param podSpec     the Kubernetes pod spec; null for compose
     */
    record Container(String where, List<String> args, Map<String, String> environment, JsonNode spec,
                     JsonNode podSpec) {

        String subcommand() {
            return args.isEmpty() ? "" : args.get(0);
        }

        /** Short, for assertion messages; the spec is in the files. */
        @Override
        public String toString() {
            return where + " " + args;
        }
    }

    private CareweaveContainers() {
    }

    static Map<String, String> imageEnvironment() {
        return DockerfileInstructions.read(DeploymentFiles.DOCKERFILE).finalStage().environment();
    }

    static List<Container> compose() {
        List<Container> containers = new ArrayList<>();
        DeploymentFiles.compose().path("services").fields().forEachRemaining(service -> {
            JsonNode spec = service.getValue();
            if (!spec.path("image").asText().startsWith(COMPOSE_IMAGE_PREFIX)) {
                return;
            }
            Map<String, String> env = new LinkedHashMap<>(imageEnvironment());
            for (String envFile : words(spec.path("env_file"))) {
                Path file = DeploymentFiles.COMPOSE_DIR.resolve(envFile);
                if (envFile.startsWith("secrets/")) {
                    // Written by make-certs.sh (MakeCertsScriptTest checks it writes what compose reads).
                    continue;
                }
                if (!Files.isRegularFile(file)) {
                    throw new AssertionError("compose service " + service.getKey() + " reads a missing env file "
                            + envFile);
                }
                env.putAll(DeploymentFiles.envFile(file));
            }
            spec.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            containers.add(new Container("compose service " + service.getKey(), words(spec.path("command")), env,
                    spec, null));
        });
        return containers;
    }

    static List<Container> kubernetes() {
        Map<String, String> configMaps = configMapData();
        List<Container> containers = new ArrayList<>();
        for (JsonNode workload : workloads()) {
            JsonNode podSpec = workload.path("spec").path("template").path("spec");
            for (JsonNode container : podSpec.path("containers")) {
                if (!container.path("image").asText().equals(KUBERNETES_IMAGE)) {
                    continue;
                }
                Map<String, String> env = new LinkedHashMap<>(imageEnvironment());
                for (JsonNode source : container.path("envFrom")) {
                    String name = source.path("configMapRef").path("name").asText();
                    configMaps.forEach((key, value) -> {
                        if (key.startsWith(name + "/")) {
                            env.put(key.substring(name.length() + 1), value);
                        }
                    });
                }
                for (JsonNode variable : container.path("env")) {
                    env.put(variable.path("name").asText(),
                            variable.has("value") ? variable.path("value").asText() : SECRET);
                }
                String where = "k8s " + workload.path("kind").asText() + " "
                        + workload.path("metadata").path("name").asText() + " container "
                        + container.path("name").asText();
                containers.add(new Container(where, words(container.path("args")), env, container, podSpec));
            }
        }
        return containers;
    }

    static List<Container> all() {
        List<Container> all = new ArrayList<>(compose());
        all.addAll(kubernetes());
        return all;
    }

    static List<JsonNode> workloads() {
        List<JsonNode> workloads = new ArrayList<>(DeploymentFiles.kubernetesObjects("Deployment"));
        workloads.addAll(DeploymentFiles.kubernetesObjects("StatefulSet"));
        return workloads;
    }

    /** "configmap-name/KEY" → value, for every ConfigMap. */
    private static Map<String, String> configMapData() {
        Map<String, String> data = new LinkedHashMap<>();
        for (JsonNode configMap : DeploymentFiles.kubernetesObjects("ConfigMap")) {
            String name = configMap.path("metadata").path("name").asText();
            configMap.path("data").fields().forEachRemaining(e -> data.put(name + "/" + e.getKey(),
                    e.getValue().asText()));
        }
        return data;
    }

    /** A YAML list of words, or one string (compose's short forms). */
    static List<String> words(JsonNode node) {
        List<String> words = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(word -> words.add(word.asText()));
        } else if (node.isTextual() && !node.asText().isBlank()) {
            words.addAll(List.of(node.asText().strip().split("\\s+")));
        }
        return words;
    }
}
