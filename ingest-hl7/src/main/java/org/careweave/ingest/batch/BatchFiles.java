package org.careweave.ingest.batch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an HL7 v2 batch file into its messages. Files come with the HL7 batch envelope (FHS, BHS, messages, BTS,
 * FTS) or as bare messages one after another; segments end with CR, LF or CRLF depending on the system that wrote
 * them. Pure: no I/O, never throws.
 *
 * <p>A message starts at a segment beginning with {@code MSH} (after any leading whitespace, which HAPI strips too) and
 * runs up to the next MSH or envelope segment. It keeps its bytes exactly as in the file, line breaks inside it
 * included, minus the line breaks after it: a file sent twice yields byte-identical messages, which get the same
 * message ids, so a resend creates no new events downstream.
 *
 * <p>Envelope counts are checked but never enforced: a wrong BTS-1 is a sender's bookkeeping slip, and refusing the
 * whole file for it would hold back every good message in it. Lines outside any message are not dropped: they are
 * passed on as a message of their own, which validation refuses and the dead-letter topic keeps, so that nothing in a
 * file disappears unnoticed.
 */
public final class BatchFiles {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private BatchFiles() {
    }

    public static Batch split(byte[] file) {
        return new Splitter(file).split();
    }

    /** One pass over a file; holds the state of the message and batch being read. */
    private static final class Splitter {
        private final byte[] file;
        private final List<BatchMessage> messages = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        private int messageStart = -1;
        private int messageEnd;
        private int messageLine;
        private int messageLastLine;
        private boolean messageIsOrphan;
        private int hl7Messages;

        private boolean fileHeaderSeen;
        private boolean fileTrailerSeen;
        private int batchHeaders;
        private int batchTrailers;
        private int openBatchLine = -1;
        private int messagesInBatch;

        Splitter(byte[] file) {
            this.file = file;
        }

        Batch split() {
            // Files written on Windows sometimes start with a UTF-8 byte order mark; it belongs to no message.
            int pos = startsWithBom() ? UTF8_BOM.length : 0;
            int line = 0;
            while (pos < file.length) {
                int end = pos;
                while (end < file.length && file[end] != CR && file[end] != LF) {
                    end++;
                }
                line++;
                segment(pos, end, line);
                boolean crlf = end + 1 < file.length && file[end] == CR && file[end + 1] == LF;
                pos = end + (crlf ? 2 : 1);
            }
            endMessage();
            checkCompleteness();
            return new Batch(messages, warnings);
        }

        private void segment(int start, int end, int line) {
            if (isBlank(start, end)) {
                return;
            }
            // HAPI reads a segment after its leading whitespace, so an indented MSH is a message of its own: taken
            // as part of the message before, it would have that message refused as two in one. Its bytes keep the
            // indentation, as they keep everything else.
            int id = afterWhitespace(start, end);
            switch (segmentId(id, end)) {
                case "MSH" -> {
                    endMessage();
                    beginMessage(start, end, line, false);
                }
                case "FHS" -> {
                    endMessage();
                    fileHeader(line);
                }
                case "BHS" -> {
                    endMessage();
                    batchHeader(line);
                }
                case "BTS" -> {
                    endMessage();
                    batchTrailer(id, end, line);
                }
                case "FTS" -> {
                    endMessage();
                    fileTrailer(id, end, line);
                }
                default -> {
                    if (messageStart < 0) {
                        beginMessage(start, end, line, true);
                    } else {
                        messageEnd = end;
                        messageLastLine = line;
                    }
                }
            }
        }

        private void beginMessage(int start, int end, int line, boolean orphan) {
            messageStart = start;
            messageEnd = end;
            messageLine = line;
            messageLastLine = line;
            messageIsOrphan = orphan;
        }

        private void endMessage() {
            if (messageStart < 0) {
                return;
            }
            int index = messages.size() + 1;
            messages.add(new BatchMessage(index, messageLine, Arrays.copyOfRange(file, messageStart, messageEnd)));
            if (messageIsOrphan) {
                warnings.add(lines(messageLine, messageLastLine) + " outside any message (no MSH starts one there);"
                        + " passed on as message #" + index + " so that they are refused with a reason, not lost");
            } else {
                hl7Messages++;
                messagesInBatch++;
            }
            messageStart = -1;
        }

        private void fileHeader(int line) {
            if (fileHeaderSeen) {
                warnings.add("line " + line + ": a second FHS; the file is read as one sequence of messages");
            }
            fileHeaderSeen = true;
        }

        private void batchHeader(int line) {
            if (openBatchLine > 0) {
                warnings.add("the batch starting on line " + openBatchLine + " has no BTS before the next BHS on line "
                        + line + "; its message count was not checked");
            }
            batchHeaders++;
            openBatchLine = line;
            messagesInBatch = 0;
        }

        private void batchTrailer(int start, int end, int line) {
            String stated = field(start, end, 1);
            if (!stated.isEmpty()) {
                Integer count = parseCount(stated);
                if (count == null) {
                    warnings.add("line " + line + ": BTS-1 (batch message count) is not a number");
                } else if (count != messagesInBatch) {
                    warnings.add("line " + line + ": BTS-1 says the batch has " + count + " message"
                            + plural(count) + " but " + messagesInBatch + " " + (messagesInBatch == 1 ? "was" : "were")
                            + " found");
                }
            }
            batchTrailers++;
            openBatchLine = -1;
            messagesInBatch = 0;
        }

        private void fileTrailer(int start, int end, int line) {
            fileTrailerSeen = true;
            String stated = field(start, end, 1);
            if (stated.isEmpty()) {
                return;
            }
            Integer count = parseCount(stated);
            int found = Math.max(batchHeaders, batchTrailers);
            if (count == null) {
                warnings.add("line " + line + ": FTS-1 (file batch count) is not a number");
            } else if (count != found) {
                warnings.add("line " + line + ": FTS-1 says the file has " + count + " batch" + (count == 1 ? "" : "es")
                        + " but " + found + " " + (found == 1 ? "was" : "were") + " found");
            }
        }

        /** A missing trailer is the one sign of a file cut short in transfer, so it is worth a warning. */
        private void checkCompleteness() {
            if (openBatchLine > 0) {
                warnings.add("the batch starting on line " + openBatchLine
                        + " has no BTS trailer: the file may be incomplete");
            }
            if (fileHeaderSeen && !fileTrailerSeen) {
                warnings.add("FHS without FTS trailer: the file may be incomplete");
            }
            if (hl7Messages == 0) {
                warnings.add("no messages found (no segment starting with MSH)");
            }
        }

        /** The segment id, or "" when the segment does not start with three characters and a separator. */
        private String segmentId(int start, int end) {
            int length = end - start;
            if (length < 3 || (length > 3 && Character.isLetterOrDigit(file[start + 3]))) {
                return "";
            }
            return new String(file, start, 3, StandardCharsets.US_ASCII);
        }

        /** Field n of an envelope segment, whose 4th byte is its field separator. */
        private String field(int start, int end, int number) {
            if (end - start <= 3) {
                return "";
            }
            byte separator = file[start + 3];
            int fieldStart = start + 4;
            int current = 1;
            for (int i = fieldStart; i <= end; i++) {
                if (i == end || file[i] == separator) {
                    if (current == number) {
                        return new String(file, fieldStart, i - fieldStart, StandardCharsets.ISO_8859_1).trim();
                    }
                    current++;
                    fieldStart = i + 1;
                }
            }
            return "";
        }

        /**
         * Where the segment starts after the whitespace HAPI strips from a segment's start (Character.isWhitespace:
         * space, tab, and control characters such as the MLLP start block 0x0B). Bytes, so a multi-byte UTF-8 space
         * is not skipped: such a line stays in the message before, which validation then refuses whole.
         */
        private int afterWhitespace(int start, int end) {
            int i = start;
            while (i < end && Character.isWhitespace((char) (file[i] & 0xFF))) {
                i++;
            }
            return i;
        }

        private boolean isBlank(int start, int end) {
            for (int i = start; i < end; i++) {
                if (file[i] != ' ' && file[i] != '\t') {
                    return false;
                }
            }
            return true;
        }

        private boolean startsWithBom() {
            return file.length >= UTF8_BOM.length && file[0] == UTF8_BOM[0] && file[1] == UTF8_BOM[1]
                    && file[2] == UTF8_BOM[2];
        }

        private static Integer parseCount(String text) {
            try {
                return Integer.valueOf(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static String lines(int first, int last) {
            return first == last ? "line " + first + " is" : "lines " + first + "-" + last + " are";
        }

        private static String plural(int count) {
            return count == 1 ? "" : "s";
        }
    }
}
