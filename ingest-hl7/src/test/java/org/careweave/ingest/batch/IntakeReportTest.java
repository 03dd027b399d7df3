package org.careweave.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class IntakeReportTest {

    @Test
    void oneTabSeparatedLinePerRefusedMessageUnderCommentedTotals() {
        FileOutcome outcome = new FileOutcome("riverside-20251125.hl7", FileOutcome.Status.DONE, 4, 3,
                List.of(new FileOutcome.Refusal(4, "RSX0004", "AE",
                        "PID-3: at least one patient identifier is required")),
                List.of(), null);

        String report = IntakeReport.text(outcome, "riverside-20251125.hl7",
                Instant.parse("2025-11-26T02:15:30.120Z"));

        assertThat(report).isEqualTo("""
                # careweave batch intake report
                # file: riverside-20251125.hl7 (moved to done/riverside-20251125.hl7)
                # processed: 2025-11-26T02:15:30.120Z
                # messages: 4, accepted: 3, refused: 1
                # index\tcontrol id\tack\treason
                4\tRSX0004\tAE\tPID-3: at least one patient identifier is required
                """);
    }

    @Test
    void warningsAloneMakeAReportAndControlCharactersCannotBreakItsLines() {
        FileOutcome outcome = new FileOutcome("gp.hl7", FileOutcome.Status.DONE, 2, 1,
                List.of(new FileOutcome.Refusal(2, "", "AR", "not an HL7 v2 message"),
                        new FileOutcome.Refusal(3, "A\tB\nC", "AE", "x")),
                List.of("line 9: BTS-1 says the batch has 3 messages but 2 were found"), null);

        String report = IntakeReport.text(outcome, "gp.20251126T021530Z.hl7", Instant.EPOCH);

        assertThat(IntakeReport.needed(outcome)).isTrue();
        assertThat(report).contains("# warning: line 9: BTS-1 says the batch has 3 messages but 2 were found\n")
                .contains("\n2\t-\tAR\tnot an HL7 v2 message\n")
                .contains("\n3\tA B C\tAE\tx\n");
        assertThat(IntakeReport.needed(new FileOutcome("ok.hl7", FileOutcome.Status.DONE, 1, 1, List.of(), List.of(),
                null))).isFalse();
    }
}
