package org.careweave.app;

import java.util.List;

import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;
import org.careweave.store.api.ApiServer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Command;

/** {@code careweave api}: the query API over the PostgreSQL store. Stateless; scale it out. */
@Command(name = "api", mixinStandardHelpOptions = true,
        description = "Serve the query API (persons, results, recent tests, the identity review queue, health, metrics)"
                + " from PostgreSQL.")
final class ApiCommand extends ComponentCommand {

    @Override
    String componentName() {
        return "api";
    }

    /** Reads need only PostgreSQL: the API starts, and serves, while Kafka is away (docs/operations.md). */
    @Override
    boolean needsTopicsAtStart() {
        return false;
    }

    @Override
    Started start(SettingsSource settings, Platform platform, PlatformConfig config,
                  PrometheusMeterRegistry metrics) {
        ApiServer api = StoreComponents.standaloneApi(settings, platform, config.topicPrefix(), metrics);
        System.out.println("  api listening on " + api.baseUri());
        return new Started(api, List.of(), true);
    }
}
