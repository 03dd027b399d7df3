package org.careweave.platform.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.careweave.platform.Directories;
import org.careweave.platform.EmbeddedPlatform;
import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.PlatformKind;
import org.careweave.platform.PlatformUnavailableException;
import org.careweave.platform.TestcontainersPlatform;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one platform per test JVM, shared by every integration test class that uses this extension, and stops it
 * when the JVM's tests are done. Test methods and {@code @BeforeAll} methods receive it as a {@link Platform}
 * parameter.
 *
 * <p>The embedded platform is the default; it runs on free ports in a temporary data dir so that tests never
 * collide with a {@code careweave up} on the default ports. Set the system property
 * {@code careweave.test.platform=testcontainers} to use containers instead; without a Docker engine those tests are
 * skipped (aborted) with the reason, never failed or passed silently.
 */
public final class EmbeddedPlatformExtension implements BeforeAllCallback, ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPlatformExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedPlatformExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        platform(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Platform.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return platform(context);
    }

    private static Platform platform(ExtensionContext context) {
        SharedPlatform shared = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedPlatform.class, key -> SharedPlatform.start(), SharedPlatform.class);
        Assumptions.assumeTrue(shared.platform != null, () -> shared.unavailableReason);
        return shared.platform;
    }

    /** Free ports for a platform of one's own (e.g. a test that restarts a platform). */
    public static PlatformConfig freshEmbeddedConfig(Path dataDir) {
        return PlatformConfig.embedded(dataDir).withPorts(freePort(), freePort(), freePort(), freePort());
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class SharedPlatform implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final Platform platform;
        private final String unavailableReason;
        /** The embedded platform's Kafka logs and PostgreSQL cluster: some hundreds of MB per test JVM. */
        private final Path dataDir;

        private SharedPlatform(Platform platform, String unavailableReason, Path dataDir) {
            this.platform = platform;
            this.unavailableReason = unavailableReason;
            this.dataDir = dataDir;
        }

        static SharedPlatform start() {
            PlatformKind kind = PlatformKind.parse(System.getProperty("careweave.test.platform", "embedded"));
            if (kind == PlatformKind.TESTCONTAINERS) {
                try {
                    return new SharedPlatform(TestcontainersPlatform.start(log::info), null, null);
                } catch (PlatformUnavailableException e) {
                    log.warn("Skipping platform tests: {}", e.getMessage());
                    return new SharedPlatform(null, e.getMessage(), null);
                }
            }
            try {
                Path dataDir = Files.createTempDirectory("careweave-it-");
                return new SharedPlatform(EmbeddedPlatform.start(freshEmbeddedConfig(dataDir), log::info), null,
                        dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (platform != null) {
                platform.close();
            }
            if (dataDir != null) {
                Directories.deleteRecursively(dataDir);
            }
        }
    }
}
