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
     * Starts the API with the rest of the pipeline ({@code careweave up}): Kafka and the registry decide its
     * {@code /health} as the components passed do, since the pipeline in this process needs them. Embedded (a data
     * dir and no configured admin token file), an admin token is created in the data dir, readable by its owner only.
     */
    static ApiServer api(SettingsSource settings, Platform platform, String topicPrefix,
                         Optional<Path> embeddedDataDir, List<HealthCheck> components,
                         PrometheusMeterRegistry metrics) {
        return startApi(settings, platform, topicPrefix, embeddedDataDir,
                concat(HealthChecks.platform(StoreEndpoints.of(platform)), components), metrics);
    }

    /**
     * Starts the API on its own ({@code careweave api}), whose reads need only PostgreSQL: its {@code /health} is
     * decided by the database alone ({@link #standaloneApiHealth}), so that a Kafka or registry outage neither takes
     * every replica out of rotation nor restarts them.
     */
    static ApiServer standaloneApi(SettingsSource settings, Platform platform, String topicPrefix,
                                   PrometheusMeterRegistry metrics) {
        return startApi(settings, platform, topicPrefix, Optional.empty(),
                standaloneApiHealth(StoreEndpoints.of(platform)), metrics);
    }

    /**
     * Kafka and the registry, reported but {@linkplain HealthCheck#informational informational}: the API answers its
     * reads from PostgreSQL through an outage of either, and review decisions answer 503 on their own while Kafka is
     * away.
     */
    static List<HealthCheck> standaloneApiHealth(StoreEndpoints endpoints) {
        return HealthChecks.platform(endpoints).stream().map(HealthCheck::informational).toList();
    }

    private static List<HealthCheck> concat(List<HealthCheck> first, List<HealthCheck> second) {
        List<HealthCheck> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static ApiServer startApi(SettingsSource settings, Platform platform, String topicPrefix,
                                      Optional<Path> embeddedDataDir, List<HealthCheck> checks,
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
        return ApiServer.start(ApiConfig.from(effective), StoreEndpoints.of(platform), topicPrefix,
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
