package org.careweave.ingest.mllp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocketFactory;

import org.careweave.ingest.tls.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a scripted peer: framing, ACK decoding, and what it does when the peer misbehaves. */
class MllpClientTest {

    private static final String MESSAGE = "MSH|^~\\&|GPSYS|Z99901|CAREWEAVE|CAREWEAVE|20251125231502||ADT^A31|RSX0002"
            + "|P|2.4\rPID|1||9990001014^^^NHS^NH||Pennick^Samuel";
    private static final String ACK = "MSH|^~\\&|CAREWEAVE|CAREWEAVE|GPSYS|Z99901|20251125231502+0000||ACK^A31^ACK"
            + "|CW1|P|2.4\rMSA|AA|RSX0002\r";

    @TempDir
    Path dir;

    @Test
    void sendsOneFramedMessageAndReturnsTheAckText() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<byte[]> received = answerOnce(server, frame -> frame(ACK));

            try (MllpClient client = MllpClient.connect("127.0.0.1", server.getLocalPort())) {
                assertThat(client.send(MESSAGE.getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(ACK);
            }
            assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo(frame(MESSAGE));
        }
    }

    @Test
    void theAckIsReadInTheCharsetItsMsh18Names() throws Exception {
        String ack = ACK.replace("|P|2.4\r", "|P|2.4||||||UNICODE UTF-8\r").replace("MSA|AA|RSX0002",
                "MSA|AE|RSX0002|Größe unbekannt");
        try (ServerSocket server = new ServerSocket(0)) {
            answerOnce(server, frame -> frame(ack.getBytes(StandardCharsets.UTF_8)));

            try (MllpClient client = MllpClient.connect("127.0.0.1", server.getLocalPort())) {
                assertThat(client.send(MESSAGE.getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(ack);
            }
        }
    }

    @Test
    void noAnswerWithinTheReadTimeoutIsATimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            answerOnce(server, frame -> null);
            MllpClient.Settings settings = MllpClient.Settings.plain("127.0.0.1", server.getLocalPort())
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300));

            try (MllpClient client = MllpClient.connect(settings)) {
                assertThatThrownBy(() -> client.send(MESSAGE.getBytes(StandardCharsets.ISO_8859_1)))
                        .isInstanceOf(SocketTimeoutException.class);
            }
        }
    }

    @Test
    void anAnswerThatIsNotAnMllpFrameIsAnError() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            answerOnce(server, frame -> "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            try (MllpClient client = MllpClient.connect("127.0.0.1", server.getLocalPort())) {
                assertThatThrownBy(() -> client.send(MESSAGE.getBytes(StandardCharsets.ISO_8859_1)))
                        .isInstanceOf(IOException.class).hasMessageContaining("not answer with an MLLP frame");
            }
        }
    }

    @Test
    void nothingListeningIsAConnectionFailure() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertThatThrownBy(() -> MllpClient.connect("127.0.0.1", port)).isInstanceOf(IOException.class);
    }

    @Test
    void overTlsWithAClientCertificate() throws Exception {
        TestCertificates authority = TestCertificates.newAuthority("careweave test CA");
        Path serverKeys = authority.issue(dir, "CN=careweave,O=Invented Trust,C=GB", true);
        Path clientKeys = authority.issue(dir, "CN=Riverside Test Surgery,O=Invented Practice,C=GB", false);
        Path trustStore = authority.trustStore(dir);
        SSLServerSocket server = (SSLServerSocket) TestCertificates.clientContext(serverKeys, trustStore)
                .getServerSocketFactory().createServerSocket(0);
        server.setNeedClientAuth(true);
        try (server) {
            answerOnce(server, frame -> frame(ACK));
            SSLSocketFactory tls = MllpClient.tlsSocketFactory(clientKeys, TestCertificates.PASSWORD, trustStore,
                    TestCertificates.PASSWORD);

            try (MllpClient client = MllpClient.connect(MllpClient.Settings.plain("127.0.0.1", server.getLocalPort())
                    .withTls(tls, true))) {
                assertThat(client.send(MESSAGE.getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(ACK);
            }
        }
    }

    /** Accepts one connection, reads one frame, and writes what {@code answer} gives (nothing when null). */
    private static CompletableFuture<byte[]> answerOnce(ServerSocket server, Function<byte[], byte[]> answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                int previous = -1;
                for (int b = in.read(); b >= 0; b = in.read()) {
                    frame.write(b);
                    if (previous == 0x1C && b == 0x0D) {
                        break;
                    }
                    previous = b;
                }
                byte[] reply = answer.apply(frame.toByteArray());
                if (reply != null) {
                    OutputStream out = socket.getOutputStream();
                    out.write(reply);
                    out.flush();
                }
                // Hold the connection until the client is done with it.
                while (in.read() >= 0) {
                    // discard
                }
                return frame.toByteArray();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, task -> new Thread(task, "scripted-mllp-peer").start());
    }

    private static byte[] frame(String text) {
        return frame(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] frame(byte[] payload) {
        byte[] framed = new byte[payload.length + 3];
        framed[0] = 0x0B;
        System.arraycopy(payload, 0, framed, 1, payload.length);
        framed[payload.length + 1] = 0x1C;
        framed[payload.length + 2] = 0x0D;
        return framed;
    }
}
