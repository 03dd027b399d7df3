package org.careweave.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.PlatformKind;
import org.careweave.platform.Platforms;
import org.careweave.platform.config.SettingsSource;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.api.ApiConfig;
import org.careweave.store.api.OperationsServer;
import org.careweave.store.health.HealthCheck;
import org.careweave.store.health.HealthChecks;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Runs one careweave component on its own against services run elsewhere, as in a real deployment: configuration
 * from the environment (as a container gets it), endpoints from the external platform settings, until SIGTERM.
 */
abstract class ComponentCommand implements Callable<Integer> {

    private final PrintStream out = System.out;

    /**
     * A started component: what to close on shutdown, and the health checks that {@code /health} reports for it
     * (besides Kafka and the registry). A component that serves HTTP itself (the API) reports none here.
     */
    record Started(AutoCloseable component, List<HealthCheck> health, boolean servesHttp) {
        static Started withHealth(AutoCloseable component, HealthCheck... checks) {
            return new Started(component, List.of(checks), false);
        }
    }

    /** Starts the component with metrics in the given registry. */
    abstract Started start(SettingsSource settings, Platform platform, PlatformConfig config,
                           PrometheusMeterRegistry metrics) throws Exception;

    abstract String componentName();

    /**
     * Whether the component's topics must exist before it starts (made when missing), which needs Kafka: a component
     * that can serve without Kafka (the API) says no, so that it starts during a broker outage.
     */
    boolean needsTopicsAtStart() {
        return true;
    }

    /** Every process answers /health and /metrics on the HTTP port, as probes and scrapers expect. */
    private AutoCloseable withOperationsEndpoint(Started started, SettingsSource settings, Platform platform,
                                                 PrometheusMeterRegistry metrics) throws Exception {
        List<HealthCheck> checks = new ArrayList<>(HealthChecks.platform(StoreEndpoints.of(platform)));
        checks.addAll(started.health());
        OperationsServer operations;
        try {
            operations = OperationsServer.start(ApiConfig.from(settings), checks, metrics);
        } catch (RuntimeException e) {
            started.component().close();
            throw e;
        }
        return () -> {
            operations.close();
            started.component().close();
        };
    }

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
            if (needsTopicsAtStart()) {
                TopicProvisioner.ensureTopics(platform.kafka().clientConfig(), config.topicPrefix(),
                        config.topicPartitions(), config.topicReplicationFactor());
            }
            RuntimeMetrics.Registry registry = RuntimeMetrics.newRegistry();
            PrometheusMeterRegistry metrics = registry.metrics();
            Started started = start(settings, platform, config, metrics);
            component = started.servesHttp() ? started.component()
                    : withOperationsEndpoint(started, settings, platform, metrics);
        } catch (Exception e) {
            System.err.println("careweave " + componentName() + ": could not start: " + e.getMessage());
            return 2;
        }
        out.println("careweave " + componentName() + ": running against Kafka at " + platform.kafka().describe());
        if (!platform.kafka().encrypted()) {
            out.println("careweave " + componentName() + ": warning: Kafka is reached without TLS; patient data crosses"
                    + " the network in clear unless the network itself is protected (kafka.client.config,"
                    + " docs/operations.md)");
        }
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
