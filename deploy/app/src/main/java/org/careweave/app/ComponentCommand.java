package org.careweave.app;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.PlatformKind;
import org.careweave.platform.Platforms;
import org.careweave.platform.config.SettingsSource;
import org.careweave.schemas.topics.TopicProvisioner;

/**
 * Runs one careweave component on its own against services run elsewhere, as in a real deployment: configuration
 * from the environment (as a container gets it), endpoints from the external platform settings, until SIGTERM.
 */
abstract class ComponentCommand implements Callable<Integer> {

    private final PrintStream out = System.out;

    /** Starts the component; what it returns is closed on shutdown. */
    abstract AutoCloseable start(SettingsSource settings, Platform platform, PlatformConfig config) throws Exception;

    abstract String componentName();

    @Override
    public Integer call() {
        SettingsSource settings = SettingsSource.fromProcess(Map.of());
        PlatformConfig config = PlatformConfig.from(settings);
        if (config.kind() == PlatformKind.EMBEDDED) {
            System.err.println("careweave " + componentName() + ": runs against external services; set "
                    + PlatformConfig.KIND.environmentVariable() + "=external and their endpoints, or use"
                    + " `careweave up` to run everything embedded.");
            return 2;
        }
        Platform platform;
        AutoCloseable component;
        try {
            platform = Platforms.open(config, line -> out.println("  " + line));
            TopicProvisioner.ensureTopics(platform.bootstrapServers(), config.topicPrefix(),
                    config.topicPartitions(), config.topicReplicationFactor());
            component = start(settings, platform, config);
        } catch (Exception e) {
            System.err.println("careweave " + componentName() + ": could not start: " + e.getMessage());
            return 2;
        }
        out.println("careweave " + componentName() + ": running against " + platform.bootstrapServers());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                component.close();
            } catch (Exception e) {
                System.err.println("careweave " + componentName() + ": error while stopping: " + e.getMessage());
            }
            platform.close();
            stopped.countDown();
        }, "careweave-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
