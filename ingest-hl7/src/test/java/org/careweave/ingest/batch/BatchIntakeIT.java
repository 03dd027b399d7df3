package org.careweave.ingest.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.careweave.ingest.batch.GpExtract.batchHeader;
import static org.careweave.ingest.batch.GpExtract.batchTrailer;
import static org.careweave.ingest.batch.GpExtract.fileHeader;
import static org.careweave.ingest.batch.GpExtract.fileTrailer;
import static org.careweave.ingest.batch.GpExtract.lines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.careweave.events.AckCode;
import org.careweave.events.RawMessage;
import org.careweave.events.RejectedMessage;
import org.careweave.events.Transport;
import org.careweave.ingest.TopicContents;
import org.careweave.ingest.TopicLimits;
import org.careweave.ingest.ack.AckBuilder;
import org.careweave.ingest.archive.MessageArchive;
import org.careweave.ingest.intake.Ingestor;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A GP practice's nightly extract dropped into the intake directory, on the real embedded platform: every message is
 * acknowledged and lands in exactly one of the raw and dead-letter topics, the file moves to done/ with a report of
 * the refused message, and dropping the same file again is safe.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class BatchIntakeIT {

    private static final String PREFIX = "it-batch.";

    @TempDir
    static Path intakeDir;

    private static Platform platform;
    private static MessageArchive archive;
    private static IntakeDirectory intake;

    @BeforeAll
    static void start(Platform shared) {
        platform = shared;
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 1, (short) 1);
        archive = new MessageArchive(new MessageArchive.Settings(platform.kafka(),
                platform.schemaRegistryUrl(), PREFIX, 15000));
        Ingestor ingestor = new Ingestor(new MessageValidator(MessageValidator.Rules.defaults()), archive,
                new AckBuilder("CAREWEAVE", "CAREWEAVE", ZoneId.of("Europe/London")), null, new SimpleMeterRegistry());
        intake = new IntakeDirectory(IntakeConfig.defaults().withDirectory(intakeDir)
                .withTiming(Duration.ofMillis(200), Duration.ofMillis(500)), ingestor);
        intake.start();
    }

    @AfterAll
    static void stop() {
        intake.close();
        archive.close();
    }

    @Test
    void aGpExtractIsIngestedMovedToDoneAndItsRefusedMessageReported() throws Exception {
        String name = "riverside-20251125.hl7";

        drop(name, nightlyExtract());

        Path done = awaitDone(name, 1).get(0);
        assertThat(done.getFileName().toString()).isEqualTo(name);
        assertThat(intakeDir.resolve(name)).doesNotExist();
        assertThat(refusals(reportOf(done))).containsExactly(
                "4\tRSX0004\tAE\tPID-3: at least one patient identifier is required");

        List<RawMessage> raw = raw(name);
        assertThat(raw).extracting(RawMessage::getControlId).containsExactly("RSX0001", "RSX0002", "RSX0003");
        assertThat(raw).allSatisfy(r -> {
            assertThat(r.getTransport()).isEqualTo(Transport.BATCH_FILE);
            assertThat(r.getReceivedBy()).isEqualTo("batch:" + intakeDir);
            assertThat(r.getAckCode()).isEqualTo(AckCode.AA);
            assertThat(r.getSendingFacility()).isEqualTo(GpExtract.FACILITY);
        });
        assertThat(raw).extracting(RawMessage::getMessageType)
                .containsExactly("ADT^A28", "ADT^A31", "ORU^R01");

        List<RejectedMessage> refused = deadLetters("RSX0004");
        assertThat(refused).singleElement().satisfies(r -> {
            assertThat(r.getTransport()).isEqualTo(Transport.BATCH_FILE);
            assertThat(r.getAckCode()).isEqualTo(AckCode.AE);
            assertThat(r.getReason()).contains("PID-3");
            // Verbatim, line endings and all.
            assertThat(bytes(r.getPayload())).isEqualTo(GpExtract.bytes(String.join("\r\n",
                    GpExtract.resultWithoutPatientId("RSX0004"))));
        });
    }

    @Test
    void droppingTheSameFileAgainIsAcknowledgedAgainWithTheSameMessageIds() throws Exception {
        String name = "riverside-20251126.hl7";
        String extract = nightlyExtract().replace("RSX000", "RSY000");
        drop(name, extract);
        awaitDone(name, 1);
        List<RawMessage> first = raw(name);

        drop(name, extract);

        List<Path> done = awaitDone(name, 2);
        Path second = done.stream().filter(p -> !p.getFileName().toString().equals(name)).findFirst().orElseThrow();
        assertThat(second.getFileName().toString()).matches("riverside-20251126\\.\\d{8}T\\d{6}Z\\.hl7");
        assertThat(refusals(reportOf(second))).containsExactly(
                "4\tRSY0004\tAE\tPID-3: at least one patient identifier is required");
        List<RawMessage> all = raw(name);
        assertThat(all).hasSize(6);
        List<RawMessage> again = all.subList(3, 6);
        assertThat(again).extracting(RawMessage::getAckCode).containsOnly(AckCode.AA);
        assertThat(again).extracting(RawMessage::getMessageId)
                .containsExactlyElementsOf(first.stream().map(RawMessage::getMessageId).toList());
        assertThat(deadLetters("RSY0004")).hasSize(2);
    }

    @Test
    void aFileWithoutEnvelopeAndAllGoodIsMovedWithoutReport() throws Exception {
        String name = "riverside-adhoc.txt";
        drop(name, lines("\n", GpExtract.registration("RSZ0001")) + lines("\n", GpExtract.update("RSZ0002")));

        Path done = awaitDone(name, 1).get(0);

        assertThat(done.resolveSibling(name + ".report.txt")).doesNotExist();
        assertThat(raw(name)).extracting(RawMessage::getControlId).containsExactly("RSZ0001", "RSZ0002");
    }

    /**
     * A file holding a message larger than the cluster's raw topic takes (an external cluster left at Kafka's defaults,
     * a result with an embedded report): that message is refused (AR) for good, so the file completes in one poll
     * with the refusal in its report, the later file is read in the same poll, and polling again sends nothing twice.
     * Until the twenty-ninth session the AR with error 207 was taken for "could not be stored": the file stayed, its
     * good message went to hl7.raw again on every poll, and no later file was ever read.
     */
    @Test
    void aMessageLargerThanTheRawTopicTakesIsReportedRefusedAndTheFileCompletes(@TempDir Path dir) throws Exception {
        String prefix = "it-batch-toolarge.";
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), prefix, 1, (short) 1);
        TopicLimits.maxMessageBytes(platform, Topics.HL7_RAW.name(prefix), 64 * 1024);
        List<String> large = new ArrayList<>(GpExtract.result("RSL0002"));
        for (int i = 1; i <= 100; i++) {
            large.add("NTE|" + i + "||" + "x".repeat(1000));
        }
        Path first = settled(dir.resolve("riverside-large.hl7"), lines("\r\n", GpExtract.registration("RSL0001"))
                + lines("\r\n", large) + lines("\r\n", GpExtract.update("RSL0003")), 120);
        Path later = settled(dir.resolve("riverside-later.hl7"), lines("\r\n", GpExtract.update("RSL0004")), 60);
        try (MessageArchive smallRaw = new MessageArchive(new MessageArchive.Settings(platform.kafka(),
                platform.schemaRegistryUrl(), prefix, 15000))) {
            IntakeDirectory polled = new IntakeDirectory(IntakeConfig.defaults().withDirectory(dir)
                    .withTiming(Duration.ofHours(1), Duration.ZERO), new Ingestor(
                    new MessageValidator(MessageValidator.Rules.defaults()), smallRaw,
                    new AckBuilder("CAREWEAVE", "CAREWEAVE", ZoneId.of("Europe/London")), null,
                    new SimpleMeterRegistry()));

            List<FileOutcome> outcomes = polled.pollOnce();

            assertThat(outcomes).extracting(FileOutcome::fileName, FileOutcome::status).containsExactly(
                    tuple("riverside-large.hl7", FileOutcome.Status.DONE),
                    tuple("riverside-later.hl7", FileOutcome.Status.DONE));
            assertThat(first).doesNotExist();
            assertThat(later).doesNotExist();
            Path done = dir.resolve(IntakeDirectory.DONE).resolve("riverside-large.hl7");
            assertThat(done).exists();
            assertThat(refusals(reportOf(done))).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("2\tRSL0002\tAR\tmessage of ").contains("larger than Kafka's topics take"));

            polled.pollOnce();
            polled.pollOnce();
        }
        List<RawMessage> raw = TopicContents.values(platform, Topics.HL7_RAW.name(prefix));
        assertThat(raw).extracting(RawMessage::getControlId).containsExactly("RSL0001", "RSL0003", "RSL0004");
        List<RejectedMessage> refused = TopicContents.values(platform, Topics.HL7_DEADLETTER.name(prefix));
        assertThat(refused).singleElement().satisfies(r -> {
            assertThat(r.getControlId()).isEqualTo("RSL0002");
            assertThat(r.getAckCode()).isEqualTo(AckCode.AR);
        });
    }

    /** FHS/BHS, a registration, an update, a result, and a result without any patient identifier. */
    private static String nightlyExtract() {
        return lines("\r\n", List.of(fileHeader(), batchHeader()))
                + lines("\r\n", GpExtract.registration("RSX0001"))
                + lines("\r\n", GpExtract.update("RSX0002"))
                + lines("\r\n", GpExtract.result("RSX0003"))
                + lines("\r\n", GpExtract.resultWithoutPatientId("RSX0004"))
                + lines("\r\n", List.of(batchTrailer(4), fileTrailer(1)));
    }

    /** As a careful sender does: written under a dot name, which the intake ignores, then renamed. */
    private static void drop(String name, String content) throws IOException {
        Path partial = intakeDir.resolve("." + name + ".partial");
        Files.write(partial, GpExtract.bytes(content));
        Files.move(partial, intakeDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Written as if {@code secondsAgo}, so that the intake takes it at once and in this order. */
    private static Path settled(Path file, String content, int secondsAgo) throws IOException {
        Files.write(file, GpExtract.bytes(content));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(secondsAgo)));
        return file;
    }

    /** The processed copies of a file in done/ (reports excluded), once there are {@code count} of them. */
    private static List<Path> awaitDone(String name, int count) throws Exception {
        String stem = name.substring(0, name.lastIndexOf('.'));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Path> found = List.of();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(intakeDir.resolve(IntakeDirectory.DONE))) {
                found = files.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith(stem) && !n.endsWith(".report.txt");
                }).sorted().toList();
            }
            if (found.size() >= count && !Files.exists(intakeDir.resolve(name))) {
                return found;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + count + " processed copies of " + name + " in done/, found " + found);
    }

    private static Path reportOf(Path done) {
        return done.resolveSibling(done.getFileName() + ".report.txt");
    }

    private static List<String> refusals(Path report) throws IOException {
        return Files.readAllLines(report, StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith("#")).toList();
    }

    private static List<RawMessage> raw(String fileName) {
        return TopicContents.<RawMessage>values(platform, Topics.HL7_RAW.name(PREFIX)).stream()
                .filter(r -> fileName.equals(r.getBatchFile()))
                .toList();
    }

    private static List<RejectedMessage> deadLetters(String controlId) {
        return TopicContents.<RejectedMessage>values(platform, Topics.HL7_DEADLETTER.name(PREFIX)).stream()
                .filter(r -> controlId.equals(r.getControlId()))
                .toList();
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
