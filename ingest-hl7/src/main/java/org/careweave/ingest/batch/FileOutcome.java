package org.careweave.ingest.batch;

import java.nio.file.Path;
import java.util.List;

/**
 * What the intake did with one file.
 *
 * @param messages how many messages the file holds
 * @param accepted how many were answered AA (on a retry, of those sent before stopping)
 * @param refused  the messages answered AE or AR, in file order
 * @param movedTo  where the file now is, in done/; null when it was left in place
 */
public record FileOutcome(String fileName, Status status, int messages, int accepted, List<Refusal> refused,
                          List<String> warnings, Path movedTo) {

    public enum Status {
        /** Every message was answered AA, AE or AR; the file is in done/. */
        DONE,
        /** A message could not be stored (Kafka unavailable): the file stays, and the poll stops there. */
        NOT_STORED,
        /**
         * The file is larger than the intake reads ({@code ingest.intake.max.file.megabytes}): moved to done/ unread,
         * with a report saying so, to be split and dropped again.
         */
        NOT_READ,
        /**
         * The file stays for the next poll: it could not be read or moved, it changed while being read, or the intake
         * was stopping.
         */
        DEFERRED
    }

    /** A message careweave refused, as the report lists it. Its reason never quotes message content. */
    public record Refusal(int index, String controlId, String ackCode, String reason) {
    }

    public FileOutcome {
        refused = List.copyOf(refused);
        warnings = List.copyOf(warnings);
    }
}
