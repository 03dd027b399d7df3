package org.careweave.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

import org.careweave.ingest.IngestConfig;
import org.careweave.ingest.IngestService;
import org.careweave.ingest.batch.IntakeConfig;
import org.careweave.ingest.batch.IntakeDirectory;
import org.careweave.ingest.mapping.MappingConfig;
import org.careweave.ingest.mapping.MappingService;
import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.processors.ProcessorsService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** careweave's own components on a platform: ingest (MLLP) and the mapping processor. */
final class Pipeline implements AutoCloseable {

    private final IngestService ingest;
    private final MappingService mapping;
    private final ProcessorsService processors;
    private final Optional<IntakeDirectory> intake;
    private final String mllpAddress;

    private Pipeline(IngestService ingest, MappingService mapping, ProcessorsService processors,
                     Optional<IntakeDirectory> intake, String mllpAddress) {
        this.ingest = ingest;
        this.mapping = mapping;
        this.processors = processors;
        this.intake = intake;
        this.mllpAddress = mllpAddress;
    }

    static Pipeline start(SettingsSource settings, Platform platform, PlatformConfig platformConfig, Path dataDir,
                          PrintStream progress) {
        MeterRegistry metrics = new SimpleMeterRegistry();
        IngestConfig ingestConfig = IngestConfig.from(settings);
        MappingConfig mappingConfig = MappingConfig.from(settings);
        MappingService mapping = MappingService.start(mappingConfig, platform.bootstrapServers(),
                platform.schemaRegistryUrl(), platformConfig.topicPrefix(), platformConfig.topicReplicationFactor(),
                dataDir.resolve("streams"), metrics);
        progress.printf("  %-16s started (%s)%n", "mapping", mappingConfig.applicationId());
        ProcessorsConfig processorsConfig = ProcessorsConfig.from(settings);
        ProcessorsService processors = ProcessorsService.start(processorsConfig, platform.bootstrapServers(),
                platform.schemaRegistryUrl(), platformConfig.topicPrefix(), platformConfig.topicReplicationFactor(),
                dataDir.resolve("streams"), metrics);
        progress.printf("  %-16s started (%s: identity, results, views)%n", "processors",
                processorsConfig.applicationId());
        try {
            IngestService ingest = IngestService.start(ingestConfig, platform.bootstrapServers(),
                    platform.schemaRegistryUrl(), platformConfig.topicPrefix(), metrics);
            String address = ingestConfig.host() + ":" + ingest.port() + (ingestConfig.tls().isPresent()
                    ? " (TLS)" : "");
            progress.printf("  %-16s listening on %s%n", "mllp", address);
            // Embedded, GP extracts dropped under the data dir are picked up without any setting.
            IntakeConfig configured = IntakeConfig.from(settings);
            IntakeConfig intakeConfig = configured.enabled() ? configured
                    : configured.withDirectory(dataDir.resolve("intake"));
            Optional<IntakeDirectory> intake = IntakeDirectory.start(intakeConfig, ingest.ingestor());
            progress.printf("  %-16s watching %s%n", "batch intake", intakeConfig.directory().orElseThrow());
            return new Pipeline(ingest, mapping, processors, intake, address);
        } catch (RuntimeException e) {
            processors.close();
            mapping.close();
            throw e;
        }
    }

    String mllpAddress() {
        return mllpAddress;
    }

    /** Ingest first, so nothing new is accepted, then the processors. */
    @Override
    public void close() {
        intake.ifPresent(IntakeDirectory::close);
        ingest.close();
        mapping.close();
        processors.close();
    }
}
