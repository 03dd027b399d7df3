package org.careweave.app;

import java.util.List;
import java.util.Optional;

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

    @Override
    Started start(SettingsSource settings, Platform platform, PlatformConfig config,
                  PrometheusMeterRegistry metrics) {
        ApiServer api = StoreComponents.api(settings, platform, config.topicPrefix(), Optional.empty(),
                List.of(), metrics);
        System.out.println("  api listening on " + api.baseUri());
        return new Started(api, List.of(), true);
    }
}
