package org.careweave.app;

import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;

/** {@code careweave sink}: person views into PostgreSQL. */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Write person views into PostgreSQL, against external Kafka, registry and database.")
final class SinkCommand extends ComponentCommand {

    @Override
    String componentName() {
        return "sink";
    }

    @Override
    Started start(SettingsSource settings, Platform platform, PlatformConfig config,
                  PrometheusMeterRegistry metrics) {
        var sink = StoreComponents.sink(settings, platform, config.topicPrefix(), metrics);
        return Started.withHealth(sink, sink.healthCheck());
    }
}
