package org.careweave.deadletters;

import java.time.Instant;

import org.careweave.events.RejectedMessage;

/**
 * One record of hl7.deadletter: where it is on the topic, when it was written there, and the refused message with its
 * reason.
 */
public record DeadLetter(Position position, Instant writtenAt, RejectedMessage message) {

    /**
     * One line a person can act on, with no patient data: position, time, stage, ACK code, facility, message type,
     * control id and reason (reasons name fields, never their values).
     */
    public String summaryLine() {
        return String.join("  ", position.toString(), writtenAt.toString(), message.getStage().name(),
                orDash(message.getAckCode()), orDash(message.getSendingFacility()), orDash(message.getMessageType()),
                orDash(message.getControlId()), message.getReason());
    }

    private static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }

    /** A record's place on the topic, written {@code PARTITION:OFFSET}. */
    public record Position(int partition, long offset) implements Comparable<Position> {

        public Position {
            if (partition < 0 || offset < 0) {
                throw new IllegalArgumentException("a position is PARTITION:OFFSET, both 0 or more");
            }
        }

        /** Parses {@code PARTITION:OFFSET}, as {@code careweave dead-letters list} prints it. */
        public static Position parse(String text) {
            int colon = text.indexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("a position is PARTITION:OFFSET (e.g. 0:17), not " + text);
            }
            try {
                return new Position(Integer.parseInt(text.substring(0, colon)),
                        Long.parseLong(text.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a position is PARTITION:OFFSET (e.g. 0:17), not " + text);
            }
        }

        @Override
        public int compareTo(Position other) {
            int byPartition = Integer.compare(partition, other.partition);
            return byPartition != 0 ? byPartition : Long.compare(offset, other.offset);
        }

        @Override
        public String toString() {
            return partition + ":" + offset;
        }
    }
}
