package org.careweave.platform;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How careweave's Kafka clients reach the cluster: its bootstrap servers and, for a secured cluster, the connection
 * settings every client must carry (TLS, SASL). Every producer, consumer, admin client and Kafka Streams application
 * careweave creates starts from {@link #clientConfig()}, so that none of them can be the one left on plaintext.
 *
 * <p>Only {@code security.protocol}, {@code ssl.*} and {@code sasl.*} may be given: the settings careweave's guarantees
 * rest on (acks, idempotence, transactions, isolation level, serialisers) are its own and cannot be overridden here.
 *
 * @param bootstrapServers host:port[,host:port…]
 * @param clientSettings   security settings added to every client's configuration; empty for a plaintext cluster
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientSettings) {

    public static final String SECURITY_PROTOCOL = "security.protocol";
    private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

    public KafkaConnection {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers must be given");
        }
        Map<String, String> checked = new TreeMap<>();
        clientSettings.forEach((key, value) -> checked.put(checkedKey(key), Objects.requireNonNull(value, key)));
        String protocol = checked.get(SECURITY_PROTOCOL);
        if (protocol != null) {
            String normalised = protocol.strip().toUpperCase(Locale.ROOT);
            if (!PROTOCOLS.contains(normalised)) {
                throw new IllegalArgumentException(SECURITY_PROTOCOL + " '" + protocol + "' is not one of "
                        + PROTOCOLS);
            }
            checked.put(SECURITY_PROTOCOL, normalised);
        }
        clientSettings = Map.copyOf(checked);
    }

    /** A cluster reached without TLS or SASL (the embedded broker on loopback). */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /**
     * Reads the security settings from a Java properties file, the form Kafka's own tools take
     * ({@code --command-config}). The file holds secrets (key store and SASL passwords): keep it readable by the
     * service's user only.
     */
    public static KafkaConnection withSettingsFile(String bootstrapServers, Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the Kafka client settings file " + file + ": " + e, e);
        }
        Map<String, String> settings = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key).strip()));
        try {
            return new KafkaConnection(bootstrapServers, settings);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** A new, mutable client configuration (bootstrap servers and security settings) for one client to add to. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(clientSettings);
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }

    public String securityProtocol() {
        return clientSettings.getOrDefault(SECURITY_PROTOCOL, "PLAINTEXT");
    }

    /** Whether what careweave writes to and reads from Kafka crosses the network encrypted. */
    public boolean encrypted() {
        return securityProtocol().endsWith("SSL");
    }

    /** For startup output and logs: where, and how protected; never a password or a JAAS line. */
    public String describe() {
        String mechanism = securityProtocol().startsWith("SASL")
                ? ", " + clientSettings.getOrDefault("sasl.mechanism", "GSSAPI") : "";
        return bootstrapServers + " (" + securityProtocol() + mechanism + ")";
    }

    @Override
    public String toString() {
        return "KafkaConnection[" + describe() + "]";
    }

    private static String checkedKey(String key) {
        String k = key.strip();
        if (k.equals(SECURITY_PROTOCOL) || k.startsWith("ssl.") || k.startsWith("sasl.")) {
            return k;
        }
        throw new IllegalArgumentException("'" + k + "' is not a Kafka connection setting careweave passes on: only "
                + SECURITY_PROTOCOL + ", ssl.* and sasl.* may be given (careweave sets the others itself)");
    }
}
