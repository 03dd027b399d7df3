package org.careweave.platform;

import java.util.Objects;

/** Endpoints of a Kafka cluster, registry and database that someone else runs; nothing to start or stop. */
public final class ExternalPlatform implements Platform {

    private final PlatformConfig.External endpoints;

    public ExternalPlatform(PlatformConfig.External endpoints) {
        this.endpoints = Objects.requireNonNull(endpoints, "external endpoints");
    }

    @Override
    public String kind() {
        return PlatformKind.EXTERNAL.label();
    }

    @Override
    public String bootstrapServers() {
        return endpoints.kafka().bootstrapServers();
    }

    @Override
    public KafkaConnection kafka() {
        return endpoints.kafka();
    }

    @Override
    public String schemaRegistryUrl() {
        return endpoints.schemaRegistryUrl();
    }

    @Override
    public String jdbcUrl() {
        return endpoints.jdbcUrl();
    }

    @Override
    public String jdbcUser() {
        return endpoints.jdbcUser();
    }

    @Override
    public String jdbcPassword() {
        return endpoints.jdbcPassword();
    }

    @Override
    public void close() {
        // Not ours to stop.
    }
}
