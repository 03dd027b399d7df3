package org.careweave.processors.results;

import java.util.Locale;

/**
 * OBX-11 result status (HL7 table 0085) as a precedence rank: a version of a result replaces another only when its
 * rank is higher, or equal and it is newer.
 *
 * <p>Retractions (D deleted, W withdrawn / wrong patient) rank above everything, so that a result sent for the wrong
 * patient can never reappear because one of its earlier versions arrived late. A lab that wants to re-release a
 * deleted result has to send it as a new result (new order number or OBX sub-id).
 */
public final class ResultStatus {

    public static final int UNKNOWN = 0;
    public static final int PRELIMINARY = 1;
    public static final int IN_PROGRESS = 2;
    public static final int FINAL = 3;
    public static final int CORRECTED = 4;
    public static final int RETRACTED = 5;

    private ResultStatus() {
    }

    public static int rank(String status) {
        return switch (normalise(status)) {
            case "P" -> PRELIMINARY;
            // I specimen in lab, R entered not verified, S partial: more than preliminary, not yet final
            case "I", "R", "S" -> IN_PROGRESS;
            // U "changed to final without retransmitting the result"; X "cannot be obtained" is a final answer too
            case "F", "U", "X" -> FINAL;
            case "C" -> CORRECTED;
            case "D", "W" -> RETRACTED;
            default -> UNKNOWN;
        };
    }

    public static boolean isRetraction(String status) {
        return rank(status) == RETRACTED;
    }

    /** X: the laboratory could not obtain a result (a final answer, without a value). */
    public static boolean cannotBeObtained(String status) {
        return "X".equals(normalise(status));
    }

    /** Trimmed and upper case: some senders send lower case or padded statuses. */
    public static String normalise(String status) {
        return status == null ? "" : status.trim().toUpperCase(Locale.ROOT);
    }
}
