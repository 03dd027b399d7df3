package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TimeBoundTest {

    @Test
    void datesAndInstantsWithOffsets() {
        assertThat(TimeBound.parse("from", "2024-03-01")).contains(new TimeBound.OnDate(LocalDate.of(2024, 3, 1)));
        assertThat(TimeBound.parse("from", "2024-03-01T09:00:00Z"))
                .contains(new TimeBound.AtInstant(OffsetDateTime.parse("2024-03-01T09:00:00Z")));
        assertThat(TimeBound.parse("to", "2024-03-01T09:00:00.5+01:00"))
                .contains(new TimeBound.AtInstant(OffsetDateTime.parse("2024-03-01T09:00:00.5+01:00")));
        assertThat(TimeBound.parse("to", null)).isEmpty();
    }

    @Test
    void anUnencodedPlusThatArrivedAsASpaceIsAccepted() {
        assertThat(TimeBound.parse("from", "2024-03-01T09:00:00 01:00"))
                .contains(new TimeBound.AtInstant(OffsetDateTime.parse("2024-03-01T09:00:00+01:00")));
    }

    @Test
    void aDateTimeWithoutOffsetOrGarbageIsABadRequest() {
        for (String bad : new String[] {"2024-03-01T09:00:00", "yesterday", "2024-13-01", "01/03/2024"}) {
            assertThatThrownBy(() -> TimeBound.parse("from", bad)).as(bad).isInstanceOf(ApiProblem.class);
        }
    }

    /** java.time reads them; PostgreSQL and java.sql.Timestamp do not take them (before, a 500). */
    @Test
    void aYearBeforeOneOrAfter9999IsABadRequest() {
        for (String bad : new String[] {"+300000-01-01T00:00:00Z", "+999999999-01-01T00:00:00Z", "0000-12-31",
                "-0001-01-01T00:00:00Z", "+10000-01-01T00:00:00+01:00"}) {
            assertThatThrownBy(() -> TimeBound.parse("from", bad)).as(bad).isInstanceOf(ApiProblem.class);
        }
        assertThat(TimeBound.parse("from", "0001-01-01")).isPresent();
        assertThat(TimeBound.parse("to", "9999-12-31T23:59:59-12:00")).isPresent();
    }

    @Test
    void aReversedRangeIsABadRequest() {
        assertThatThrownBy(() -> TimeBound.checkOrder(TimeBound.parse("from", "2024-03-02"),
                TimeBound.parse("to", "2024-03-01"))).isInstanceOf(ApiProblem.class);
        TimeBound.checkOrder(TimeBound.parse("from", "2024-03-01"), TimeBound.parse("to", "2024-03-01"));
        TimeBound.checkOrder(Optional.empty(), TimeBound.parse("to", "2024-03-01"));
    }
}
