package org.careweave.app;

import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;
import org.careweave.processors.secondary.SecondaryConfig;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.secondary.AnalystSink;
import org.careweave.store.views.SinkConfig;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;

/** {@code careweave sink}: person views into PostgreSQL. */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Write person views and the secondary-use stream into PostgreSQL, against external services.")
final class SinkCommand extends ComponentCommand {

    @Override
    String componentName() {
        return "sink";
    }

    @Override
    Started start(SettingsSource settings, Platform platform, PlatformConfig config,
                  PrometheusMeterRegistry metrics) {
        var sink = StoreComponents.sink(settings, platform, config.topicPrefix(), metrics);
        if (!settings.get(SecondaryConfig.ENABLED)) {
            return Started.withHealth(sink::close, sink.healthCheck());
        }
        AnalystSink analysts;
        try {
            analysts = AnalystSink.start(SinkConfig.from(settings), StoreEndpoints.of(platform), config.topicPrefix(),
                    metrics);
        } catch (RuntimeException e) {
            sink.close();
            throw e;
        }
        return Started.withHealth(() -> {
            analysts.close();
            sink.close();
        }, sink.healthCheck(), analysts.healthCheck());
    }
}
