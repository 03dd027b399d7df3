package org.careweave.schemas.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Everything the registry client is configured with, parsed once from Kafka-style configs.
 *
 * <p>The keys are Confluent's, so producer and consumer configs written for Confluent's serdes work unchanged.
 *
 * @param urls registry base URLs without credentials, tried in order on connection failure
 * @param basicAuthUserInfo {@code user:password} for HTTP Basic authentication, if any
 * @param connectTimeout how long to wait for a TCP/TLS connection to one URL
 * @param requestTimeout how long to wait for one whole HTTP answer
 * @param latestCacheTtl how long an answer to "latest version of subject" is reused; empty = for ever (Confluent's -1)
 */
public record RegistryClientConfig(
        List<URI> urls,
        Optional<String> basicAuthUserInfo,
        Duration connectTimeout,
        Duration requestTimeout,
        Optional<Duration> latestCacheTtl) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";

    /** Confluent's defaults. */
    public static final String DEFAULT_CREDENTIALS_SOURCE = "URL";
    public static final long DEFAULT_TIMEOUT_MS = 60_000;
    public static final long DEFAULT_LATEST_CACHE_TTL_SEC = -1;

    public RegistryClientConfig {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " must name at least one registry URL");
        }
        requirePositive(connectTimeout, HTTP_CONNECT_TIMEOUT_MS);
        requirePositive(requestTimeout, HTTP_READ_TIMEOUT_MS);
    }

    /** Reads the keys above from Kafka-style configs (values may be strings, numbers, lists or {@link Password}s). */
    public static RegistryClientConfig fromConfigs(Map<String, ?> configs) {
        List<URI> rawUrls = parseUrls(configs.get(SCHEMA_REGISTRY_URL));
        String source = Optional.ofNullable(text(configs.get(BASIC_AUTH_CREDENTIALS_SOURCE)))
                .filter(s -> !s.isBlank())
                .orElse(DEFAULT_CREDENTIALS_SOURCE)
                .trim()
                .toUpperCase(Locale.ROOT);
        Optional<String> userInfo = switch (source) {
            case "USER_INFO" -> Optional.of(requireUserInfo(text(configs.get(BASIC_AUTH_USER_INFO))));
            case "URL" -> rawUrls.stream().map(URI::getUserInfo).filter(u -> u != null && !u.isEmpty()).findFirst();
            default -> throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE + " '" + source
                    + "' is not supported: use USER_INFO or URL");
        };
        return new RegistryClientConfig(
                rawUrls.stream().map(RegistryClientConfig::withoutUserInfo).toList(),
                userInfo,
                Duration.ofMillis(longValue(configs, HTTP_CONNECT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS)),
                Duration.ofMillis(longValue(configs, HTTP_READ_TIMEOUT_MS, DEFAULT_TIMEOUT_MS)),
                ttl(longValue(configs, LATEST_CACHE_TTL_SEC, DEFAULT_LATEST_CACHE_TTL_SEC)));
    }

    /** The value of the HTTP {@code Authorization} header, when Basic authentication is configured. */
    public Optional<String> authorizationHeader() {
        return basicAuthUserInfo.map(BasicAuth::headerValue);
    }

    /** Never prints the credentials: configs end up in logs. */
    @Override
    public String toString() {
        return "RegistryClientConfig[urls=" + urls
                + ", basicAuth=" + (basicAuthUserInfo.isPresent() ? "configured" : "none")
                + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout
                + ", latestCacheTtl=" + latestCacheTtl.map(Duration::toString).orElse("never expires") + "]";
    }

    private static List<URI> parseUrls(Object value) {
        List<String> parts = new ArrayList<>();
        if (value instanceof Collection<?> list) {
            list.forEach(item -> parts.addAll(List.of(String.valueOf(item).split(","))));
        } else if (value != null) {
            parts.addAll(List.of(String.valueOf(value).split(",")));
        }
        List<URI> urls = new ArrayList<>();
        for (String part : parts) {
            String trimmed = part.trim();
            if (!trimmed.isEmpty()) {
                urls.add(parseUrl(trimmed));
            }
        }
        if (urls.isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " is required (comma-separated registry base URLs)");
        }
        return urls;
    }

    private static URI parseUrl(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            // The text may carry user:password: name the key, not the value.
            throw new ConfigException(SCHEMA_REGISTRY_URL + " holds a value that is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " must hold http(s)://host[:port][/path] URLs, got "
                    + withoutUserInfo(uri));
        }
        return uri;
    }

    /** Credentials in a URL are for the Authorization header only, never for requests, messages or logs. */
    static URI withoutUserInfo(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        StringBuilder text = new StringBuilder()
                .append(uri.getScheme()).append("://").append(uri.getHost());
        if (uri.getPort() >= 0) {
            text.append(':').append(uri.getPort());
        }
        return URI.create(text.append(path).toString());
    }

    private static String requireUserInfo(String userInfo) {
        if (userInfo == null || userInfo.isBlank()) {
            throw new ConfigException(BASIC_AUTH_USER_INFO + " must be set (user:password) when "
                    + BASIC_AUTH_CREDENTIALS_SOURCE + " is USER_INFO");
        }
        if (!userInfo.contains(":")) {
            throw new ConfigException(BASIC_AUTH_USER_INFO + " must have the form user:password");
        }
        return userInfo;
    }

    private static Optional<Duration> ttl(long seconds) {
        return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    }

    private static long longValue(Map<String, ?> configs, String key, long defaultValue) {
        Object value = configs.get(key);
        if (value == null || value instanceof String s && s.isBlank()) {
            return defaultValue;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "must be a whole number");
        }
    }

    private static String text(Object value) {
        if (value instanceof Password password) {
            return password.value();
        }
        return value == null ? null : String.valueOf(value);
    }

    private static void requirePositive(Duration duration, String key) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new ConfigException(key + " must be more than zero");
        }
    }
}
