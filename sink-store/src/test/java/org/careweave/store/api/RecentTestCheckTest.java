package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RecentTestCheckTest {

    private static final TokenParameter HBA1C = TokenParameter.parse("code", "http://loinc.org|4548-4");
    private static final RetestIntervals.Interval NINETY_DAYS =
            new RetestIntervals.Interval("hba1c-90d", 90, "Invented test rule");
    private static final OffsetDateTime COLLECTED = OffsetDateTime.parse("2024-03-01T09:00:00Z");
    private static final Optional<RecentTestCheck.LastResult> LAST =
            Optional.of(new RecentTestCheck.LastResult("{\"resultId\":\"R1\"}", COLLECTED));

    @Test
    void aTestInsideTheIntervalIsFlagged() {
        RecentTestCheck.Answer answer = RecentTestCheck.decide("P1", HBA1C, LAST, Optional.of(NINETY_DAYS),
                Instant.parse("2024-04-01T00:00:00Z"), ZoneOffset.UTC);

        assertThat(answer.withinInterval()).isTrue();
        assertThat(answer.earliestRetest()).isEqualTo("2024-05-30T09:00:00+00:00");
        assertThat(answer.lastResult()).isEqualTo("{\"resultId\":\"R1\"}");
        assertThat(answer.retestInterval()).isEqualTo(NINETY_DAYS);
        assertThat(answer.explanation()).contains("90 days").contains("would be a repeat");
    }

    @Test
    void aTestAfterTheIntervalIsNot() {
        RecentTestCheck.Answer answer = RecentTestCheck.decide("P1", HBA1C, LAST, Optional.of(NINETY_DAYS),
                Instant.parse("2024-05-30T09:00:00Z"), ZoneOffset.UTC);

        assertThat(answer.withinInterval()).isFalse();
        assertThat(answer.explanation()).contains("ended");
    }

    @Test
    void withoutARuleOrWithoutAPreviousTestNothingIsFlagged() {
        Instant now = Instant.parse("2024-03-02T00:00:00Z");
        assertThat(RecentTestCheck.decide("P1", HBA1C, LAST, Optional.empty(), now, ZoneOffset.UTC).withinInterval())
                .isFalse();
        RecentTestCheck.Answer none = RecentTestCheck.decide("P1", HBA1C, Optional.empty(), Optional.of(NINETY_DAYS),
                now, ZoneOffset.UTC);
        assertThat(none.withinInterval()).isFalse();
        assertThat(none.lastResult()).isNull();
        assertThat(none.code()).isEqualTo(new RecentTestCheck.Code("http://loinc.org", "4548-4"));
    }

    @Test
    void aCollectionTimeAfterTheResultArrivedIsCountedFromItsArrival() {
        // Keyed a month ahead at the ward: 1 April for 1 March. The result reached careweave on 1 March at 14:00.
        OffsetDateTime mistyped = OffsetDateTime.parse("2024-04-01T09:00:00Z");
        Instant received = Instant.parse("2024-03-01T14:00:00Z");
        RecentTestCheck.Answer answer = RecentTestCheck.decide("P1", HBA1C,
                Optional.of(new RecentTestCheck.LastResult("{}", mistyped, received)), Optional.of(NINETY_DAYS),
                Instant.parse("2024-05-31T00:00:00Z"), ZoneOffset.UTC);

        assertThat(answer.earliestRetest()).as("90 days from the receipt, not from the mistyped date")
                .isEqualTo("2024-05-30T14:00:00+00:00");
        assertThat(answer.withinInterval()).isFalse();
        assertThat(answer.explanation()).contains("after its result reached careweave");

        RecentTestCheck.Answer minutesAhead = RecentTestCheck.decide("P1", HBA1C,
                Optional.of(new RecentTestCheck.LastResult("{}", COLLECTED, COLLECTED.toInstant().minusSeconds(120))),
                Optional.of(NINETY_DAYS), Instant.parse("2024-04-01T00:00:00Z"), ZoneOffset.UTC);
        assertThat(minutesAhead.earliestRetest()).as("clocks a few minutes apart: believed")
                .isEqualTo("2024-05-30T09:00:00+00:00");
        assertThat(minutesAhead.explanation()).doesNotContain("reached careweave");
    }

    @Test
    void theIntervalIsCountedOnTheSourcesClock() {
        // Collected 23:30 local (+01:00) on 1 March: the interval ends 23:30 local, 90 days later.
        OffsetDateTime lateEvening = OffsetDateTime.parse("2024-03-01T23:30:00+01:00");
        RecentTestCheck.Answer answer = RecentTestCheck.decide("P1", HBA1C,
                Optional.of(new RecentTestCheck.LastResult("{}", lateEvening)), Optional.of(NINETY_DAYS),
                Instant.parse("2024-04-01T00:00:00Z"), ZoneOffset.UTC);

        assertThat(answer.earliestRetest()).isEqualTo("2024-05-30T23:30:00+01:00");
    }
}
