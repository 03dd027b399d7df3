package org.careweave.app;

import org.careweave.ingest.IngestConfig;
import org.careweave.ingest.IngestService;
import org.careweave.ingest.batch.IntakeConfig;
import org.careweave.ingest.batch.IntakeDirectory;
import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;

/** {@code careweave ingest}: the MLLP listener (and the batch intake, when a directory is set). Stateless. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Run the MLLP listener and batch intake against external Kafka and registry.")
final class IngestCommand extends ComponentCommand {

    @Override
    String componentName() {
        return "ingest";
    }

    @Override
    Started start(SettingsSource settings, Platform platform, PlatformConfig config,
                  PrometheusMeterRegistry metrics) {
        IngestService ingest = IngestService.start(IngestConfig.from(settings), platform.kafka(),
                platform.schemaRegistryUrl(), config.topicPrefix(), metrics);
        var intake = IntakeDirectory.start(IntakeConfig.from(settings), ingest.ingestor());
        System.out.println("  mllp listening on port " + ingest.port());
        return Started.withHealth(() -> {
            intake.ifPresent(IntakeDirectory::close);
            ingest.close();
        });
    }
}
