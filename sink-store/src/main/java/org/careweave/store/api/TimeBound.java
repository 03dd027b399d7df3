package org.careweave.store.api;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A {@code from} or {@code to} bound on when a result was collected: an ISO date (compared with the collection date
 * on the source's own clock) or an instant with an offset, e.g. {@code 2024-03-01T09:00:00Z}. Both bounds include
 * their value. A date-time without an offset is refused: it would mean different instants in different places. So is
 * a year before 1 or after 9999 ({@link #FIRST_YEAR}, {@link #LAST_YEAR}), which java.time reads and PostgreSQL or
 * java.sql.Timestamp do not take (until the twenty-ninth session, a 500).
 */
public sealed interface TimeBound permits TimeBound.OnDate, TimeBound.AtInstant {

    record OnDate(LocalDate date) implements TimeBound {
    }

    record AtInstant(OffsetDateTime instant) implements TimeBound {
    }

    /** The years a date or instant asked for may fall in: ISO 8601's four digits, all any record holds. */
    int FIRST_YEAR = 1;
    int LAST_YEAR = 9999;

    static boolean withinYears(int year) {
        return year >= FIRST_YEAR && year <= LAST_YEAR;
    }

    static Optional<TimeBound> parse(String name, String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        // A '+' in an unencoded query string arrives as a space; no valid value contains a space, so put it back.
        String value = text.strip().replace(' ', '+');
        try {
            if (value.length() == 10) {
                LocalDate date = LocalDate.parse(value);
                if (withinYears(date.getYear())) {
                    return Optional.of(new OnDate(date));
                }
            } else {
                OffsetDateTime instant = OffsetDateTime.parse(value);
                if (withinYears(instant.getYear())) {
                    return Optional.of(new AtInstant(instant));
                }
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw new ApiProblem(Problem.badRequest("Parameter '" + name + "' must be a date (2024-03-01) or an"
                + " instant with an offset (2024-03-01T09:00:00Z or 2024-03-01T09:00:00+01:00), in the years "
                + FIRST_YEAR + " to " + LAST_YEAR + "."));
    }

    /** Refuses a range whose start is after its end, where that can be told. */
    static void checkOrder(Optional<TimeBound> from, Optional<TimeBound> to) {
        if (from.isEmpty() || to.isEmpty()) {
            return;
        }
        boolean reversed = false;
        if (from.get() instanceof OnDate f && to.get() instanceof OnDate t) {
            reversed = f.date().isAfter(t.date());
        } else if (from.get() instanceof AtInstant f && to.get() instanceof AtInstant t) {
            reversed = f.instant().isAfter(t.instant());
        }
        if (reversed) {
            throw new ApiProblem(Problem.badRequest("'from' is after 'to'."));
        }
    }
}
