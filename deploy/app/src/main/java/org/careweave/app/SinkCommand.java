package org.careweave.app;

import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;

import io.micrometer.prometheusmetrics.PrometheusConfig;
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
    AutoCloseable start(SettingsSource settings, Platform platform, PlatformConfig config) {
        return StoreComponents.sink(settings, platform, config.topicPrefix(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }
}
