package org.careweave.ingest.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Hl7TimeTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");

    @Test
    void aSummerTimeWithoutOffsetIsBritishSummerTimeAndAssumed() {
        Hl7Time.Stated t = Hl7Time.parse("20240715093000", LONDON).orElseThrow();

        assertThat(t.offset()).isEqualTo(ZoneOffset.ofHours(1));
        assertThat(t.offsetAssumed()).isTrue();
        assertThat(t.instant()).isEqualTo(Instant.parse("2024-07-15T08:30:00Z"));
    }

    @Test
    void aWinterTimeWithoutOffsetIsGreenwichMeanTimeAndAssumed() {
        Hl7Time.Stated t = Hl7Time.parse("20240115093000", LONDON).orElseThrow();

        assertThat(t.offset()).isEqualTo(ZoneOffset.UTC);
        assertThat(t.offsetAssumed()).isTrue();
        assertThat(t.instant()).isEqualTo(Instant.parse("2024-01-15T09:30:00Z"));
    }

    @Test
    void aStatedOffsetIsKeptAndNotAssumed() {
        Hl7Time.Stated summer = Hl7Time.parse("20240612083000+0100", LONDON).orElseThrow();
        Hl7Time.Stated elsewhere = Hl7Time.parse("20240612083000-0530", LONDON).orElseThrow();
        Hl7Time.Stated utcInSummer = Hl7Time.parse("20240612083000+0000", LONDON).orElseThrow();

        assertThat(summer.offset()).isEqualTo(ZoneOffset.ofHours(1));
        assertThat(summer.offsetAssumed()).isFalse();
        assertThat(summer.instant()).isEqualTo(Instant.parse("2024-06-12T07:30:00Z"));
        assertThat(elsewhere.offset()).isEqualTo(ZoneOffset.ofHoursMinutes(-5, -30));
        assertThat(elsewhere.instant()).isEqualTo(Instant.parse("2024-06-12T14:00:00Z"));
        // A stated +0000 in summer stays +0000: the source said so.
        assertThat(utcInSummer.offset()).isEqualTo(ZoneOffset.UTC);
        assertThat(utcInSummer.offsetAssumed()).isFalse();
    }

    /**
     * UK clocks went back at 02:00 BST on 25 October 2026, so 01:30 came twice: at 00:30Z and at 01:30Z. A sender's
     * own stamp is read as the one nearest before careweave received the message; other times keep the earlier.
     */
    @Test
    void theRepeatedHourIsTheOneNearestBeforeReceipt() {
        String twice = "20261025013000";
        assertThat(Hl7Time.parse(twice, LONDON).orElseThrow().instant())
                .as("no receipt to go by: the earlier, as java.time does")
                .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(Hl7Time.parseBefore(twice, LONDON, Instant.parse("2026-10-25T00:31:00Z")).orElseThrow().instant())
                .as("received in the first pass of the hour").isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        Hl7Time.Stated second = Hl7Time.parseBefore(twice, LONDON, Instant.parse("2026-10-25T01:31:00Z")).orElseThrow();
        assertThat(second.instant()).as("received in the second").isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
        assertThat(second.offset()).isEqualTo(ZoneOffset.UTC);
        assertThat(Hl7Time.parseBefore(twice, LONDON, Instant.parse("2026-10-25T09:00:00Z")).orElseThrow().instant())
                .as("received hours later: the later is nearer").isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
        assertThat(Hl7Time.parseBefore("20261025023000", LONDON, Instant.parse("2026-10-25T02:31:00Z"))
                .orElseThrow().instant()).as("an hour that came once").isEqualTo(Instant.parse("2026-10-25T02:30:00Z"));
        assertThat(Hl7Time.parseBefore("20261025013000+0100", LONDON, Instant.parse("2026-10-25T01:31:00Z"))
                .orElseThrow().instant()).as("a stated offset is the sender's")
                .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
    }

    @ParameterizedTest
    @CsvSource({
        "2024, 2024-01-01T00:00:00Z",
        "202406, 2024-05-31T23:00:00Z",
        "20240612, 2024-06-11T23:00:00Z",
        "2024061208, 2024-06-12T07:00:00Z",
        "202406120830, 2024-06-12T07:30:00Z",
        "20240612083015, 2024-06-12T07:30:15Z",
        "20240612083015.5, 2024-06-12T07:30:15.500Z",
        "20240612083015.1234, 2024-06-12T07:30:15.123400Z",
        "202406120830+0200, 2024-06-12T06:30:00Z",
        "20240612083015.25-0100, 2024-06-12T09:30:15.250Z",
    })
    void readsEveryPrecisionHl7Allows(String value, String instant) {
        assertThat(Hl7Time.parse(value, LONDON).orElseThrow().instant()).isEqualTo(Instant.parse(instant));
    }

    @Test
    void emptyAndExplicitNullAreNoTime() {
        assertThat(Hl7Time.parse(null, LONDON)).isEmpty();
        assertThat(Hl7Time.parse("", LONDON)).isEmpty();
        assertThat(Hl7Time.parse("  ", LONDON)).isEmpty();
        assertThat(Hl7Time.parse("\"\"", LONDON)).isEmpty();
    }

    @Test
    void aTimeInTheSpringGapMovesForwardAndOneInTheAutumnOverlapTakesTheEarlierOffset() {
        // 01:30 on 31 March 2024 does not exist in London; 01:30 on 27 October 2024 happens twice.
        Hl7Time.Stated gap = Hl7Time.parse("20240331013000", LONDON).orElseThrow();
        Hl7Time.Stated overlap = Hl7Time.parse("20241027013000", LONDON).orElseThrow();

        assertThat(gap.instant()).isEqualTo(Instant.parse("2024-03-31T01:30:00Z"));
        assertThat(gap.offset()).isEqualTo(ZoneOffset.ofHours(1));
        assertThat(overlap.instant()).isEqualTo(Instant.parse("2024-10-27T00:30:00Z"));
        assertThat(overlap.offset()).isEqualTo(ZoneOffset.ofHours(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "yesterday",
        "24",
        "202",
        "20240",
        "2024061208301",
        "202406120830151",
        "20241340",
        "20240230",
        "20240612250000",
        "20240612083015.",
        "20240612083015.12345",
        "20240612083015.ab",
        "20240612083015+01",
        "20240612083015+01:00",
        "20240612083015+2500",
        "+0100",
        "2024-06-12",
        "2024-06-12T08:30:00Z",
    })
    void refusesWhatIsNotAnHl7Time(String value) {
        assertThatThrownBy(() -> Hl7Time.parse(value, LONDON)).isInstanceOf(DateTimeException.class);
    }

    @Test
    void readsDatesAndTheDatePartOfATime() {
        assertThat(Hl7Time.parseDate("19800214")).contains(LocalDate.of(1980, 2, 14));
        assertThat(Hl7Time.parseDate("198002141230+0000")).contains(LocalDate.of(1980, 2, 14));
        assertThat(Hl7Time.parseDate("")).isEmpty();
        assertThat(Hl7Time.parseDate(null)).isEmpty();
        assertThat(Hl7Time.parseDate("\"\"")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1980-02-14", "19801", "1980ab14", "19800230", "19801301"})
    void refusesWhatIsNotAnHl7Date(String value) {
        assertThatThrownBy(() -> Hl7Time.parseDate(value)).isInstanceOf(DateTimeException.class);
    }
}
