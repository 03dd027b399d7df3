package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;

/**
 * Every container that runs the careweave image names a real subcommand of {@code careweave}, and each component is
 * deployed by both the compose stack and the Kubernetes manifests.
 */
class DeploymentCommandsTest {

    private static final List<String> COMPONENTS = List.of("ingest", "process", "sink", "api");

    @Test
    void everyContainerRunsARealSubcommand() {
        Set<String> subcommands = Careweave.commandLine().getSubcommands().keySet();
        List<CareweaveContainers.Container> containers = CareweaveContainers.all();
        assertThat(containers).isNotEmpty();
        List<String> unknown = containers.stream().filter(c -> !subcommands.contains(c.subcommand()))
                .map(c -> c.where() + " runs `careweave " + c.subcommand() + "`").toList();
        assertThat(unknown).as("containers naming no subcommand of careweave %s", subcommands).isEmpty();
    }

    @Test
    void theComponentSubcommandsExist() {
        assertThat(Careweave.commandLine().getSubcommands().keySet()).containsAll(COMPONENTS);
    }

    @Test
    void everyComponentIsDeployedInComposeAndKubernetes() {
        assertThat(CareweaveContainers.compose()).extracting(CareweaveContainers.Container::subcommand)
                .containsAll(COMPONENTS).allSatisfy(s -> assertThat(COMPONENTS).contains(s));
        assertThat(CareweaveContainers.kubernetes()).extracting(CareweaveContainers.Container::subcommand)
                .containsExactlyInAnyOrderElementsOf(COMPONENTS);
    }

    @Test
    void kubernetesContainersKeepTheImagesEntrypointAndPassOnlyArguments() {
        // Overriding command would bypass `java -jar /app/careweave.jar`, and with it the subcommand check above.
        for (CareweaveContainers.Container container : CareweaveContainers.kubernetes()) {
            assertThat(container.spec().has("command")).as(container.where()).isFalse();
        }
        for (CareweaveContainers.Container container : CareweaveContainers.compose()) {
            assertThat(container.spec().has("entrypoint")).as(container.where()).isFalse();
        }
    }

    @Test
    void argumentsAfterTheSubcommandAreOptionsItAccepts() {
        for (CareweaveContainers.Container container : CareweaveContainers.all()) {
            CommandLine subcommand = Careweave.commandLine().getSubcommands().get(container.subcommand());
            if (subcommand == null) {
                continue; // reported by everyContainerRunsARealSubcommand
            }
            for (String argument : container.args().subList(1, container.args().size())) {
                String option = argument.split("=", 2)[0];
                assertThat(subcommand.getCommandSpec().findOption(option)).as("%s: %s", container.where(), argument)
                        .isNotNull();
            }
        }
    }

    @Test
    void composeBuildsTheImageFromTheDockerfileItRuns() {
        JsonNode services = DeploymentFiles.compose().path("services");
        for (CareweaveContainers.Container container : CareweaveContainers.compose()) {
            JsonNode build = container.spec().path("build");
            assertThat(build.path("context").asText()).as(container.where()).isEqualTo("../..");
            assertThat(build.path("dockerfile").asText()).as(container.where()).isEqualTo("deploy/docker/Dockerfile");
        }
        assertThat(services.size()).isGreaterThan(CareweaveContainers.compose().size());
    }
}
