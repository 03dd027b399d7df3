package org.careweave.ingest.hl7;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * HL7 DTM/TS values: {@code YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]}. A stated offset is kept; a value without
 * one is read in the source's zone (e.g. Europe/London, which is +01:00 in summer) and marked as assumed.
 */
public final class Hl7Time {

    /** An instant with the offset it was stated in (or assumed). */
    public record Stated(Instant instant, ZoneOffset offset, boolean offsetAssumed) {
    }

    private Hl7Time() {
    }

    /** @return empty for an empty value; throws {@link DateTimeException} for a value that is not a DTM */
    public static Optional<Stated> parse(String value, ZoneId sourceZone) {
        return parse(value, sourceZone, null);
    }

    /**
     * As {@link #parse(String, ZoneId)}, for a time the sender stamped as it recorded or sent the message, which is
     * shortly before careweave received it. A local time the sender's zone has twice (the hour after the clocks go
     * back) is read with the offset that puts it nearest before {@code latest}, not always the earlier one: the
     * second 01:30 of an October night, received at 01:31 GMT, is that 01:30, not the one an hour before. Without
     * it, a discharge recorded in the second hour read as earlier than an admission recorded in the first.
     */
    public static Optional<Stated> parseBefore(String value, ZoneId sourceZone, Instant latest) {
        return parse(value, sourceZone, latest);
    }

    private static Optional<Stated> parse(String value, ZoneId sourceZone, Instant latest) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty() || Hl7Message.isExplicitNull(v)) {
            return Optional.empty();
        }
        int sign = Math.max(v.indexOf('+'), v.indexOf('-'));
        String local = sign >= 0 ? v.substring(0, sign) : v;
        String offsetText = sign >= 0 ? v.substring(sign) : null;
        LocalDateTime dateTime = localDateTime(local, value);
        if (offsetText != null) {
            if (offsetText.length() != 5 || !digits(offsetText.substring(1))) {
                throw new DateTimeException("not an HL7 time zone offset");
            }
            int hours = Integer.parseInt(offsetText.substring(1, 3));
            int minutes = Integer.parseInt(offsetText.substring(3, 5));
            int total = hours * 3600 + minutes * 60;
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetText.charAt(0) == '-' ? -total : total);
            return Optional.of(new Stated(dateTime.toInstant(offset), offset, false));
        }
        ZonedDateTime zoned = dateTime.atZone(sourceZone);
        if (latest != null) {
            ZonedDateTime later = zoned.withLaterOffsetAtOverlap();
            if (!later.toInstant().isAfter(latest)) {
                zoned = later;
            }
        }
        return Optional.of(new Stated(zoned.toInstant(), zoned.getOffset(), true));
    }

    /**
     * HL7 DT (or the date part of a DTM), e.g. a birth date. HL7 allows a year (YYYY) or year and month (YYYYMM)
     * alone; those are valid but are not a day, so they give empty rather than a made-up date.
     */
    public static Optional<LocalDate> parseDate(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty() || Hl7Message.isExplicitNull(v)) {
            return Optional.empty();
        }
        if ((v.length() == 4 || v.length() == 6) && digits(v)) {
            int month = v.length() == 6 ? Integer.parseInt(v.substring(4, 6)) : 1;
            if (month < 1 || month > 12) {
                throw new DateTimeException("not an HL7 date");
            }
            return Optional.empty();
        }
        if (v.length() < 8 || !digits(v.substring(0, 8))) {
            throw new DateTimeException("not an HL7 date");
        }
        return Optional.of(LocalDate.of(Integer.parseInt(v.substring(0, 4)), Integer.parseInt(v.substring(4, 6)),
                Integer.parseInt(v.substring(6, 8))));
    }

    private static LocalDateTime localDateTime(String local, String original) {
        String whole = local;
        int nanos = 0;
        int dot = local.indexOf('.');
        if (dot >= 0) {
            String fraction = local.substring(dot + 1);
            if (fraction.isEmpty() || fraction.length() > 4 || !digits(fraction)) {
                throw new DateTimeException("not an HL7 time: bad fraction of a second");
            }
            nanos = Integer.parseInt((fraction + "000000000").substring(0, 9));
            whole = local.substring(0, dot);
        }
        if (!digits(whole) || whole.length() < 4 || whole.length() > 14 || whole.length() % 2 != 0) {
            throw new DateTimeException("not an HL7 time");
        }
        int year = Integer.parseInt(whole.substring(0, 4));
        int month = whole.length() >= 6 ? Integer.parseInt(whole.substring(4, 6)) : 1;
        int day = whole.length() >= 8 ? Integer.parseInt(whole.substring(6, 8)) : 1;
        int hour = whole.length() >= 10 ? Integer.parseInt(whole.substring(8, 10)) : 0;
        int minute = whole.length() >= 12 ? Integer.parseInt(whole.substring(10, 12)) : 0;
        int second = whole.length() >= 14 ? Integer.parseInt(whole.substring(12, 14)) : 0;
        return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
    }

    private static boolean digits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
