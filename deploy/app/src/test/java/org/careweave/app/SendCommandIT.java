package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.careweave.ingest.IngestConfig;
import org.careweave.ingest.ack.AckBuilder;
import org.careweave.ingest.archive.MessageArchive;
import org.careweave.ingest.intake.FacilityAllowlist;
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
 * {@code careweave send} run in-process against a real MLLP listener on the embedded platform: one line per ACK, a
 * summary, and the exit status a script can act on.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class SendCommandIT {

    private static final String PREFIX = "it-send.";
    private static final String PASSWORD = "changeit";
    private static final String CLIENT_DN = "CN=Riverside Test Surgery,O=Invented Practice,C=GB";

    @TempDir
    static Path dir;

    private static MessageArchive archive;
    private static MllpServer plain;
    private static MllpServer tls;
    private static Certificates certificates;

    @BeforeAll
    static void start(Platform platform) throws Exception {
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 1, (short) 1);
        archive = new MessageArchive(new MessageArchive.Settings(platform.kafka(),
                platform.schemaRegistryUrl(), PREFIX, 15000));
        plain = MllpServer.start(IngestConfig.defaults().withPort(0), ingestor(null));

        certificates = Certificates.create(dir.resolve("tls"));
        Path allowlist = Files.writeString(dir.resolve("allowlist.txt"), CLIENT_DN + " = Z99901\n");
        tls = MllpServer.start(IngestConfig.defaults().withPort(0).withTls(new IngestConfig.Tls(
                        certificates.serverKeys(), PASSWORD, certificates.serverTrust(), PASSWORD, allowlist)),
                ingestor(FacilityAllowlist.load(allowlist)));
    }

    @AfterAll
    static void stop() {
        if (tls != null) {
            tls.close();
        }
        if (plain != null) {
            plain.close();
        }
        if (archive != null) {
            archive.close();
        }
    }

    @Test
    void aBatchFileOfGoodMessagesIsAllAcceptedAndExitsZero() throws IOException {
        Path file = write("riverside-20251125.hl7", String.join("\r\n",
                "FHS|^~\\&|GPSYS|Z99901|CAREWEAVE|CAREWEAVE|20251125231500||riverside-20251125.hl7",
                "BHS|^~\\&|GPSYS|Z99901|CAREWEAVE|CAREWEAVE|20251125231500",
                registration("RSS0001"), update("RSS0002"), result("RSS0003", "9990001022^^^NHS^NH"),
                "BTS|3", "FTS|1", ""));

        Run run = careweave("send", "--port", String.valueOf(plain.port()), file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).containsExactly(
                file + "#1 RSS0001 AA",
                file + "#2 RSS0002 AA",
                file + "#3 RSS0003 AA",
                "sent 3 messages from 1 file: 3 AA, 0 AE, 0 AR");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aRefusedMessageIsPrintedWithItsReasonAndExitsOne() throws IOException {
        Path good = write("adhoc-1.hl7", registration("RST0001") + "\n");
        Path mixed = write("adhoc-2.hl7", String.join("\n", update("RST0002"), result("RST0003", ""), ""));

        Run run = careweave("send", "--port", String.valueOf(plain.port()), good.toString(), mixed.toString());

        assertThat(run.exitCode()).isEqualTo(SendCommand.SOME_REFUSED);
        assertThat(run.outLines()).containsExactly(
                good + "#1 RST0001 AA",
                mixed + "#1 RST0002 AA",
                mixed + "#2 RST0003 AE PID-3: at least one patient identifier is required",
                "sent 3 messages from 2 files: 2 AA, 1 AE, 0 AR");
    }

    @Test
    void envelopeCountMismatchIsAWarningOnStandardError() throws IOException {
        Path file = write("short-count.hl7", String.join("\r", "BHS|^~\\&|GPSYS|Z99901",
                registration("RSU0001"), update("RSU0002"), "BTS|3", ""));

        Run run = careweave("send", "--port", String.valueOf(plain.port()), file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).hasSize(3);
        assertThat(run.err())
                .contains(file + ": warning: line 10: BTS-1 says the batch has 3 messages but 2 were found");
    }

    @Test
    void overTlsWithAClientCertificate() throws IOException {
        Path file = write("riverside-tls.hl7", registration("RSV0001") + "\r");

        Run run = careweave("send", "--port", String.valueOf(tls.port()), "--tls",
                "--key-store", certificates.clientKeys().toString(), "--key-store-password", PASSWORD,
                "--trust-store", certificates.clientTrust().toString(), "--trust-store-password", PASSWORD,
                file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).containsExactly(file + "#1 RSV0001 AA",
                "sent 1 message from 1 file: 1 AA, 0 AE, 0 AR");
    }

    @Test
    void nothingListeningExitsTwo() throws IOException {
        Path file = write("unsent.hl7", registration("RSW0001"));
        int nobodyListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobodyListens = socket.getLocalPort();
        }

        Run run = careweave("send", "--port", String.valueOf(nobodyListens), file.toString());

        assertThat(run.exitCode()).isEqualTo(SendCommand.NOT_SENT);
        assertThat(run.err()).contains("cannot connect to 127.0.0.1:" + nobodyListens);
    }

    @Test
    void aMissingFileSendsNothingAndExitsTwo() {
        Run run = careweave("send", "--port", String.valueOf(plain.port()), dir.resolve("absent.hl7").toString());

        assertThat(run.exitCode()).isEqualTo(SendCommand.NOT_SENT);
        assertThat(run.err()).contains("cannot read");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aFileWithNoMessageSendsNothingAndExitsTwo() throws IOException {
        Path good = write("adhoc-3.hl7", registration("RSY0001") + "\r");
        Path empty = write("empty.hl7", "");
        Path blank = write("blank.hl7", "\r\n  \n");

        for (Path nothing : List.of(empty, blank)) {
            Run run = careweave("send", "--port", String.valueOf(plain.port()), good.toString(), nothing.toString());

            assertThat(run.exitCode()).as(run.err()).isEqualTo(SendCommand.NOT_SENT);
            assertThat(run.err()).contains("no HL7 message").contains(nothing.toString());
            assertThat(run.out()).as("checked before anything is sent").isEmpty();
        }
    }

    // Invented people; NHS numbers in the 999 test range, valid by Modulus 11.

    private static String registration(String controlId) {
        return String.join("\r",
                msh("ADT^A28^ADT_A05", controlId),
                "EVN|A28|20251125231501",
                "PID|1||9990001006^^^NHS^NH~RSX100231^^^Z99901^PI||Thornbury^Eleanor^May^^Mrs||19470312|F|||"
                        + "14 Willow Lane^^Exampleton^^ZZ99 3AA^GBR",
                "PV1|1|N");
    }

    private static String update(String controlId) {
        return String.join("\r",
                msh("ADT^A31^ADT_A05", controlId),
                "EVN|A31|20251125231502",
                "PID|1||9990001014^^^NHS^NH||Pennick^Samuel^James^^Mr||19820704|M|||"
                        + "Flat 2, 9 Harbour Road^^Exampleton^^ZZ99 4BB^GBR",
                "PV1|1|N");
    }

    private static String result(String controlId, String patientIds) {
        return String.join("\r",
                msh("ORU^R01^ORU_R01", controlId),
                "PID|1||" + patientIds + "||Achterberg^Lotte||19650921|F",
                "OBR|1|RSX-ORD-5531|RSX-RES-5531|44P3.^Serum cholesterol^READ|||20251124093000",
                "OBX|1|NM|44P3.^Serum cholesterol^READ||5.2|mmol/L|<5.0|H|||F|||20251124093000");
    }

    private static String msh(String type, String controlId) {
        return "MSH|^~\\&|GPSYS|Z99901|CAREWEAVE|CAREWEAVE|20251125231501||" + type + "|" + controlId
                + "|P|2.4|||AL|NE|GBR|8859/1";
    }

    private static Ingestor ingestor(FacilityAllowlist allowlist) {
        return new Ingestor(new MessageValidator(MessageValidator.Rules.defaults()), archive,
                new AckBuilder("CAREWEAVE", "CAREWEAVE", ZoneId.of("Europe/London")), allowlist,
                new SimpleMeterRegistry());
    }

    private static Path write(String name, String content) throws IOException {
        return Files.write(dir.resolve(name), content.getBytes(StandardCharsets.ISO_8859_1));
    }

    private record Run(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    private static Run careweave(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Careweave.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /**
     * Self-signed server and client certificates made with the JDK's keytool (deploy/app has no certificate library),
     * each trusting the other; the server's names 127.0.0.1 so that the client's hostname check passes.
     */
    private record Certificates(Path serverKeys, Path serverTrust, Path clientKeys, Path clientTrust) {

        static Certificates create(Path dir) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            Certificates c = new Certificates(dir.resolve("server.p12"), dir.resolve("server-trust.p12"),
                    dir.resolve("client.p12"), dir.resolve("client-trust.p12"));
            keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=careweave,O=Invented Trust,C=GB", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                    "-keystore", c.serverKeys().toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
            keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", CLIENT_DN, "-validity", "2",
                    "-keystore", c.clientKeys().toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
            Path serverCert = dir.resolve("server.crt");
            Path clientCert = dir.resolve("client.crt");
            keytool("-exportcert", "-alias", "server", "-keystore", c.serverKeys().toString(),
                    "-storepass", PASSWORD, "-file", serverCert.toString());
            keytool("-exportcert", "-alias", "client", "-keystore", c.clientKeys().toString(),
                    "-storepass", PASSWORD, "-file", clientCert.toString());
            keytool("-importcert", "-noprompt", "-alias", "client", "-file", clientCert.toString(),
                    "-keystore", c.serverTrust().toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
            keytool("-importcert", "-noprompt", "-alias", "server", "-file", serverCert.toString(),
                    "-keystore", c.clientTrust().toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
            return c;
        }

        private static void keytool(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        }
    }
}
