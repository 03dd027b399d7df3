package org.careweave.app;

import org.careweave.ingest.mapping.MappingConfig;
import org.careweave.ingest.mapping.MappingService;
import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.processors.ProcessorsService;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;

/** {@code careweave process}: the mapping processor and the stream processors; state under the data dir. */
@Command(name = "process", mixinStandardHelpOptions = true,
        description = "Run the mapping, identity, results and views processors against external Kafka and registry.")
final class ProcessCommand extends ComponentCommand {

    @Override
    String componentName() {
        return "process";
    }

    @Override
    Started start(SettingsSource settings, Platform platform, PlatformConfig config,
                  PrometheusMeterRegistry metrics) {
        HeapAdvice.forProcessors(Runtime.getRuntime().maxMemory())
                .ifPresent(w -> System.err.println("careweave process: " + w));
        MappingConfig mappingConfig = MappingConfig.from(settings);
        ProcessorsConfig processorsConfig = ProcessorsConfig.from(settings);
        MappingService mapping = MappingService.start(mappingConfig, platform.kafka(),
                platform.schemaRegistryUrl(), config.topicPrefix(), config.topicReplicationFactor(),
                config.dataDir().resolve("streams"), metrics);
        ProcessorsService processors = ProcessorsService.start(processorsConfig,
                platform.kafka(), platform.schemaRegistryUrl(), config.topicPrefix(),
                config.topicReplicationFactor(), config.dataDir().resolve("streams"), metrics);
        ConsumerLagMetrics lag = ConsumerLagMetrics.start(platform.kafka(),
                java.util.List.of(mappingConfig.applicationId(), processorsConfig.applicationId()), metrics);
        return Started.withHealth(() -> {
            lag.close();
            processors.close();
            mapping.close();
        }, StoreComponents.streams("mapping", mapping::state, mapping::refusal),
                StoreComponents.streams("processors", processors::state, processors::refusal));
    }
}
