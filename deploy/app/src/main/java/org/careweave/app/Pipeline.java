package org.careweave.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.careweave.ingest.IngestConfig;
import org.careweave.ingest.IngestService;
import org.careweave.ingest.batch.IntakeConfig;
import org.careweave.ingest.batch.IntakeDirectory;
import org.careweave.ingest.mapping.MappingConfig;
import org.careweave.ingest.mapping.MappingService;
import org.careweave.platform.EmbeddedPlatform;
import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.processors.ProcessorsService;
import org.careweave.processors.secondary.PseudonymKey;
import org.careweave.processors.secondary.SecondaryConfig;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.api.ApiServer;
import org.careweave.store.health.HealthCheck;
import org.careweave.store.secondary.AnalystSink;
import org.careweave.store.views.SinkConfig;
import org.careweave.store.views.SinkService;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * careweave's own components on an embedded platform, in the order data flows: processors first (so nothing waits
 * for them), then the store and API, and ingest last, so that a message is only accepted once everything that
 * handles it is running. They stop in the reverse order. The stream groups' members left by an earlier run are taken
 * out first ({@link AbandonedMembers}): the platform is this process's own.
 */
final class Pipeline implements AutoCloseable {

    private final Deque<AutoCloseable> running;
    private final String mllpAddress;
    private final String apiAddress;
    private final Path adminToken;

    private Pipeline(Deque<AutoCloseable> running, String mllpAddress, String apiAddress, Path adminToken) {
        this.running = running;
        this.mllpAddress = mllpAddress;
        this.apiAddress = apiAddress;
        this.adminToken = adminToken;
    }

    static Pipeline start(SettingsSource settings, Platform platform, PlatformConfig platformConfig, Path dataDir,
                          PrintStream progress) {
        RuntimeMetrics.Registry registry = RuntimeMetrics.newRegistry();
        PrometheusMeterRegistry metrics = registry.metrics();
        String prefix = platformConfig.topicPrefix();
        short replication = platformConfig.topicReplicationFactor();
        Deque<AutoCloseable> running = new ArrayDeque<>();
        running.push(registry.runtime());
        try {
            MappingConfig mappingConfig = MappingConfig.from(settings);
            ProcessorsConfig processorsConfig = ProcessorsConfig.from(withPseudonymKey(settings, dataDir));
            AbandonedMembers.remove(platform.kafka().clientConfig(),
                    List.of(mappingConfig.applicationId(), processorsConfig.applicationId()));
            MappingService mapping = MappingService.start(mappingConfig, platform.kafka(),
                    platform.schemaRegistryUrl(), prefix, replication, dataDir.resolve("streams"), metrics);
            running.push(mapping);
            progress.printf("  %-16s started (%s)%n", "mapping", mappingConfig.applicationId());

            ProcessorsService processors = ProcessorsService.start(processorsConfig, platform.kafka(),
                    platform.schemaRegistryUrl(), prefix, replication, dataDir.resolve("streams"), metrics);
            running.push(processors);
            progress.printf("  %-16s started (%s: identity, results, views%s)%n", "processors",
                    processorsConfig.applicationId(),
                    processorsConfig.secondary().isPresent() ? ", secondary use" : "");

            running.push(ConsumerLagMetrics.start(platform.kafka(),
                    List.of(mappingConfig.applicationId(), processorsConfig.applicationId()), metrics));

            SinkService sink = StoreComponents.sink(settings, platform, prefix, metrics);
            running.push(sink);
            progress.printf("  %-16s writing person views to %s%n", "sink", platform.jdbcUrl());

            if (platform instanceof EmbeddedPlatform embedded) {
                FunctionCounter.builder("careweave.platform.restarts", embedded, EmbeddedPlatform::registryRestarts)
                        .description("Embedded children started again after they exited on their own")
                        .tag("component", "schema-registry").register(metrics);
                FunctionCounter.builder("careweave.platform.restarts", embedded, EmbeddedPlatform::databaseRestarts)
                        .description("Embedded children started again after they exited on their own")
                        .tag("component", "postgresql").register(metrics);
            }
            DiskSpace disk = DiskSpace.watch(dataDir, platformConfig.minFreeBytes(), metrics);
            running.push(disk);
            List<HealthCheck> health = new ArrayList<>(List.of(sink.healthCheck(), disk.healthCheck()));
            if (processorsConfig.secondary().isPresent()) {
                AnalystSink analystSink = AnalystSink.start(SinkConfig.from(settings), StoreEndpoints.of(platform),
                        prefix, metrics);
                running.push(analystSink);
                health.add(analystSink.healthCheck());
                progress.printf("  %-16s writing the secondary-use stream to analyst tables%n", "analyst sink");
            } else {
                progress.printf("  %-16s off (secondary.enabled=false)%n", "secondary use");
            }
            health.add(StoreComponents.streams("mapping", mapping::state, mapping::refusal));
            health.add(StoreComponents.streams("processors", processors::state, processors::refusal));
            ApiServer api = StoreComponents.api(settings, platform, prefix, Optional.of(dataDir), health,
                    metrics);
            running.push(api);
            String apiAddress = api.baseUri().toString();
            progress.printf("  %-16s listening on %s%n", "api", apiAddress);

            IngestConfig ingestConfig = IngestConfig.from(settings);
            IngestService ingest = IngestService.start(ingestConfig, platform.kafka(),
                    platform.schemaRegistryUrl(), prefix, metrics, disk);
            running.push(ingest);
            String mllpAddress = ingestConfig.host() + ":" + ingest.port()
                    + (ingestConfig.tls().isPresent() ? " (TLS)" : "");
            progress.printf("  %-16s listening on %s%n", "mllp", mllpAddress);

            // Embedded, GP extracts dropped under the data dir are picked up without any setting.
            IntakeConfig configured = IntakeConfig.from(settings);
            IntakeConfig intakeConfig = configured.enabled() ? configured
                    : configured.withDirectory(dataDir.resolve("intake"));
            IntakeDirectory.start(intakeConfig, ingest.ingestor()).ifPresent(running::push);
            progress.printf("  %-16s watching %s%n", "batch intake", intakeConfig.directory().orElseThrow());
            return new Pipeline(running, mllpAddress, apiAddress, StoreComponents.adminTokenFile(settings, dataDir));
        } catch (RuntimeException e) {
            closeAll(running);
            throw e;
        }
    }

    /**
     * Embedded, nobody configures a secret, so the pseudonym key is generated into the data dir once and kept there:
     * pseudonyms stay the same across restarts. A configured key wins.
     */
    static SettingsSource withPseudonymKey(SettingsSource settings, Path dataDir) {
        if (settings.isSet(SecondaryConfig.PSEUDONYM_KEY) || !settings.get(SecondaryConfig.ENABLED)) {
            return settings;
        }
        return settings.with(Map.of(SecondaryConfig.PSEUDONYM_KEY.key(), PseudonymKey.ensure(dataDir).text()));
    }

    String mllpAddress() {
        return mllpAddress;
    }

    String apiAddress() {
        return apiAddress;
    }

    /** The admin token file the API reads: the configured one, or the one created in the data dir. */
    Path adminToken() {
        return adminToken;
    }

    @Override
    public void close() {
        closeAll(running);
    }

    private static void closeAll(Deque<AutoCloseable> running) {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                System.err.println("careweave: error while stopping: " + e.getMessage());
            }
        }
    }
}
