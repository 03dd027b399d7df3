package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ctrl-C or a container stop (SIGTERM) while `careweave up` is still starting: it stops what has started and leaves
 * nothing running. Before, a stop while PostgreSQL was starting left the server running in a session of its own,
 * holding its port against the next start, and a stop just after the platform was up printed a stack trace and
 * waited 20 s for the components' fallback exit hooks.
 */
class UpCommandStopIT {

    @TempDir
    Path dataDir;

    /** @param when the line of careweave's output after which the stop is sent */
    @ParameterizedTest
    @ValueSource(strings = {"  postgresql       starting", "  topics ", "Press Ctrl-C to stop."})
    void aStopWhileStartingLeavesNothingRunning(String when) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dkafka.port=" + EmbeddedPlatformExtension.freePort(),
                "-Dkafka.controller.port=" + EmbeddedPlatformExtension.freePort(),
                "-Dregistry.port=" + EmbeddedPlatformExtension.freePort(),
                "-Dpostgres.port=" + EmbeddedPlatformExtension.freePort(),
                "-Dmllp.port=0", "-Dapi.port=0",
                "-cp", System.getProperty("java.class.path"), Careweave.class.getName(), "up", "--data-dir",
                dataDir.toString()).redirectErrorStream(true);
        Process up = builder.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            boolean sent = false;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (!sent && line.startsWith(when)) {
                    up.toHandle().destroy(); // SIGTERM
                    sent = true;
                }
            }
        }
        assertThat(up.waitFor(120, TimeUnit.SECONDS)).as("exited: %s", lines).isTrue();

        assertThat(lines).as("careweave's output").anyMatch(l -> l.startsWith(when))
                .contains("careweave: stopped")
                .noneMatch(l -> l.contains("Exception") && l.startsWith("\tat "))
                .noneMatch(l -> l.startsWith("careweave: could not start"));
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains(dataDir.toString())).orElse(false)).toList())
                .as("processes still running on the data dir").isEmpty();
    }
}
