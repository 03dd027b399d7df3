package org.careweave.app;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.function.BiFunction;

import org.careweave.platform.ExternalPlatform;
import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.PlatformKind;
import org.careweave.platform.PlatformStartupException;
import org.careweave.platform.config.SettingsSource;
import org.careweave.platform.database.EmbeddedDatabase;
import org.careweave.platform.registry.EmbeddedRegistry;

import picocli.CommandLine.Model.CommandSpec;

/**
 * For commands that talk to a platform that is already running (replay, opt-out): the external endpoints, or those
 * of a running {@code careweave up} on its configured ports. Starts nothing.
 */
final class PlatformConnection {

    private PlatformConnection() {
    }

    static Platform connect(PlatformConfig config) {
        if (config.kind() == PlatformKind.EXTERNAL) {
            return new ExternalPlatform(config.external());
        }
        if (config.kind() != PlatformKind.EMBEDDED) {
            throw new PlatformStartupException("This command needs a running platform: embedded (careweave up)"
                    + " or external.");
        }
        String host = config.host();
        requireListening(host, config.kafkaPort(), "Kafka");
        return new ExternalPlatform(new PlatformConfig.External(host + ":" + config.kafkaPort(),
                "http://" + host + ":" + config.registryPort() + EmbeddedRegistry.CONFLUENT_API_PATH,
                "jdbc:postgresql://" + host + ":" + config.postgresPort() + "/" + EmbeddedDatabase.DATABASE,
                EmbeddedDatabase.USER, ""));
    }

    /**
     * Runs a command's work against the deployment's platform (its settings from the process) and returns the work's
     * exit status; when Kafka, the registry or a file fails, says so on standard error and returns 2 (nothing done).
     */
    static int run(CommandSpec spec, String command, BiFunction<Platform, PlatformConfig, Integer> work) {
        PlatformConfig config = PlatformConfig.from(SettingsSource.fromProcess(Map.of()));
        try (Platform platform = connect(config)) {
            int status = work.apply(platform, config);
            spec.commandLine().getOut().flush();
            return status;
        } catch (UncheckedIOException e) {
            spec.commandLine().getErr().println(command + ": " + e.getCause().getMessage());
            return 2;
        } catch (RuntimeException e) {
            // Messages of Kafka and the registry name hosts and topics, never records.
            spec.commandLine().getErr().println(command + ": " + e.getMessage());
            return 2;
        }
    }

    private static void requireListening(String host, int port, String what) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
        } catch (java.io.IOException e) {
            throw new PlatformStartupException(what + " is not answering at " + host + ":" + port
                    + ". Is `careweave up` running (with the same ports)?");
        }
    }
}
