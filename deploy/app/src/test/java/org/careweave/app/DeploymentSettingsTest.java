package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.Setting;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every CAREWEAVE_ variable the deployment files set or mention is a real setting, with a value its setting accepts;
 * every container has what the external platform needs; no secret sits in a ConfigMap or a committed env file.
 */
class DeploymentSettingsTest {

    private static final Pattern VARIABLE = Pattern.compile("\\bCAREWEAVE_[A-Z0-9_]+\\b");

    @Test
    void everyCareweaveVariableInTheDeploymentFilesIsASetting() {
        Map<String, String> known = KnownSettings.keysByEnvironmentVariable();
        List<String> unknown = new ArrayList<>();
        for (Path file : DeploymentFiles.all()) {
            Matcher variable = VARIABLE.matcher(DeploymentFiles.read(file));
            while (variable.find()) {
                if (!known.containsKey(variable.group())) {
                    unknown.add(DeploymentFiles.relative(file) + ": " + variable.group());
                }
            }
        }
        assertThat(unknown).as("variables that no setting reads (see `careweave config`)").isEmpty();
    }

    @Test
    void settingsNotYetInTheReferenceAreDeclaredInTheCodeAsTheTestsAssume() {
        for (KnownSettings.Pending pending : KnownSettings.stillPending()) {
            assertThat(MainSources.contain(pending.declaration()))
                    .as("%s is declared in %s with default %s", pending.key(), pending.declaredIn(),
                            pending.declaredDefault())
                    .isTrue();
        }
    }

    @Test
    void everyValueIsOneItsSettingAccepts() {
        Map<String, Setting<?>> reference = new java.util.HashMap<>();
        KnownSettings.reference().forEach(s -> reference.put(s.environmentVariable(), s));
        for (CareweaveContainers.Container container : CareweaveContainers.all()) {
            container.environment().forEach((name, value) -> {
                Setting<?> setting = reference.get(name);
                if (setting != null && !value.equals(CareweaveContainers.SECRET)) {
                    assertThat(parses(setting, value)).as("%s: %s=%s", container.where(), name, value).isTrue();
                }
            });
        }
    }

    @Test
    void everyContainerHasTheExternalPlatformsEndpoints() {
        for (CareweaveContainers.Container container : CareweaveContainers.all()) {
            Map<String, String> env = container.environment();
            assertThat(env).as(container.where())
                    .containsEntry(PlatformConfig.KIND.environmentVariable(), "external")
                    .containsKey(PlatformConfig.BOOTSTRAP_SERVERS.environmentVariable())
                    .containsKey(PlatformConfig.SCHEMA_REGISTRY_URL.environmentVariable())
                    .containsKey(PlatformConfig.JDBC_URL.environmentVariable());
        }
    }

    @Test
    void portSettingsAreNeverMovedOffTheDefaultsTheProbesAndServicesUse() {
        Map<String, String> keys = KnownSettings.keysByEnvironmentVariable();
        for (CareweaveContainers.Container container : CareweaveContainers.all()) {
            container.environment().forEach((name, value) -> {
                String key = keys.get(name);
                if (key != null && key.endsWith(".port")) {
                    assertThat(value).as("%s sets %s", container.where(), name)
                            .isEqualTo(KnownSettings.defaultOf(key).orElseThrow());
                }
            });
        }
    }

    @Test
    void secretsComeFromSecretsNotFromConfigMapsOrCommittedEnvFiles() {
        Pattern secretName = Pattern.compile("PASSWORD|PSEUDONYM_KEY|TOKEN(?!S_FILE|_FILE)");
        List<String> exposed = new ArrayList<>();
        for (JsonNode configMap : DeploymentFiles.kubernetesObjects("ConfigMap")) {
            configMap.path("data").fieldNames().forEachRemaining(name -> {
                if (secretName.matcher(name).find()) {
                    exposed.add("ConfigMap " + configMap.path("metadata").path("name").asText() + ": " + name);
                }
            });
        }
        for (Path envFile : DeploymentFiles.envFiles()) {
            DeploymentFiles.envFile(envFile).keySet().forEach(name -> {
                if (secretName.matcher(name).find()) {
                    exposed.add(DeploymentFiles.relative(envFile) + ": " + name);
                }
            });
        }
        for (CareweaveContainers.Container container : CareweaveContainers.kubernetes()) {
            for (JsonNode variable : container.spec().path("env")) {
                if (secretName.matcher(variable.path("name").asText()).find()) {
                    assertThat(variable.path("valueFrom").path("secretKeyRef").isObject())
                            .as("%s: %s comes from a Secret", container.where(), variable.path("name").asText())
                            .isTrue();
                }
            }
        }
        assertThat(exposed).isEmpty();
    }

    @Test
    void kubernetesSecretReferencesNameSecretsAndKeysThatTheTemplatesDeclare() {
        Map<String, TreeSet<String>> declared = new java.util.HashMap<>();
        for (JsonNode secret : DeploymentFiles.kubernetesObjects("Secret")) {
            TreeSet<String> keys = new TreeSet<>();
            secret.path("data").fieldNames().forEachRemaining(keys::add);
            secret.path("stringData").fieldNames().forEachRemaining(keys::add);
            declared.put(secret.path("metadata").path("name").asText(), keys);
        }
        for (CareweaveContainers.Container container : CareweaveContainers.kubernetes()) {
            for (JsonNode variable : container.spec().path("env")) {
                JsonNode ref = variable.path("valueFrom").path("secretKeyRef");
                if (ref.isObject()) {
                    assertThat(declared.get(ref.path("name").asText())).as(container.where())
                            .isNotNull().contains(ref.path("key").asText());
                }
            }
            for (JsonNode volume : container.podSpec().path("volumes")) {
                JsonNode secret = volume.path("secret");
                if (secret.isObject()) {
                    TreeSet<String> keys = declared.get(secret.path("secretName").asText());
                    assertThat(keys).as(container.where()).isNotNull();
                    secret.path("items").forEach(item -> assertThat(keys).contains(item.path("key").asText()));
                }
            }
        }
    }

    @Test
    void kubernetesServiceVariablesCannotCollideWithSettings() {
        // With service links on, a Service named careweave-mllp would give every pod CAREWEAVE_MLLP_PORT=tcp://...
        for (CareweaveContainers.Container container : CareweaveContainers.kubernetes()) {
            assertThat(container.podSpec().path("enableServiceLinks").isBoolean()
                    && !container.podSpec().path("enableServiceLinks").asBoolean())
                    .as("%s sets enableServiceLinks: false", container.where()).isTrue();
        }
    }

    private static boolean parses(Setting<?> setting, String value) {
        try {
            setting.parser().apply(value);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
