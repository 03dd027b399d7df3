package org.careweave.ingest;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import org.careweave.platform.config.Setting;
import org.careweave.platform.config.SettingsSource;
import org.careweave.schemas.topics.Topics;

/** Ingest's configuration, in one typed place. The defaults work embedded: plain MLLP on 127.0.0.1:2575. */
public record IngestConfig(
        String host,
        int port,
        int maxMessageBytes,
        int maxConnections,
        Duration idleTimeout,
        Duration frameTimeout,
        Charset defaultCharset,
        boolean archiveUnsupportedTypes,
        ZoneId zone,
        int deliveryTimeoutMs,
        String compression,
        String ackApplication,
        String ackFacility,
        Optional<Tls> tls) {

    /** MLLP over TLS with client certificates; the allowlist ties each certificate to the facilities it may send for. */
    public record Tls(Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword,
                      Path allowlist) {
    }

    public static final Setting<String> HOST = Setting.text("mllp.host", "127.0.0.1",
            "Address the MLLP listener binds to.");
    public static final Setting<Integer> PORT = Setting.port("mllp.port", 2575, "MLLP listener port.");
    /**
     * The largest message the listener may be set to take: what hl7.raw and hl7.deadletter take
     * ({@link Topics#LARGE_RECORD_BYTES}), less room for the record's envelope.
     */
    public static final int LARGEST_MESSAGE_BYTES = Topics.LARGE_RECORD_BYTES - 64 * 1024;
    public static final Setting<Integer> MAX_MESSAGE_BYTES = Setting.integer("mllp.max.message.bytes", 1_048_576,
            "Largest message accepted; a larger one is answered AR and the connection closed. At most 16711680"
                    + " (what careweave's raw topic takes, less the record's envelope).");
    public static final Setting<Integer> MAX_CONNECTIONS = Setting.integer("mllp.max.connections", 1_000,
            "Most MLLP connections open at once; one more is closed as soon as it is accepted. Every connection"
                    + " holds a file descriptor of the process that also holds Kafka's and the database's.");
    public static final Setting<Integer> IDLE_TIMEOUT_SECONDS = Setting.integer("mllp.idle.timeout.seconds", 600,
            "A connection with no traffic for this long is closed.");
    public static final Setting<Integer> FRAME_TIMEOUT_SECONDS = Setting.integer("mllp.frame.timeout.seconds", 30,
            "A message must arrive completely within this time after its start block (slow-sender guard).");
    public static final Setting<String> DEFAULT_CHARSET = Setting.text("mllp.default.charset", "ISO-8859-1",
            "Charset of messages whose MSH-18 is empty (Java charset name).");
    public static final Setting<String> UNSUPPORTED_TYPES = Setting.text("ingest.unsupported.types", "reject",
            "What to do with message types careweave does not map: reject (AR) or archive (AA, kept in the raw"
                    + " topic only).");
    public static final Setting<String> ZONE = Setting.text("ingest.zone", "Europe/London",
            "Time zone of timestamps sent without an offset.");
    public static final Setting<Integer> DELIVERY_TIMEOUT_MS = Setting.integer("ingest.delivery.timeout.ms", 15_000,
            "How long ingest waits for Kafka to acknowledge a write before answering AE (so the sender resends).");
    /** What Kafka's producer accepts as compression.type. */
    private static final List<String> COMPRESSIONS = List.of("none", "lz4", "zstd", "snappy", "gzip");
    public static final Setting<String> COMPRESSION = Setting.text("ingest.compression", "none",
            "Compression of what ingest writes to Kafka (the raw and dead-letter topics): none, lz4, zstd, snappy"
                    + " or gzip. A feed sends one message at a time, so a batch is usually one message, which"
                    + " compresses little and costs CPU and latency; worth it for bulk loads.");
    public static final Setting<String> ACK_APPLICATION = Setting.text("ingest.ack.application", "CAREWEAVE",
            "MSH-3 of ACKs when the message named no receiving application.");
    public static final Setting<String> ACK_FACILITY = Setting.text("ingest.ack.facility", "CAREWEAVE",
            "MSH-4 of ACKs when the message named no receiving facility.");
    public static final Setting<String> TLS_KEY_STORE = Setting.text("mllp.tls.key.store", "",
            "PKCS#12 key store with the listener's certificate; set it to turn on MLLP over TLS.");
    public static final Setting<String> TLS_KEY_STORE_PASSWORD = Setting.text("mllp.tls.key.store.password", "",
            "Password of the key store.");
    public static final Setting<String> TLS_TRUST_STORE = Setting.text("mllp.tls.trust.store", "",
            "PKCS#12 trust store of the CAs (or certificates) whose clients may connect.");
    public static final Setting<String> TLS_TRUST_STORE_PASSWORD = Setting.text("mllp.tls.trust.store.password", "",
            "Password of the trust store.");
    public static final Setting<String> TLS_ALLOWLIST = Setting.text("mllp.tls.allowlist", "",
            "File tying client certificate subjects to the sending facilities (MSH-4) they may send for.");

    public static List<Setting<?>> settings() {
        return List.of(HOST, PORT, MAX_MESSAGE_BYTES, MAX_CONNECTIONS, IDLE_TIMEOUT_SECONDS, FRAME_TIMEOUT_SECONDS,
                DEFAULT_CHARSET, UNSUPPORTED_TYPES, ZONE, DELIVERY_TIMEOUT_MS, COMPRESSION, ACK_APPLICATION,
                ACK_FACILITY, TLS_KEY_STORE, TLS_KEY_STORE_PASSWORD, TLS_TRUST_STORE, TLS_TRUST_STORE_PASSWORD,
                TLS_ALLOWLIST);
    }

    public static IngestConfig from(SettingsSource source) {
        String unsupported = source.get(UNSUPPORTED_TYPES);
        if (!unsupported.equals("reject") && !unsupported.equals("archive")) {
            throw new IllegalArgumentException(UNSUPPORTED_TYPES.key() + " must be reject or archive");
        }
        String compression = source.get(COMPRESSION);
        if (!COMPRESSIONS.contains(compression)) {
            throw new IllegalArgumentException(COMPRESSION.key() + " must be one of "
                    + String.join(", ", COMPRESSIONS));
        }
        Optional<Tls> tls = Optional.empty();
        String keyStore = source.get(TLS_KEY_STORE);
        if (!keyStore.isBlank()) {
            String allowlist = source.get(TLS_ALLOWLIST);
            if (allowlist.isBlank()) {
                throw new IllegalArgumentException("MLLP over TLS needs " + TLS_ALLOWLIST.key()
                        + ": which facilities each client certificate may send for");
            }
            tls = Optional.of(new Tls(Path.of(keyStore), source.get(TLS_KEY_STORE_PASSWORD),
                    Path.of(source.get(TLS_TRUST_STORE)), source.get(TLS_TRUST_STORE_PASSWORD), Path.of(allowlist)));
        }
        int maxMessageBytes = source.get(MAX_MESSAGE_BYTES);
        if (maxMessageBytes > LARGEST_MESSAGE_BYTES) {
            throw new IllegalArgumentException(MAX_MESSAGE_BYTES.key() + ": " + maxMessageBytes + " is more than"
                    + " careweave's topics take with the record's envelope (at most " + LARGEST_MESSAGE_BYTES + ")");
        }
        int maxConnections = source.get(MAX_CONNECTIONS);
        if (maxConnections < 1) {
            throw new IllegalArgumentException(MAX_CONNECTIONS.key() + " must be at least 1");
        }
        return new IngestConfig(source.get(HOST), source.get(PORT), maxMessageBytes, maxConnections,
                Duration.ofSeconds(source.get(IDLE_TIMEOUT_SECONDS)),
                Duration.ofSeconds(source.get(FRAME_TIMEOUT_SECONDS)),
                Charset.forName(source.get(DEFAULT_CHARSET)), unsupported.equals("archive"),
                ZoneId.of(source.get(ZONE)), source.get(DELIVERY_TIMEOUT_MS), compression,
                source.get(ACK_APPLICATION), source.get(ACK_FACILITY), tls);
    }

    public static IngestConfig defaults() {
        return from(SettingsSource.of(java.util.Map.of()));
    }

    public IngestConfig withPort(int newPort) {
        return new IngestConfig(host, newPort, maxMessageBytes, maxConnections, idleTimeout, frameTimeout,
                defaultCharset, archiveUnsupportedTypes, zone, deliveryTimeoutMs, compression, ackApplication,
                ackFacility, tls);
    }

    public IngestConfig withTls(Tls newTls) {
        return new IngestConfig(host, port, maxMessageBytes, maxConnections, idleTimeout, frameTimeout,
                defaultCharset, archiveUnsupportedTypes, zone, deliveryTimeoutMs, compression, ackApplication,
                ackFacility, Optional.of(newTls));
    }

    public IngestConfig withLimits(int newMaxMessageBytes, Duration newIdleTimeout, Duration newFrameTimeout) {
        return new IngestConfig(host, port, newMaxMessageBytes, maxConnections, newIdleTimeout, newFrameTimeout,
                defaultCharset, archiveUnsupportedTypes, zone, deliveryTimeoutMs, compression, ackApplication,
                ackFacility, tls);
    }

    public IngestConfig withDeliveryTimeoutMs(int newDeliveryTimeoutMs) {
        return new IngestConfig(host, port, maxMessageBytes, maxConnections, idleTimeout, frameTimeout,
                defaultCharset, archiveUnsupportedTypes, zone, newDeliveryTimeoutMs, compression, ackApplication,
                ackFacility, tls);
    }

    public IngestConfig withMaxConnections(int newMaxConnections) {
        return new IngestConfig(host, port, maxMessageBytes, newMaxConnections, idleTimeout, frameTimeout,
                defaultCharset, archiveUnsupportedTypes, zone, deliveryTimeoutMs, compression, ackApplication,
                ackFacility, tls);
    }
}
