package org.careweave.store.views;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.careweave.platform.config.Setting;
import org.careweave.platform.config.SettingsSource;

/** The sink's configuration, in one typed place. */
public record SinkConfig(int pollRecords, Duration pollTimeout, Duration retryBackoff, ZoneId zone, long maxHealthyLag,
                         String clientId) {

    public static final Setting<Integer> POLL_RECORDS = Setting.integer("sink.poll.records", 500,
            "Most records the sink writes in one database transaction (with their consumer positions).");
    public static final Setting<Integer> POLL_TIMEOUT_MS = Setting.integer("sink.poll.timeout.ms", 500,
            "How long one poll of person.views waits for records.");
    public static final Setting<Integer> RETRY_BACKOFF_MS = Setting.integer("sink.retry.backoff.ms", 1_000,
            "Pause after a failed batch (database or registry unavailable) before re-reading from the stored positions.");
    public static final Setting<String> ZONE = Setting.text("sink.zone", "Europe/London",
            "Zone in which instants without a stated offset (admissions, updates) are shown.");
    public static final Setting<Integer> MAX_HEALTHY_LAG = Setting.integer("sink.health.max.lag", 10_000,
            "Records behind the end of person.views above which /health reports the sink DOWN.");
    public static final Setting<String> CLIENT_ID = Setting.text("sink.client.id", "careweave-sink",
            "Kafka client id of the sink's consumer (it uses no consumer group: positions live in the database).");

    public SinkConfig {
        if (pollRecords < 1) {
            throw new IllegalArgumentException(POLL_RECORDS.key() + " must be at least 1");
        }
    }

    public static List<Setting<?>> settings() {
        return List.of(POLL_RECORDS, POLL_TIMEOUT_MS, RETRY_BACKOFF_MS, ZONE, MAX_HEALTHY_LAG, CLIENT_ID);
    }

    public static SinkConfig from(SettingsSource source) {
        return new SinkConfig(source.get(POLL_RECORDS), Duration.ofMillis(source.get(POLL_TIMEOUT_MS)),
                Duration.ofMillis(source.get(RETRY_BACKOFF_MS)), ZoneId.of(source.get(ZONE)),
                source.get(MAX_HEALTHY_LAG), source.get(CLIENT_ID));
    }

    public static SinkConfig defaults() {
        return from(SettingsSource.of(Map.of()));
    }

    public SinkConfig withPollRecords(int newPollRecords) {
        return new SinkConfig(newPollRecords, pollTimeout, retryBackoff, zone, maxHealthyLag, clientId);
    }

    public SinkConfig withRetryBackoff(Duration newRetryBackoff) {
        return new SinkConfig(pollRecords, pollTimeout, newRetryBackoff, zone, maxHealthyLag, clientId);
    }
}
