package org.careweave.ingest.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.careweave.events.RawMessage;
import org.careweave.events.RejectedMessage;
import org.careweave.events.RejectionStage;
import org.careweave.events.Transport;
import org.careweave.ingest.IngestConfig;
import org.careweave.ingest.IngestService;
import org.careweave.ingest.SampleMessages;
import org.careweave.ingest.TopicContents;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.util.StandardSocketFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * MLLP over TLS with client certificates, sent by HAPI's own client: a certificate may send only for the facilities
 * the allowlist gives it; a certificate the server does not trust cannot connect at all.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class MllpTlsIT {

    private static final String PREFIX = "it-tls.";
    private static final String ALLOWED_CLIENT = "CN=Leeds PAS interface,O=Invented Trust,C=GB";

    @TempDir
    static Path dir;

    private static Platform platform;
    private static IngestService ingest;
    private static Path trustStore;
    private static Path allowedClient;
    private static Path untrustedClient;

    @BeforeAll
    static void start(Platform shared) throws Exception {
        platform = shared;
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 1, (short) 1);
        TestCertificates authority = TestCertificates.newAuthority("careweave test CA");
        Path serverKeys = authority.issue(dir, "CN=careweave,O=Invented Trust,C=GB", true);
        trustStore = authority.trustStore(dir);
        allowedClient = authority.issue(dir, ALLOWED_CLIENT, false);
        TestCertificates stranger = TestCertificates.newAuthority("someone else's CA");
        untrustedClient = stranger.issue(dir, "CN=Unknown sender,C=GB", false);
        Path allowlist = Files.writeString(dir.resolve("allowlist.txt"),
                "# certificate subject = facilities it may send for\n" + ALLOWED_CLIENT + " = RTLS1, RTLS2\n");
        IngestConfig config = IngestConfig.defaults().withPort(0).withTls(new IngestConfig.Tls(serverKeys,
                TestCertificates.PASSWORD, trustStore, TestCertificates.PASSWORD, allowlist));
        ingest = IngestService.start(config, platform.kafka(), platform.schemaRegistryUrl(), PREFIX,
                new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() {
        ingest.close();
    }

    @Test
    void allowedCertificateSendingForItsFacilityIsAccepted() throws Exception {
        try (HapiContext hapi = hapi(TestCertificates.clientContext(allowedClient, trustStore))) {
            Connection connection = hapi.newClient("127.0.0.1", ingest.port(), true);
            Message ack = connection.getInitiator().sendAndReceive(hapi.getPipeParser().parse(
                    SampleMessages.adtA01("RTLS1", "TLS-OK-1", SampleMessages.NHS_A, "T1", "Testtls", "Fay")));
            assertThat(new Terser(ack).get("/MSA-1")).isEqualTo("AA");
            connection.close();
        }
        List<RawMessage> raw = TopicContents.await(platform, Topics.HL7_RAW.name(PREFIX),
                (RawMessage r) -> r.getControlId().equals("TLS-OK-1"), 1);
        assertThat(raw).singleElement().satisfies(r -> {
            assertThat(r.getTransport()).isEqualTo(Transport.MLLP_TLS);
            assertThat(r.getTlsPeer()).contains("CN=Leeds PAS interface");
        });
    }

    @Test
    void allowedCertificateSendingForAnotherFacilityIsRefused() throws Exception {
        try (HapiContext hapi = hapi(TestCertificates.clientContext(allowedClient, trustStore))) {
            Connection connection = hapi.newClient("127.0.0.1", ingest.port(), true);
            Message ack = connection.getInitiator().sendAndReceive(hapi.getPipeParser().parse(
                    SampleMessages.adtA01("ROTHER", "TLS-NO-1", SampleMessages.NHS_A, "T2", "Testtls", "Gus")));
            assertThat(new Terser(ack).get("/MSA-1")).isEqualTo("AR");
            assertThat(new Terser(ack).get("/MSA-3")).contains("may not send for facility ROTHER");
            connection.close();
        }
        assertThat(TopicContents.await(platform, Topics.HL7_DEADLETTER.name(PREFIX),
                (RejectedMessage r) -> "TLS-NO-1".equals(r.getControlId()), 1))
                .singleElement().satisfies(r -> assertThat(r.getStage()).isEqualTo(RejectionStage.AUTHORISATION));
        assertThat(TopicContents.<RawMessage>values(platform, Topics.HL7_RAW.name(PREFIX)))
                .noneMatch(r -> r.getControlId().equals("TLS-NO-1"));
    }

    @Test
    void certificateFromAnUntrustedAuthorityCannotConnect() throws Exception {
        SSLContext context = TestCertificates.clientContext(untrustedClient, trustStore);
        assertThatThrownBy(() -> {
            try (Socket socket = context.getSocketFactory().createSocket("127.0.0.1", ingest.port())) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(new byte[] {0x0B, 'M', 'S', 'H', 0x1C, 0x0D});
                socket.getOutputStream().flush();
                if (socket.getInputStream().read() < 0) {
                    throw new IOException("closed by server");
                }
            }
        }).isInstanceOf(IOException.class);
    }

    private static HapiContext hapi(SSLContext tls) {
        HapiContext hapi = new DefaultHapiContext();
        hapi.setModelClassFactory(new GenericModelClassFactory());
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        hapi.setSocketFactory(new StandardSocketFactory() {
            @Override
            public Socket createTlsSocket() throws IOException {
                return tls.getSocketFactory().createSocket();
            }
        });
        return hapi;
    }
}
