package org.careweave.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.careweave.events.AckCode;
import org.careweave.events.RejectedMessage;
import org.careweave.events.RejectionStage;
import org.junit.jupiter.api.Test;

class DeadLetterSelectionTest {

    private static final Instant NOON = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void nothingNarrowsAnEmptySelection() {
        assertThat(DeadLetterSelection.all().matches(letter(0, 5, NOON, "RHMX1", RejectionStage.VALIDATION)))
                .isTrue();
    }

    @Test
    void everyCriterionGivenMustHold() {
        DeadLetterSelection selection = new DeadLetterSelection(Optional.of(NOON.minusSeconds(3600)),
                Optional.of(NOON.plusSeconds(3600)), Set.of("RHMX1", "B86001"),
                Set.of(RejectionStage.VALIDATION, RejectionStage.MAPPING), new TreeSet<>());

        assertThat(selection.matches(letter(0, 1, NOON, "RHMX1", RejectionStage.VALIDATION))).isTrue();
        assertThat(selection.matches(letter(0, 1, NOON, "B86001", RejectionStage.MAPPING))).isTrue();
        assertThat(selection.matches(letter(0, 1, NOON, "RXX99", RejectionStage.VALIDATION))).isFalse();
        assertThat(selection.matches(letter(0, 1, NOON, null, RejectionStage.VALIDATION))).isFalse();
        assertThat(selection.matches(letter(0, 1, NOON, "RHMX1", RejectionStage.FRAMING))).isFalse();
        assertThat(selection.matches(letter(0, 1, NOON.minusSeconds(3601), "RHMX1", RejectionStage.VALIDATION)))
                .isFalse();
        assertThat(selection.matches(letter(0, 1, NOON.minusSeconds(3600), "RHMX1", RejectionStage.VALIDATION)))
                .as("since is inclusive").isTrue();
        assertThat(selection.matches(letter(0, 1, NOON.plusSeconds(3600), "RHMX1", RejectionStage.VALIDATION)))
                .as("until is exclusive").isFalse();
    }

    @Test
    void namedPositionsSelectExactlyThoseRecordsAndBoundWhatIsRead() {
        DeadLetterSelection selection = new DeadLetterSelection(Optional.empty(), Optional.empty(), Set.of(),
                Set.of(), new TreeSet<>(Set.of(DeadLetter.Position.parse("1:40"), DeadLetter.Position.parse("1:7"),
                DeadLetter.Position.parse("2:0"))));

        assertThat(selection.matches(letter(1, 7, NOON, "RHMX1", RejectionStage.VALIDATION))).isTrue();
        assertThat(selection.matches(letter(1, 8, NOON, "RHMX1", RejectionStage.VALIDATION))).isFalse();
        assertThat(selection.matches(letter(0, 7, NOON, "RHMX1", RejectionStage.VALIDATION))).isFalse();
        assertThat(selection.reads(0)).isFalse();
        assertThat(selection.reads(1)).isTrue();
        assertThat(selection.firstNamedOffset(1)).contains(7L);
        assertThat(selection.afterLastNamedOffset(1)).contains(41L);
        assertThat(selection.firstNamedOffset(0)).isEmpty();
        assertThat(DeadLetterSelection.all().reads(0)).isTrue();
    }

    @Test
    void positionsAreWrittenAndReadAsPartitionColonOffset() {
        assertThat(DeadLetter.Position.parse("2:1234")).isEqualTo(new DeadLetter.Position(2, 1234));
        assertThat(new DeadLetter.Position(2, 1234)).hasToString("2:1234");
        for (String bad : new String[] {"17", ":3", "3:", "a:1", "1:-2", "-1:4"}) {
            assertThatThrownBy(() -> DeadLetter.Position.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PARTITION:OFFSET");
        }
    }

    @Test
    void timesAreDatesInstantsOrHoursAndDaysAgo() {
        assertThat(DeadLetterSelection.time("2026-11-01", NOON)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(DeadLetterSelection.time("2026-11-27T09:30:00Z", NOON))
                .isEqualTo(Instant.parse("2026-11-27T09:30:00Z"));
        assertThat(DeadLetterSelection.time("36h", NOON)).isEqualTo(NOON.minusSeconds(36 * 3600));
        assertThat(DeadLetterSelection.time("7D", NOON)).isEqualTo(NOON.minusSeconds(7 * 86400));
        assertThatThrownBy(() -> DeadLetterSelection.time("yesterday", NOON))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISO date");
        assertThatThrownBy(() -> new DeadLetterSelection(Optional.of(NOON), Optional.of(NOON), Set.of(), Set.of(),
                new TreeSet<>())).hasMessageContaining("--since must be before --until");
    }

    @Test
    void theSummaryLineCarriesTheReasonButNoMessageContent() {
        DeadLetter letter = letter(0, 3, NOON, "RHMX1", RejectionStage.VALIDATION);

        assertThat(letter.summaryLine()).isEqualTo("0:3  2026-11-28T12:00:00Z  VALIDATION  AE  RHMX1  ADT^A01"
                + "  RHM0003  PID-3: at least one patient identifier is required");
        assertThat(letter(1, 9, NOON, null, RejectionStage.FRAMING).summaryLine()).contains("  -  ");
    }

    static DeadLetter letter(int partition, long offset, Instant at, String facility, RejectionStage stage) {
        return new DeadLetter(new DeadLetter.Position(partition, offset), at, RejectedMessage.newBuilder()
                .setMessageId("m-" + offset)
                .setRejectedAt(at)
                .setStage(stage)
                .setAckCode(stage == RejectionStage.MAPPING ? null : AckCode.AE)
                .setReason("PID-3: at least one patient identifier is required")
                .setSendingFacility(facility)
                .setMessageType(facility == null ? null : "ADT^A01")
                .setControlId(facility == null ? null : "RHM000" + offset)
                .setPayload(ByteBuffer.wrap(("MSH|^~\\&|PAS|" + facility + "|CAREWEAVE|CAREWEAVE|20261128120000||"
                        + "ADT^A01|RHM000" + offset + "|P|2.4\rPID|1||||Testperson^Invented").getBytes(
                        StandardCharsets.ISO_8859_1)))
                .build());
    }
}
