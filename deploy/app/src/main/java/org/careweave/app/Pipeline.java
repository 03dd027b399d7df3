package org.careweave.app;

import java.io.PrintStream;
import java.nio.file.Path;

import org.careweave.ingest.IngestConfig;
import org.careweave.ingest.IngestService;
import org.careweave.ingest.mapping.MappingConfig;
import org.careweave.ingest.mapping.MappingService;
import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** careweave's own components on a platform: ingest (MLLP) and the mapping processor. */
final class Pipeline implements AutoCloseable {

    private final IngestService ingest;
    private final MappingService mapping;
    private final String mllpAddress;

    private Pipeline(IngestService ingest, MappingService mapping, String mllpAddress) {
        this.ingest = ingest;
        this.mapping = mapping;
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
        try {
            IngestService ingest = IngestService.start(ingestConfig, platform.bootstrapServers(),
                    platform.schemaRegistryUrl(), platformConfig.topicPrefix(), metrics);
            String address = ingestConfig.host() + ":" + ingest.port() + (ingestConfig.tls().isPresent()
                    ? " (TLS)" : "");
            progress.printf("  %-16s listening on %s%n", "mllp", address);
            return new Pipeline(ingest, mapping, address);
        } catch (RuntimeException e) {
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
        ingest.close();
        mapping.close();
    }
}
