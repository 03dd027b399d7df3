package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import org.careweave.ingest.IngestConfig;
import org.careweave.ingest.ack.AckBuilder;
import org.careweave.ingest.archive.MessageArchive;
import org.careweave.ingest.intake.Ingestor;
import org.careweave.ingest.mllp.MllpServer;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * {@code careweave dead-letters} against messages a real MLLP listener refused on the embedded platform: the refusals
 * are listed with their reasons and without patient data, selected by stage, facility, time and position, exported
 * byte for byte to owner-only files, and an exported message, once fixed, is accepted when sent again.
 * Invented people; NHS numbers in the 999 test range.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class DeadLettersCommandIT {

    private static final String PREFIX = "it-deadletters.";
    private static final String REFUSED_RESULT = String.join("\r",
            "MSH|^~\\&|LABSYS|Z99901|CAREWEAVE|CAREWEAVE|20261128090000||ORU^R01^ORU_R01|RDL0002|P|2.4|||AL|NE|GBR"
                    + "|8859/1",
            "PID|1||||Achterberg^Lotte||19650921|F",
            "OBR|1|RDL-ORD-1|RDL-RES-1|44P3.^Serum cholesterol^READ|||20261128083000",
            "OBX|1|NM|44P3.^Serum cholesterol^READ||5.2|mmol/L|<5.0|H|||F|||20261128083000");

    @TempDir
    static Path dir;

    private static MessageArchive archive;
    private static MllpServer listener;
    private static ExternalPlatformProperties properties;

    @BeforeAll
    static void refuseSomeMessages(Platform platform) throws Exception {
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 1, (short) 1);
        properties = new ExternalPlatformProperties(platform, PREFIX);
        archive = new MessageArchive(new MessageArchive.Settings(platform.kafka(), platform.schemaRegistryUrl(),
                PREFIX, 15000));
        listener = MllpServer.start(IngestConfig.defaults().withPort(0), new Ingestor(
                new MessageValidator(MessageValidator.Rules.defaults()), archive,
                new AckBuilder("CAREWEAVE", "CAREWEAVE", ZoneId.of("Europe/London")), null,
                new SimpleMeterRegistry()));

        Path good = write("good.hl7", String.join("\r",
                "MSH|^~\\&|PAS|Z99901|CAREWEAVE|CAREWEAVE|20261128090000||ADT^A28^ADT_A05|RDL0001|P|2.4|||AL|NE|GBR"
                        + "|8859/1",
                "EVN|A28|20261128090000",
                "PID|1||9990001006^^^NHS^NH||Thornbury^Eleanor||19470312|F",
                "PV1|1|N"));
        Path refused = write("refused.hl7", REFUSED_RESULT);
        CommandRun sent = CommandRun.of("send", "--port", String.valueOf(listener.port()), good.toString(),
                refused.toString());
        assertThat(sent.outLines()).contains(good + "#1 RDL0001 AA");
        assertThat(sent.out()).contains("RDL0002 AE");

        // A sender that drops the connection half-way through a message: refused at FRAMING, kept all the same.
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(0x0B);
            out.write(("MSH|^~\\&|PAS|Z99902|CAREWEAVE|CAREWEAVE|20261128090500||ADT^A31^ADT_A05|RDL0003|P|2.4\r"
                    + "PID|1||9990001014^^^NHS^NH||Pennick^Sam").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        // The listener writes the framing dead letter after the connection closes, so it may not be there yet.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!CommandRun.of("dead-letters", "list").out().contains("careweave dead-letters list: 2 of 2")) {
            assertThat(System.nanoTime()).as("both refusals in the dead-letter topic").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() {
        if (listener != null) {
            listener.close();
        }
        if (archive != null) {
            archive.close();
        }
        if (properties != null) {
            properties.close();
        }
    }

    @Test
    void listShowsEachRefusalWithItsReasonAndCountsByFacilityAndStage() {
        CommandRun run = CommandRun.of("dead-letters", "list");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines.get(0)).matches("0:\\d+  \\S+Z  VALIDATION  AE  Z99901  ORU\\^R01  RDL0002"
                + "  .*PID-3.*");
        assertThat(lines.get(1)).matches("0:\\d+  \\S+Z  FRAMING  AR  Z99902  ADT\\^A31  RDL0003  connection closed"
                + " before the end of the frame");
        assertThat(lines).contains("careweave dead-letters list: 2 of 2 records in " + PREFIX + "hl7.deadletter",
                "  Z99901  VALIDATION 1", "  Z99902  FRAMING 1");
        assertNoPatientData(run);
    }

    @Test
    void listNarrowsByStageFacilityTimeAndPosition() {
        CommandRun framing = CommandRun.of("dead-letters", "list", "--stage", "FRAMING");
        assertThat(framing.outLines()).hasSize(3).first().asString().contains("FRAMING");

        CommandRun facility = CommandRun.of("dead-letters", "list", "--facility", "Z99901");
        assertThat(facility.outLines().get(0)).contains("RDL0002");
        assertThat(facility.out()).contains("1 of 2 records").doesNotContain("FRAMING");

        assertThat(CommandRun.of("dead-letters", "list", "--since", "1h").out()).contains("2 of 2 records");
        assertThat(CommandRun.of("dead-letters", "list", "--until", "2020-01-01").out()).contains("0 of 2 records");

        String position = positionOf("RDL0002");
        CommandRun one = CommandRun.of("dead-letters", "list", position, "0:999");
        assertThat(one.outLines().get(0)).startsWith(position + "  ").contains("RDL0002");
        assertThat(one.outLines().get(1)).isEqualTo("0:999  no dead letter there");
        assertThat(one.out()).contains("1 of 2 records");

        CommandRun limited = CommandRun.of("dead-letters", "list", "--limit", "1");
        assertThat(limited.out()).contains("(1 more not listed");

        CommandRun bad = CommandRun.of("dead-letters", "list", "--since", "yesterday");
        assertThat(bad.exitCode()).isEqualTo(DeadLettersCommand.NOT_DONE);
        assertThat(bad.err()).contains("a time is an ISO date");
    }

    @Test
    void anExportedMessageIsTheBytesReceivedAndOnceFixedIsAccepted() throws IOException {
        Path out = dir.resolve("export");
        String position = positionOf("RDL0002");

        CommandRun export = CommandRun.of("dead-letters", "export", "--out", out.toString(), position);

        assertThat(export.exitCode()).as(export.err()).isZero();
        Path file = out.resolve("Z99901_RDL0002_" + position.replace(':', '-') + ".hl7");
        assertThat(Files.readAllBytes(file)).isEqualTo(REFUSED_RESULT.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(export.out()).contains("1 written to " + out);
        assertNoPatientData(export);

        CommandRun again = CommandRun.of("dead-letters", "export", "--out", out.toString(), position, "0:999");
        assertThat(again.exitCode()).isEqualTo(DeadLettersCommand.PARTLY);
        assertThat(again.err()).contains("exists").contains("0:999  no dead letter there");

        Path fixed = write("fixed.hl7", new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                .replace("PID|1||||", "PID|1||9990001022^^^NHS^NH||"));
        CommandRun resent = CommandRun.of("send", "--port", String.valueOf(listener.port()), fixed.toString());
        assertThat(resent.outLines()).containsExactly(fixed + "#1 RDL0002 AA",
                "sent 1 message from 1 file: 1 AA, 0 AE, 0 AR");
    }

    @Test
    void exportNeedsASelectionSoThatTheWholeTopicIsNotWrittenOutByAccident() {
        CommandRun run = CommandRun.of("dead-letters", "export", "--out", dir.resolve("all").toString());

        assertThat(run.exitCode()).isEqualTo(DeadLettersCommand.NOT_DONE);
        assertThat(run.err()).contains("select what to export");
        assertThat(dir.resolve("all")).doesNotExist();
    }

    @Test
    void exportByStageWritesEveryMatchingMessage() throws IOException {
        Path out = dir.resolve("framing");

        CommandRun run = CommandRun.of("dead-letters", "export", "--out", out.toString(), "--stage", "FRAMING");

        assertThat(run.exitCode()).as(run.err()).isZero();
        try (var files = Files.list(out)) {
            List<Path> written = files.toList();
            assertThat(written).hasSize(1);
            assertThat(Files.readString(written.get(0), StandardCharsets.ISO_8859_1)).contains("RDL0003");
        }
    }

    private static String positionOf(String controlId) {
        return CommandRun.of("dead-letters", "list").outLines().stream().filter(l -> l.contains(controlId))
                .findFirst().orElseThrow().split(" ")[0];
    }

    /** An NHS number is ten digits standing alone: a temporary directory's long random name may hold 999 too. */
    private static void assertNoPatientData(CommandRun run) {
        assertThat(run.out() + run.err()).doesNotContainPattern("(?<!\\d)999\\d{7}(?!\\d)")
                .doesNotContain("Achterberg", "Lotte", "Pennick", "19650921");
    }

    private static Path write(String name, String content) throws IOException {
        return Files.write(dir.resolve(name), content.getBytes(StandardCharsets.ISO_8859_1));
    }
}
