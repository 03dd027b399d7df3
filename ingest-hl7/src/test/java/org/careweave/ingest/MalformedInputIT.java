package org.careweave.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.careweave.events.RejectedMessage;
import org.careweave.events.RejectionStage;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Bad input at the socket level: garbage, truncated frames, oversize messages, a slow sender, and hundreds of
 * concurrent connections. Each bad connection gets an answer or is closed, its bytes are kept, and the server keeps
 * serving everyone else.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class MalformedInputIT {

    private static final String PREFIX = "it-malformed.";
    private static final int MAX_BYTES = 64 * 1024;

    private static Platform platform;
    private static IngestService ingest;

    @BeforeAll
    static void start(Platform shared) {
        platform = shared;
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 1, (short) 1);
        IngestConfig config = IngestConfig.defaults().withPort(0)
                .withLimits(MAX_BYTES, Duration.ofSeconds(30), Duration.ofSeconds(2));
        ingest = IngestService.start(config, platform.kafka(), platform.schemaRegistryUrl(), PREFIX,
                new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() {
        ingest.close();
    }

    @Test
    void garbageIsAnsweredArKeptAndTheConnectionClosedWhileOthersAreServed() throws Exception {
        try (Socket bad = connect(); Socket good = connect()) {
            bad.getOutputStream().write("GET / HTTP/1.1\r\nHost: careweave\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            bad.getOutputStream().flush();
            String answer = readFrame(bad.getInputStream());
            assertThat(answer).contains("MSA|AR|");
            assertThat(bad.getInputStream().read()).as("connection closed").isEqualTo(-1);

            assertThat(sendAndReceive(good, SampleMessages.adtA01("RGARB", "GOOD-1", SampleMessages.NHS_A, "M1",
                    "Testgood", "Ann"))).contains("MSA|AA|GOOD-1");
        }
        assertThat(TopicContents.await(platform, Topics.HL7_DEADLETTER.name(PREFIX),
                (RejectedMessage r) -> r.getStage() == RejectionStage.FRAMING
                        && r.getReason().contains("outside an MLLP frame"), 1)).isNotEmpty();
    }

    @Test
    void truncatedFrameIsKeptWhenTheSenderHangsUp() throws Exception {
        try (Socket truncated = connect()) {
            OutputStream out = truncated.getOutputStream();
            out.write(0x0B);
            out.write("MSH|^~\\&|PAS|RTRUNC|CW|CW|20240601||ADT^A08|TRUNC-1|P|2.5\rPID|1||12".getBytes(
                    StandardCharsets.US_ASCII));
            out.flush();
        }
        List<RejectedMessage> kept = TopicContents.await(platform, Topics.HL7_DEADLETTER.name(PREFIX),
                (RejectedMessage r) -> "TRUNC-1".equals(r.getControlId()), 1);
        assertThat(kept).singleElement().satisfies(r -> {
            assertThat(r.getStage()).isEqualTo(RejectionStage.FRAMING);
            assertThat(r.getReason()).contains("closed before the end of the frame");
        });
        try (Socket good = connect()) {
            assertThat(sendAndReceive(good, SampleMessages.adtA01("RTRUNC", "GOOD-2", SampleMessages.NHS_A, "M2",
                    "Testgood", "Ben"))).contains("MSA|AA|GOOD-2");
        }
    }

    @Test
    void oversizeMessageIsAnsweredArAndTheConnectionClosed() throws Exception {
        StringBuilder big = new StringBuilder(SampleMessages.adtA01("RBIG", "BIG-1", SampleMessages.NHS_A, "M3",
                "Testbig", "Cal"));
        while (big.length() <= MAX_BYTES) {
            big.append("NTE|1||").append("x".repeat(1000)).append('\r');
        }
        try (Socket socket = connect()) {
            String answer = sendAndReceive(socket, big.toString());
            assertThat(answer).contains("MSA|AR|BIG-1").contains("larger than the maximum");
            assertThat(readUntilClosed(socket.getInputStream())).isTrue();
        }
        assertThat(TopicContents.await(platform, Topics.HL7_DEADLETTER.name(PREFIX),
                (RejectedMessage r) -> "BIG-1".equals(r.getControlId()), 1)).hasSize(1);
    }

    @Test
    void slowSenderIsCutOffWithoutDelayingOthers() throws Exception {
        try (Socket slow = connect(); Socket good = connect()) {
            OutputStream out = slow.getOutputStream();
            out.write(0x0B);
            out.write("MSH|^~\\&|PAS|RSLOW|".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            assertThat(sendAndReceive(good, SampleMessages.adtA01("RSLOW", "GOOD-3", SampleMessages.NHS_A, "M4",
                    "Testgood", "Dee"))).contains("MSA|AA|GOOD-3");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            // Trickle one byte at a time; the frame timeout (2 s here) ends it regardless.
            boolean closed = false;
            for (int i = 0; i < 100 && !closed; i++) {
                try {
                    out.write('x');
                    out.flush();
                } catch (IOException e) {
                    closed = true;
                }
                Thread.sleep(100);
                closed = closed || slow.getInputStream().available() > 0;
            }
            assertThat(closed).as("slow sender answered or cut off").isTrue();
            assertThat(readFrame(slow.getInputStream())).contains("MSA|AR|").contains("frame timeout");
        }
    }

    @Test
    void twoHundredConcurrentConnectionsEachGetTheirAcksInOrder() throws Exception {
        int connections = 200;
        int perConnection = 5;
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int conn = c;
                results.add(pool.submit(() -> {
                    List<String> acked = new ArrayList<>();
                    try (Socket socket = connect()) {
                        // Pipelined: all messages first, then all ACKs, to show ordering per connection.
                        OutputStream out = socket.getOutputStream();
                        for (int m = 0; m < perConnection; m++) {
                            out.write(frame(SampleMessages.adtA01("RCONC", "C" + conn + "-" + m,
                                    SampleMessages.NHS_A, "MC" + conn, "Testconc", "Eve")));
                        }
                        out.flush();
                        for (int m = 0; m < perConnection; m++) {
                            String ack = readFrame(socket.getInputStream());
                            acked.add(ack.substring(ack.indexOf("MSA|")).split("\\|")[2].trim());
                            assertThat(ack).contains("MSA|AA|");
                        }
                    }
                    return acked;
                }));
            }
            for (int c = 0; c < connections; c++) {
                List<String> expected = new ArrayList<>();
                for (int m = 0; m < perConnection; m++) {
                    expected.add("C" + c + "-" + m);
                }
                assertThat(results.get(c).get()).containsExactlyElementsOf(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", ingest.port());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static String sendAndReceive(Socket socket, String message) throws IOException {
        socket.getOutputStream().write(frame(message));
        socket.getOutputStream().flush();
        return readFrame(socket.getInputStream());
    }

    private static byte[] frame(String message) {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        byte[] framed = new byte[body.length + 3];
        framed[0] = 0x0B;
        System.arraycopy(body, 0, framed, 1, body.length);
        framed[body.length + 1] = 0x1C;
        framed[body.length + 2] = 0x0D;
        return framed;
    }

    private static String readFrame(InputStream in) throws IOException {
        int b = in.read();
        if (b != 0x0B) {
            throw new IOException("expected a start block, got " + b);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while ((b = in.read()) != 0x1C) {
            if (b < 0) {
                throw new IOException("connection closed inside a frame");
            }
            body.write(b);
        }
        in.read();
        return body.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean readUntilClosed(InputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // Drain.
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by peer is closed too
        }
    }
}
