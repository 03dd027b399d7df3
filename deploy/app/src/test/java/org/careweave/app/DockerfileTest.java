package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.careweave.ingest.IngestConfig;
import org.junit.jupiter.api.Test;

/** The image: built with the JDK and Maven, run with the JRE only, as a user without privileges, health-checked. */
class DockerfileTest {

    private static final DockerfileInstructions DOCKERFILE = DockerfileInstructions.read(DeploymentFiles.DOCKERFILE);
    private static final DockerfileInstructions RUNTIME = DOCKERFILE.finalStage();
    private static final Pattern URL = Pattern.compile("https?://[^\\s'\"]+");

    @Test
    void buildsWithMavenAndTemurin17AndRunsOnTheJreOnly() {
        List<String> stages = DOCKERFILE.all("FROM");
        assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
        assertThat(stages.get(0)).matches("maven:\\S*eclipse-temurin-17\\S* AS build");
        assertThat(RUNTIME.all("FROM")).singleElement().asString().matches("eclipse-temurin:17-jre\\S*");
        assertThat(RUNTIME.all("COPY")).anySatisfy(copy -> assertThat(copy)
                .startsWith("--from=build").endsWith("/app/careweave.jar"));
        assertThat(DOCKERFILE.all("RUN")).anySatisfy(run -> assertThat(run).contains("mvn ")
                .contains("-pl deploy/app -am package"));
    }

    @Test
    void runsAsAnUnprivilegedNumericUser() {
        List<String> users = RUNTIME.all("USER");
        assertThat(users).isNotEmpty();
        String user = users.get(users.size() - 1);
        // Numeric, so that Kubernetes' runAsNonRoot can verify it; and not root.
        assertThat(user).matches("\\d+(:\\d+)?");
        assertThat(Integer.parseInt(user.split(":")[0])).isPositive();
    }

    @Test
    void entrypointIsTheJarAndTheDefaultCommandIsARealSubcommand() {
        assertThat(RUNTIME.execForm("ENTRYPOINT")).containsExactly("java", "-jar", "/app/careweave.jar");
        List<String> command = RUNTIME.execForm("CMD");
        assertThat(command).isNotEmpty();
        assertThat(Careweave.commandLine().getSubcommands()).containsKey(command.get(0));
    }

    @Test
    void healthCheckAsksHealthOnTheHttpPort() {
        List<String> healthChecks = RUNTIME.all("HEALTHCHECK");
        assertThat(healthChecks).singleElement().asString().contains("CMD");
        Matcher url = URL.matcher(healthChecks.get(0));
        assertThat(url.find()).as("HEALTHCHECK calls an http:// URL").isTrue();
        URI health = URI.create(url.group());
        assertThat(health.getPath()).isEqualTo("/health");
        assertThat(health.getHost()).isEqualTo("127.0.0.1");
        assertThat(health.getPort()).isEqualTo(KnownSettings.defaultPort("api.port"));
    }

    @Test
    void exposesTheMllpAndHttpPortsOfTheCode() {
        String exposed = String.join(" ", RUNTIME.all("EXPOSE"));
        assertThat(exposed.split("\\s+")).containsExactlyInAnyOrder(
                IngestConfig.PORT.defaultValue(), String.valueOf(KnownSettings.defaultPort("api.port")));
    }

    @Test
    void listensOnAllInterfacesOnlyInsideTheContainer() {
        // careweave's own defaults stay loopback; the image, whose loopback nobody else can reach, widens them.
        assertThat(IngestConfig.HOST.defaultValue()).isEqualTo("127.0.0.1");
        assertThat(RUNTIME.environment()).containsEntry("CAREWEAVE_MLLP_HOST", "0.0.0.0")
                .containsEntry("CAREWEAVE_API_HOST", "0.0.0.0")
                .containsEntry("CAREWEAVE_PLATFORM", "external");
    }

    @Test
    void limitsGlibcMallocArenasAndKeepsTheJvmOptions() {
        // Read back from the multi-line ENV, so that the arena setting cannot swallow or break the JVM options.
        assertThat(RUNTIME.environment()).containsEntry("MALLOC_ARENA_MAX", "2")
                .hasEntrySatisfying("JAVA_TOOL_OPTIONS", options -> assertThat(options)
                        .contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError"));
    }

    @Test
    void buildContextLeavesOutBuildOutputAndGeneratedSecrets() {
        List<String> ignored = DeploymentFiles.read(DeploymentFiles.DOCKERIGNORE).lines()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignored).contains("**/target/", "careweave-data/", "deploy/compose/secrets/", ".git/");
    }
}
