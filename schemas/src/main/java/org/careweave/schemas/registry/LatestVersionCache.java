package org.careweave.schemas.registry;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The latest version of each subject, reused until its time to live runs out (no TTL = reused for ever, as
 * Confluent's {@code latest.cache.ttl.sec=-1}).
 */
final class LatestVersionCache {

    private record Entry(RegisteredSchema schema, long fetchedAtNanos) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Optional<Duration> ttl;
    private final LongSupplier nanoClock;

    LatestVersionCache(Optional<Duration> ttl, LongSupplier nanoClock) {
        this.ttl = ttl;
        this.nanoClock = nanoClock;
    }

    Optional<RegisteredSchema> get(String subject) {
        Entry entry = entries.get(subject);
        if (entry == null) {
            return Optional.empty();
        }
        if (ttl.isPresent() && nanoClock.getAsLong() - entry.fetchedAtNanos() >= ttl.get().toNanos()) {
            entries.remove(subject, entry);
            return Optional.empty();
        }
        return Optional.of(entry.schema());
    }

    void put(RegisteredSchema schema) {
        entries.put(schema.subject(), new Entry(schema, nanoClock.getAsLong()));
    }

    void clear() {
        entries.clear();
    }
}
