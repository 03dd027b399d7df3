package org.careweave.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.careweave.events.StatedTime;

/**
 * How the store writes instants: ISO-8601 with a numeric offset ({@code +01:00}, and {@code +00:00} rather than
 * {@code Z}), so every timestamp a client sees carries the local clock time it was stated in.
 */
public final class Times {

    private static final DateTimeFormatter WHOLE_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
    private static final DateTimeFormatter WITH_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

    private Times() {
    }

    /** In the offset the source stated (or that ingest assumed for it). */
    public static String format(StatedTime time) {
        return time == null ? null : format(offsetDateTime(time));
    }

    /** Instants that carry no offset of their own are shown in {@code zone}. */
    public static String format(Instant instant, ZoneId zone) {
        return instant == null ? null : format(instant.atZone(zone).toOffsetDateTime());
    }

    public static String format(OffsetDateTime time) {
        if (time == null) {
            return null;
        }
        return (time.getNano() / 1_000_000 == 0 ? WHOLE_SECONDS : WITH_MILLIS).format(time);
    }

    public static OffsetDateTime offsetDateTime(StatedTime time) {
        return OffsetDateTime.ofInstant(time.getInstant(), ZoneOffset.ofTotalSeconds(time.getOffsetSeconds()));
    }
}
