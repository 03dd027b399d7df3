package org.careweave.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.careweave.ingest.ack.AckBuilder;
import org.careweave.ingest.archive.MessageArchive;
import org.careweave.ingest.intake.Ingestor;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.platform.KafkaConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the intake leaves alone, and what it does when Kafka is down: an Ingestor whose Kafka is a port nobody listens
 * on answers every message "could not be stored" (AE, 207) after its delivery timeout. The happy path, on a real
 * platform, is {@link BatchIntakeIT}.
 */
class IntakeDirectoryTest {

    private static MessageArchive unreachableKafka;
    private static Ingestor ingestor;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        int nobodyListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobodyListens = socket.getLocalPort();
        }
        unreachableKafka = new MessageArchive(new MessageArchive.Settings(
                KafkaConnection.plaintext("127.0.0.1:" + nobodyListens), "http://127.0.0.1:" + nobodyListens, "unit-batch.", 1_000));
        ingestor = new Ingestor(new MessageValidator(MessageValidator.Rules.defaults()), unreachableKafka,
                new AckBuilder("CAREWEAVE", "CAREWEAVE", ZoneId.of("Europe/London")), null, new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() {
        unreachableKafka.close();
    }

    @Test
    void aFileThatCouldNotBeStoredStaysWhereItIsForTheNextPoll() throws IOException {
        Path file = settled(dir.resolve("riverside-20251125.hl7"), extract());
        IntakeDirectory intake = new IntakeDirectory(config(Duration.ZERO), ingestor);

        List<FileOutcome> outcomes = intake.pollOnce();

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(FileOutcome.Status.NOT_STORED);
            assertThat(o.messages()).isEqualTo(2);
            assertThat(o.movedTo()).isNull();
        });
        assertThat(file).exists();
        try (var done = Files.list(dir.resolve(IntakeDirectory.DONE))) {
            assertThat(done).isEmpty();
        }
    }

    @Test
    void filesStillBeingWrittenAreLeftAlone() throws IOException {
        Files.writeString(dir.resolve("riverside-20251125.hl7"), extract());
        IntakeDirectory intake = new IntakeDirectory(config(Duration.ofHours(1)), ingestor);

        assertThat(intake.pollOnce()).isEmpty();
    }

    @Test
    void namesStartingWithADotAndDirectoriesAreIgnored() throws IOException {
        settled(dir.resolve(".riverside-20251125.hl7.partial"), extract());
        Files.createDirectories(dir.resolve("archive"));
        IntakeDirectory intake = new IntakeDirectory(config(Duration.ZERO), ingestor);

        assertThat(intake.pollOnce()).isEmpty();
        assertThat(dir.resolve(".riverside-20251125.hl7.partial")).exists();
    }

    @Test
    void aFileWithoutMessagesIsMovedToDoneWithItsWarningsAndAClashGetsATimestamp() throws IOException {
        String envelopeOnly = GpExtract.lines("\r", List.of(GpExtract.batchHeader(), GpExtract.batchTrailer(0)));
        IntakeDirectory intake = new IntakeDirectory(config(Duration.ZERO), ingestor);

        settled(dir.resolve("empty.hl7"), envelopeOnly);
        FileOutcome first = intake.pollOnce().get(0);
        settled(dir.resolve("empty.hl7"), envelopeOnly);
        FileOutcome second = intake.pollOnce().get(0);

        assertThat(first.status()).isEqualTo(FileOutcome.Status.DONE);
        assertThat(first.movedTo()).isEqualTo(dir.resolve("done").resolve("empty.hl7"));
        assertThat(Files.readString(dir.resolve("done").resolve("empty.hl7.report.txt")))
                .contains("# messages: 0, accepted: 0, refused: 0\n", "# warning: no messages found");
        assertThat(second.movedTo().getFileName().toString()).matches("empty\\.\\d{8}T\\d{6}Z\\.hl7");
        assertThat(second.movedTo().resolveSibling(second.movedTo().getFileName() + ".report.txt")).exists();
        assertThat(dir.resolve("empty.hl7")).doesNotExist();
    }

    @Test
    void aFileLargerThanTheIntakeReadsIsMovedToDoneUnreadWithAReport() throws IOException {
        String text = extract();
        Path file = settled(dir.resolve("whole-practice.hl7"), text);
        IntakeDirectory intake = new IntakeDirectory(config(Duration.ZERO).withMaxFileBytes(text.length() - 1),
                ingestor);

        FileOutcome outcome = intake.pollOnce().get(0);

        assertThat(outcome.status()).isEqualTo(FileOutcome.Status.NOT_READ);
        assertThat(outcome.messages()).as("nothing sent: Kafka here is unreachable, and was not asked").isZero();
        assertThat(outcome.movedTo()).isEqualTo(dir.resolve("done").resolve("whole-practice.hl7"));
        assertThat(file).doesNotExist();
        assertThat(Files.readString(dir.resolve("done").resolve("whole-practice.hl7.report.txt")))
                .contains("# warning: not read: the file has " + text.length() + " bytes, more than"
                        + " ingest.intake.max.file.megabytes");
        assertThat(intake.pollOnce()).as("not tried again").isEmpty();
    }

    @Test
    void theIntakeIsOffWithoutADirectory() {
        assertThat(IntakeConfig.defaults().enabled()).isFalse();
        assertThat(IntakeDirectory.start(IntakeConfig.defaults(), ingestor)).isEmpty();
    }

    private IntakeConfig config(Duration settle) {
        return IntakeConfig.defaults().withDirectory(dir).withTiming(Duration.ofSeconds(1), settle);
    }

    private static String extract() {
        return GpExtract.lines("\r\n", GpExtract.registration("RSX0001"))
                + GpExtract.lines("\r\n", GpExtract.update("RSX0002"));
    }

    /** Written a minute ago, as a file that has finished arriving. */
    private static Path settled(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
        return file;
    }
}
