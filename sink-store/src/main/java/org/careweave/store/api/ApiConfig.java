package org.careweave.store.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.careweave.platform.config.Setting;
import org.careweave.platform.config.SettingsSource;

/**
 * The query API's configuration, in one typed place. Listens on loopback unless told otherwise; speaks HTTPS only
 * when given a key store.
 */
public record ApiConfig(String host, int port, Optional<Path> tokensFile, Optional<Path> adminTokenFile,
                        int databasePoolSize, Duration healthTimeout, Optional<Tls> tls, List<String> corsOrigins,
                        int maxConnections) {

    public ApiConfig {
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** The API's own certificate and key, as a PKCS#12 key store. */
    public record Tls(Path keyStore, String keyStorePassword) {
    }

    public static final Setting<String> HOST = Setting.text("api.host", "127.0.0.1",
            "Address the HTTP API binds to.");
    public static final Setting<Integer> PORT = Setting.port("api.port", 8080, "HTTP API port (0: any free port).");
    public static final Setting<String> TOKENS_FILE = Setting.text("api.tokens.file", "",
            "File of API tokens as SHA-256 hashes with role and subject, one per line (docs/api.md); re-read when it"
                    + " changes.");
    public static final Setting<String> ADMIN_TOKEN_FILE = Setting.text("api.admin.token.file", "",
            "File holding one admin token in clear (embedded: <data dir>/admin.token, created by careweave up).");
    public static final Setting<Integer> DATABASE_POOL_SIZE = Setting.integer("api.db.pool.size", 8,
            "Database connections the API may hold at once.");
    public static final Setting<Integer> HEALTH_TIMEOUT_MS = Setting.integer("api.health.timeout.ms", 3_000,
            "How long /health waits for a component's check before reporting it DOWN.");

    public static final Setting<String> TLS_KEY_STORE = Setting.text("api.tls.key.store", "",
            "PKCS#12 key store with the API's certificate and key; set it to serve HTTPS (TLS 1.2/1.3) instead of"
                    + " HTTP.");
    public static final Setting<String> TLS_KEY_STORE_PASSWORD = Setting.text("api.tls.key.store.password", "",
            "Password of the API's key store.");

    public static final Setting<String> CORS_ORIGINS = Setting.text("api.cors.origins", "",
            "Web origins (scheme://host[:port], comma-separated) whose browser apps may call the API directly (CORS);"
                    + " empty: none. Never *: the API serves patient data.");

    public static final Setting<Integer> MAX_CONNECTIONS = Setting.integer("api.max.connections", 1_000,
            "Most HTTP connections open at once; beyond it the API stops accepting until one closes. Every"
                    + " connection holds a file descriptor of the process that also holds Kafka's and the database's.");

    public static List<Setting<?>> settings() {
        return List.of(HOST, PORT, TOKENS_FILE, ADMIN_TOKEN_FILE, DATABASE_POOL_SIZE, HEALTH_TIMEOUT_MS,
                TLS_KEY_STORE, TLS_KEY_STORE_PASSWORD, CORS_ORIGINS, MAX_CONNECTIONS);
    }

    public static ApiConfig from(SettingsSource source) {
        String keyStore = source.get(TLS_KEY_STORE);
        Optional<Tls> tls = keyStore.isBlank() ? Optional.empty()
                : Optional.of(new Tls(Path.of(keyStore), source.get(TLS_KEY_STORE_PASSWORD)));
        return new ApiConfig(source.get(HOST), source.get(PORT), path(source.get(TOKENS_FILE)),
                path(source.get(ADMIN_TOKEN_FILE)), source.get(DATABASE_POOL_SIZE),
                Duration.ofMillis(source.get(HEALTH_TIMEOUT_MS)), tls, origins(source.get(CORS_ORIGINS)),
                maxConnections(source.get(MAX_CONNECTIONS)));
    }

    /**
     * The origins a browser may call the API from. Each must be an origin and nothing more, so that a typo is refused
     * at start rather than leaving an app locked out, and {@code *} is refused: any web page could then have a
     * clinician's browser read records with a token it holds.
     */
    static List<String> origins(String text) {
        List<String> origins = new ArrayList<>();
        for (String part : text.split(",")) {
            String origin = part.strip();
            if (origin.isEmpty()) {
                continue;
            }
            if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                throw new IllegalArgumentException(CORS_ORIGINS.key() + ": " + origin + " is not an origin"
                        + " (scheme://host[:port], no path; * is never allowed)");
            }
            origins.add(origin);
        }
        return List.copyOf(origins);
    }

    private static int maxConnections(int value) {
        if (value < 1) {
            throw new IllegalArgumentException(MAX_CONNECTIONS.key() + " must be at least 1");
        }
        return value;
    }

    public static ApiConfig defaults() {
        return from(SettingsSource.of(Map.of()));
    }

    public ApiConfig withPort(int newPort) {
        return new ApiConfig(host, newPort, tokensFile, adminTokenFile, databasePoolSize, healthTimeout, tls,
                corsOrigins, maxConnections);
    }

    public ApiConfig withTokensFile(Path file) {
        return new ApiConfig(host, port, Optional.of(file), adminTokenFile, databasePoolSize, healthTimeout, tls,
                corsOrigins, maxConnections);
    }

    public ApiConfig withAdminTokenFile(Path file) {
        return new ApiConfig(host, port, tokensFile, Optional.of(file), databasePoolSize, healthTimeout, tls,
                corsOrigins, maxConnections);
    }

    public ApiConfig withTls(Tls newTls) {
        return new ApiConfig(host, port, tokensFile, adminTokenFile, databasePoolSize, healthTimeout,
                Optional.of(newTls), corsOrigins, maxConnections);
    }

    public ApiConfig withCorsOrigins(List<String> origins) {
        return new ApiConfig(host, port, tokensFile, adminTokenFile, databasePoolSize, healthTimeout, tls, origins,
                maxConnections);
    }

    public ApiConfig withMaxConnections(int newMaxConnections) {
        return new ApiConfig(host, port, tokensFile, adminTokenFile, databasePoolSize, healthTimeout, tls,
                corsOrigins, maxConnections(newMaxConnections));
    }

    private static Optional<Path> path(String text) {
        return text.isBlank() ? Optional.empty() : Optional.of(Path.of(text));
    }
}
