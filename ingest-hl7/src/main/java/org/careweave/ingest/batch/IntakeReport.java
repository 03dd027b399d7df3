package org.careweave.ingest.batch;

import java.time.Instant;

/**
 * The report written next to a processed file in done/ when a message was refused or the envelope looked wrong: for
 * the practice's system supplier to fix and resend those messages. Comment lines start with '#'; every other line is
 * one refused message, tab-separated: index, control id (MSH-10), ACK code, reason. No message content, so the report
 * can be mailed to a supplier.
 */
final class IntakeReport {

    private IntakeReport() {
    }

    static boolean needed(FileOutcome outcome) {
        return !outcome.refused().isEmpty() || !outcome.warnings().isEmpty();
    }

    static String text(FileOutcome outcome, String movedToName, Instant processedAt) {
        StringBuilder b = new StringBuilder();
        b.append("# careweave batch intake report\n");
        b.append("# file: ").append(oneLine(outcome.fileName())).append(" (moved to done/")
                .append(oneLine(movedToName)).append(")\n");
        b.append("# processed: ").append(processedAt).append('\n');
        b.append("# messages: ").append(outcome.messages()).append(", accepted: ").append(outcome.accepted())
                .append(", refused: ").append(outcome.refused().size()).append('\n');
        for (String warning : outcome.warnings()) {
            b.append("# warning: ").append(oneLine(warning)).append('\n');
        }
        if (!outcome.refused().isEmpty()) {
            b.append("# index\tcontrol id\tack\treason\n");
        }
        for (FileOutcome.Refusal r : outcome.refused()) {
            b.append(r.index())
                    .append('\t').append(r.controlId().isEmpty() ? "-" : oneLine(r.controlId()))
                    .append('\t').append(r.ackCode())
                    .append('\t').append(oneLine(r.reason()))
                    .append('\n');
        }
        return b.toString();
    }

    /** Keeps one refusal on one line and its columns apart, whatever a sender put in a control id. */
    private static String oneLine(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return b.toString();
    }
}
