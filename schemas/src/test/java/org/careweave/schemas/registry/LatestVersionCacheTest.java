package org.careweave.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class LatestVersionCacheTest {

    private final AtomicLong nanos = new AtomicLong();
    private final RegisteredSchema latest =
            new RegisteredSchema("topic-value", 7, 2, Schema.create(Schema.Type.STRING));

    @Test
    void withoutTtlKeepsTheAnswerForEver() {
        LatestVersionCache cache = new LatestVersionCache(Optional.empty(), nanos::get);
        cache.put(latest);
        nanos.addAndGet(Duration.ofDays(365).toNanos());

        assertThat(cache.get("topic-value")).contains(latest);
    }

    @Test
    void withTtlForgetsTheAnswerOnceItRunsOut() {
        LatestVersionCache cache = new LatestVersionCache(Optional.of(Duration.ofSeconds(10)), nanos::get);
        cache.put(latest);

        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(cache.get("topic-value")).contains(latest);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(cache.get("topic-value")).isEmpty();
    }

    @Test
    void zeroTtlNeverReuses() {
        LatestVersionCache cache = new LatestVersionCache(Optional.of(Duration.ZERO), nanos::get);
        cache.put(latest);

        assertThat(cache.get("topic-value")).isEmpty();
    }
}
