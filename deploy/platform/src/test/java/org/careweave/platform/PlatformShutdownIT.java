package org.careweave.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On SIGTERM (what Ctrl-C and a container stop send), the platform's PostgreSQL and registry stay up while the
 * program that owns them stops its own work in its shutdown hook, and are stopped after that: nothing of the
 * platform outlives the JVM. A child JVM runs {@link Owner}, whose hook waits, then queries both.
 */
class PlatformShutdownIT {

    @TempDir
    Path dataDir;

    @Test
    void theDatabaseAndRegistryOutlastTheOwnersShutdownAndNotTheJvm() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Owner.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("READY")) {
                    child.toHandle().destroy(); // SIGTERM; Process.destroy would also close this stream
                }
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited: %s", lines).isTrue();

        assertThat(lines).as("the child's output").anyMatch(l -> l.startsWith("READY"))
                .contains("owner: database answered 1", "owner: registry answered 200", "owner: platform closed");
        String[] ports = lines.stream().filter(l -> l.startsWith("READY")).findFirst().orElseThrow().split(" ");
        // Nothing left listening: PostgreSQL and the registry stopped with the JVM.
        for (int i = 1; i < ports.length; i++) {
            int port = Integer.parseInt(ports[i]);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress("127.0.0.1", port));
            }
        }
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains(dataDir.toString())).orElse(false)).toList())
                .as("processes still running on the test's data dir").isEmpty();
    }

    /**
     * A careweave killed outright (SIGKILL: the out-of-memory killer, {@code kill -9}) runs no hook: its registry and
     * PostgreSQL are left running and hold their ports. The next start on the same data dir and ports stops them and
     * starts; before, it refused ("port already in use") until someone found and killed them by hand.
     */
    @Test
    void theNextStartStopsWhatAKilledOwnerLeftRunning() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Owner.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        String ready = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("READY")) {
                    ready = line;
                    child.toHandle().destroyForcibly();
                }
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ready).as("the child started its platform").isNotNull();
        assertThat(onTheDataDir()).as("left running by the killed owner").isNotEmpty();
        String[] ports = ready.split(" ");
        PlatformConfig same = PlatformConfig.embedded(dataDir).withPorts(Integer.parseInt(ports[3]),
                Integer.parseInt(ports[4]), Integer.parseInt(ports[2]), Integer.parseInt(ports[1]));

        try (EmbeddedPlatform platform = EmbeddedPlatform.start(same, line -> { })) {
            assertThat(Owner.query(platform)).isEqualTo(1);
        }
        assertThat(onTheDataDir()).as("processes still running on the test's data dir").isEmpty();
    }

    private List<ProcessHandle> onTheDataDir() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(c -> c.contains(dataDir.toString())).orElse(false)).toList();
    }

    /** The child: starts the platform, and in its own shutdown hook uses it a while after the signal, then closes. */
    public static final class Owner {

        public static void main(String[] args) throws Exception {
            PlatformConfig config = EmbeddedPlatformExtension.freshEmbeddedConfig(Path.of(args[0]));
            EmbeddedPlatform platform = EmbeddedPlatform.start(config, line -> { });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(2_000); // an orderly stop takes a few seconds: the sink's last transaction, commits
                    System.out.println("owner: database answered " + query(platform));
                    System.out.println("owner: registry answered " + HttpClient.newHttpClient().send(
                            HttpRequest.newBuilder(URI.create(platform.schemaRegistryUrl() + "/subjects")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode());
                } catch (Exception e) {
                    System.out.println("owner: platform gone under the owner's hook: " + e);
                }
                platform.close();
                System.out.println("owner: platform closed");
            }, "owner-shutdown"));
            System.out.println("READY " + config.postgresPort() + " " + config.registryPort() + " "
                    + config.kafkaPort() + " " + config.kafkaControllerPort());
            Thread.sleep(Long.MAX_VALUE);
        }

        static int query(EmbeddedPlatform platform) throws Exception {
            try (Connection c = DriverManager.getConnection(platform.jdbcUrl(), platform.jdbcUser(),
                    platform.jdbcPassword());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
