package org.careweave.store;

import java.util.Objects;

import org.careweave.platform.KafkaConnection;
import org.careweave.platform.Platform;

/**
 * The backing services the store talks to. A record rather than {@link Platform} so that a caller can point the store
 * at another database on the same server (tests compare two databases fed from one topic).
 */
public record StoreEndpoints(KafkaConnection kafka, String schemaRegistryUrl, String jdbcUrl, String jdbcUser,
                             String jdbcPassword) {

    public StoreEndpoints {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(jdbcUser, "jdbcUser");
        jdbcPassword = jdbcPassword == null ? "" : jdbcPassword;
    }

    public static StoreEndpoints of(Platform platform) {
        return new StoreEndpoints(platform.kafka(), platform.schemaRegistryUrl(), platform.jdbcUrl(),
                platform.jdbcUser(), platform.jdbcPassword());
    }

    public StoreEndpoints withJdbcUrl(String newJdbcUrl) {
        return new StoreEndpoints(kafka, schemaRegistryUrl, newJdbcUrl, jdbcUser, jdbcPassword);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "StoreEndpoints[kafka=" + kafka.describe() + ", registry=" + schemaRegistryUrl + ", jdbc=" + jdbcUrl
                + ", user=" + jdbcUser + "]";
    }
}
