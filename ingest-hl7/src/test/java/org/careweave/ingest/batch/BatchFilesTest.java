package org.careweave.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.careweave.ingest.batch.GpExtract.batchHeader;
import static org.careweave.ingest.batch.GpExtract.batchTrailer;
import static org.careweave.ingest.batch.GpExtract.bytes;
import static org.careweave.ingest.batch.GpExtract.fileHeader;
import static org.careweave.ingest.batch.GpExtract.fileTrailer;
import static org.careweave.ingest.batch.GpExtract.lines;
import static org.careweave.ingest.batch.GpExtract.registration;
import static org.careweave.ingest.batch.GpExtract.result;
import static org.careweave.ingest.batch.GpExtract.update;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.careweave.events.AckCode;
import org.careweave.ingest.validation.MessageValidator;
import org.junit.jupiter.api.Test;

class BatchFilesTest {

    @Test
    void envelopeSegmentsAreDroppedAndEachMessageKeepsItsBytes() {
        String file = lines("\r", List.of(fileHeader(), batchHeader()))
                + lines("\r", registration("RSX0001"))
                + lines("\r", update("RSX0002"))
                + lines("\r", result("RSX0003"))
                + lines("\r", List.of(batchTrailer(3), fileTrailer(1)));

        Batch batch = BatchFiles.split(bytes(file));

        assertThat(batch.warnings()).isEmpty();
        assertThat(batch.messages()).extracting(BatchMessage::index).containsExactly(1, 2, 3);
        assertThat(text(batch.messages().get(0))).isEqualTo(String.join("\r", registration("RSX0001")));
        assertThat(text(batch.messages().get(1))).isEqualTo(String.join("\r", update("RSX0002")));
        assertThat(text(batch.messages().get(2))).isEqualTo(String.join("\r", result("RSX0003")));
        assertThat(batch.messages()).extracting(BatchMessage::line).containsExactly(3, 8, 12);
    }

    @Test
    void aFileWithoutEnvelopeIsSplitAtEachMsh() {
        String file = lines("\r\n", registration("RSX0001")) + lines("\r\n", result("RSX0003"));

        Batch batch = BatchFiles.split(bytes(file));

        assertThat(batch.warnings()).isEmpty();
        assertThat(batch.messages()).hasSize(2);
        assertThat(text(batch.messages().get(0))).isEqualTo(String.join("\r\n", registration("RSX0001")));
        assertThat(text(batch.messages().get(1))).isEqualTo(String.join("\r\n", result("RSX0003")));
    }

    @Test
    void aSingleMessageWithoutTrailingLineBreakIsOneMessage() {
        String file = String.join("\n", update("RSX0002"));

        Batch batch = BatchFiles.split(bytes(file));

        assertThat(batch.warnings()).isEmpty();
        assertThat(batch.messages()).singleElement().extracting(BatchFilesTest::text).isEqualTo(file);
    }

    @Test
    void mixedLineEndingsAreAllSegmentEnds() {
        List<String> segments = new ArrayList<>();
        segments.add(fileHeader());
        segments.add(batchHeader());
        segments.addAll(registration("RSX0001"));
        segments.addAll(result("RSX0003"));
        segments.add(batchTrailer(2));
        segments.add(fileTrailer(1));
        String[] endings = {"\r", "\n", "\r\n"};
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < segments.size(); i++) {
            file.append(segments.get(i)).append(endings[i % endings.length]);
        }

        Batch batch = BatchFiles.split(bytes(file.toString()));

        assertThat(batch.warnings()).isEmpty();
        assertThat(batch.messages()).hasSize(2);
        assertThat(text(batch.messages().get(0))).startsWith("MSH|").contains("PV1|1|N").doesNotContain("OBR");
        assertThat(text(batch.messages().get(0)).split("\r\n|\r|\n")).containsExactlyElementsOf(
                registration("RSX0001"));
        assertThat(text(batch.messages().get(1)).split("\r\n|\r|\n")).containsExactlyElementsOf(
                result("RSX0003"));
    }

    @Test
    void emptyLinesBetweenMessagesAreSkippedAndNotPartOfAnyMessage() {
        String file = "\n\n" + lines("\n", List.of(fileHeader(), batchHeader())) + "\n"
                + lines("\n", registration("RSX0001")) + "\n  \n\n"
                + lines("\n", update("RSX0002")) + "\r\n\r\n"
                + lines("\n", List.of(batchTrailer(2), fileTrailer(1))) + "\n\n";

        Batch batch = BatchFiles.split(bytes(file));

        assertThat(batch.warnings()).isEmpty();
        assertThat(batch.messages()).hasSize(2);
        assertThat(text(batch.messages().get(0))).isEqualTo(String.join("\n", registration("RSX0001")));
        assertThat(text(batch.messages().get(1))).isEqualTo(String.join("\n", update("RSX0002")));
    }

    @Test
    void anEmptyLineInsideAMessageStaysInItsBytes() {
        List<String> message = registration("RSX0001");
        String file = message.get(0) + "\r\r" + String.join("\r", message.subList(1, message.size())) + "\r";

        Batch batch = BatchFiles.split(bytes(file));

        assertThat(batch.messages()).singleElement().extracting(BatchFilesTest::text)
                .isEqualTo(file.substring(0, file.length() - 1));
    }

    @Test
    void aBatchCountThatDoesNotMatchIsAWarningNotAFailure() {
        String file = lines("\r", List.of(fileHeader(), batchHeader()))
                + lines("\r", registration("RSX0001"))
                + lines("\r", update("RSX0002"))
                + lines("\r", List.of(batchTrailer(3), fileTrailer(1)));

        Batch batch = BatchFiles.split(bytes(file));

        assertThat(batch.messages()).hasSize(2);
        assertThat(batch.warnings()).singleElement().asString()
                .contains("line 12", "BTS-1", "3 messages", "2 were found");
    }

    @Test
    void countsAreCheckedPerBatchAndTheFileTrailerCountsBatches() {
        String file = lines("\r", List.of(fileHeader(), batchHeader()))
                + lines("\r", registration("RSX0001"))
                + lines("\r", List.of(batchTrailer(1), batchHeader()))
                + lines("\r", update("RSX0002"))
                + lines("\r", result("RSX0003"))
                + lines("\r", List.of(batchTrailer(2), fileTrailer(3)));

        Batch batch = BatchFiles.split(bytes(file));

        assertThat(batch.messages()).extracting(BatchMessage::index).containsExactly(1, 2, 3);
        assertThat(batch.warnings()).singleElement().asString().contains("FTS-1", "3 batches", "2 were found");
    }

    @Test
    void aMissingTrailerSaysTheFileMayBeIncomplete() {
        String file = lines("\r", List.of(fileHeader(), batchHeader()))
                + lines("\r", registration("RSX0001"));

        Batch batch = BatchFiles.split(bytes(file));

        assertThat(batch.messages()).hasSize(1);
        assertThat(batch.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains("may be incomplete"));
    }

    @Test
    void anUnreadableCountIsAWarning() {
        String file = lines("\r", registration("RSX0001")) + "BTS|one\r";

        Batch batch = BatchFiles.split(bytes(file));

        assertThat(batch.messages()).hasSize(1);
        assertThat(batch.warnings()).singleElement().asString().contains("BTS-1", "not a number");
    }

    @Test
    void linesOutsideAnyMessageArePassedOnSoThatTheyAreRefusedNotLost() {
        String file = "garbage before the first message\r"
                + lines("\r", registration("RSX0001"))
                + lines("\r", List.of(batchTrailer(1), "trailing junk", "more junk"));

        Batch batch = BatchFiles.split(bytes(file));

        assertThat(batch.messages()).extracting(BatchFilesTest::text).containsExactly(
                "garbage before the first message",
                String.join("\r", registration("RSX0001")),
                "trailing junk\rmore junk");
        assertThat(batch.warnings()).hasSize(2);
        assertThat(batch.warnings().get(0)).contains("line 1 is outside any message", "message #1");
        assertThat(batch.warnings().get(1)).contains("lines 8-9 are outside any message", "message #3")
                .doesNotContain("junk");
    }

    /**
     * A segment indented with whitespace (spaces, a tab, the MLLP start block of a file saved from a connection) is
     * still what its id says, as HAPI reads it: an indented MSH starts a message, with the indentation kept in its
     * bytes, rather than being appended to the message before it (which validation then refused whole, as two
     * messages in one). Indented envelope segments count too.
     */
    @Test
    void anIndentedHeaderStartsAMessageAndIndentedEnvelopeSegmentsCount() {
        List<String> update = indented(" ", update("RSX0002"));
        List<String> result = indented("\t", result("RSX0003"));
        List<String> saved = indented("\u000B", registration("RSX0004"));
        String file = lines("\r\n", List.of(fileHeader(), " " + batchHeader()))
                + lines("\r\n", registration("RSX0001")) + lines("\r\n", update) + lines("\r\n", result)
                + lines("\r\n", saved) + lines("\r\n", List.of("  " + batchTrailer(4), "\t" + fileTrailer(1)));

        Batch batch = BatchFiles.split(bytes(file));

        assertThat(batch.warnings()).isEmpty();
        assertThat(batch.messages()).extracting(BatchFilesTest::text).containsExactly(
                String.join("\r\n", registration("RSX0001")), String.join("\r\n", update),
                String.join("\r\n", result), String.join("\r\n", saved));
        MessageValidator validator = new MessageValidator(MessageValidator.Rules.defaults());
        assertThat(batch.messages()).extracting(m -> validator.validate(m.payload()).msh().controlId(),
                m -> validator.validate(m.payload()).ackCode()).containsExactly(
                tuple("RSX0001", AckCode.AA), tuple("RSX0002", AckCode.AA), tuple("RSX0003", AckCode.AA),
                tuple("RSX0004", AckCode.AA));
    }

    @Test
    void aUtf8ByteOrderMarkBelongsToNoMessage() {
        byte[] message = String.join("\r", update("RSX0002")).getBytes(StandardCharsets.UTF_8);
        byte[] file = new byte[message.length + 3];
        file[0] = (byte) 0xEF;
        file[1] = (byte) 0xBB;
        file[2] = (byte) 0xBF;
        System.arraycopy(message, 0, file, 3, message.length);

        Batch batch = BatchFiles.split(file);

        assertThat(batch.warnings()).isEmpty();
        assertThat(batch.messages()).singleElement().extracting(BatchMessage::payload).isEqualTo(message);
    }

    @Test
    void anEmptyFileHasNoMessagesAndSaysSo() {
        Batch batch = BatchFiles.split(new byte[0]);

        assertThat(batch.messages()).isEmpty();
        assertThat(batch.warnings()).singleElement().asString().contains("no messages");
    }

    @Test
    void bytesAreKeptAsTheyAreWhateverTheCharset() {
        String text = String.join("\r", registration("RSX0001")).replace("Thornbury", "Þórsdóttir");
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);

        Batch batch = BatchFiles.split(utf8);

        assertThat(batch.messages()).singleElement().extracting(BatchMessage::payload).isEqualTo(utf8);
    }

    /** The message with its MSH line indented. */
    private static List<String> indented(String indent, List<String> message) {
        List<String> out = new ArrayList<>(message);
        out.set(0, indent + out.get(0));
        return out;
    }

    /** Test payloads are ISO-8859-1 text. */
    private static String text(BatchMessage message) {
        return new String(message.payload(), StandardCharsets.ISO_8859_1);
    }
}
