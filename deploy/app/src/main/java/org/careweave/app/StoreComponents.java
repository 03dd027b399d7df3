package org.careweave.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.streams.KafkaStreams;
import org.careweave.platform.Platform;
import org.careweave.platform.config.SettingsSource;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.api.ApiConfig;
import org.careweave.store.api.ApiServer;
import org.careweave.store.auth.AdminToken;
import org.careweave.store.health.HealthCheck;
import org.careweave.store.health.HealthChecks;
import org.careweave.store.views.SinkConfig;
import org.careweave.store.views.SinkService;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The sink into PostgreSQL and the query API, started together or apart. */
final class StoreComponents {

    private StoreComponents() {
    }

    static SinkService sink(SettingsSource settings, Platform platform, String topicPrefix,
                            PrometheusMeterRegistry metrics) {
        return SinkService.start(SinkConfig.from(settings), StoreEndpoints.of(platform), topicPrefix, metrics);
    }

    /**
     * The file the API reads its admin token from, embedded: the configured one (api.admin.token.file), else the one
     * {@link #api} creates in the data dir. careweave up names it; benchmarks read the token from there.
     */
    static Path adminTokenFile(SettingsSource settings, Path dataDir) {
        return settings.isSet(ApiConfig.ADMIN_TOKEN_FILE) ? Path.of(settings.get(ApiConfig.ADMIN_TOKEN_FILE))
                : dataDir.resolve(AdminToken.FILE_NAME);
    }

    /**
     * Starts the API. Embedded (a data dir and no configured admin token file), an admin token is created in the
     * data dir, readable by its owner only.
     */
    static ApiServer api(SettingsSource settings, Platform platform, String topicPrefix,
                         Optional<Path> embeddedDataDir, List<HealthCheck> components,
                         PrometheusMeterRegistry metrics) {
        SettingsSource effective = settings;
        if (embeddedDataDir.isPresent() && !settings.isSet(ApiConfig.ADMIN_TOKEN_FILE)) {
            try {
                Path token = AdminToken.ensure(embeddedDataDir.get());
                effective = settings.with(Map.of(ApiConfig.ADMIN_TOKEN_FILE.key(), token.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the admin token", e);
            }
        }
        StoreEndpoints endpoints = StoreEndpoints.of(platform);
        List<HealthCheck> checks = new ArrayList<>(HealthChecks.platform(endpoints));
        checks.addAll(components);
        return ApiServer.start(ApiConfig.from(effective), endpoints, topicPrefix,
                new RetestRulesIntervals(ProcessorsConfig.retestRules(settings)), checks, metrics);
    }

    /** A Kafka Streams application is healthy while it runs or rebalances. */
    /** UP while RUNNING or REBALANCING; DOWN otherwise, with Kafka's refusal when that is why it stopped. */
    static HealthCheck streams(String name, Supplier<KafkaStreams.State> state, Supplier<Optional<String>> refusal) {
        return HealthCheck.of(name, () -> {
            KafkaStreams.State s = state.get();
            if (s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING) {
                return HealthCheck.Status.up(s.name());
            }
            return HealthCheck.Status.down(refusal.get().map(r -> s.name() + ": Kafka refused: " + r).orElse(s.name()));
        });
    }
}
