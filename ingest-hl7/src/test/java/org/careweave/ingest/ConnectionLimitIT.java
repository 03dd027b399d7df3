package org.careweave.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.careweave.ingest.mllp.MllpClient;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A client that opens connections without end (a fault, or an attack) gets no more than mllp.max.connections; those
 * over it are closed at once, and the feeds already connected go on being answered. Before the limit, 19,500 idle
 * connections took every file descriptor `careweave up` had and its embedded broker shut down.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class ConnectionLimitIT {

    private static final String PREFIX = "it-connlimit.";
    private static final int LIMIT = 20;

    @Test
    void connectionsOverTheLimitAreClosedAndTheFeedsConnectedAreStillAnswered(Platform platform) throws Exception {
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 1, (short) 1);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        List<Socket> flood = new ArrayList<>();
        try (IngestService ingest = IngestService.start(IngestConfig.defaults().withPort(0)
                        .withMaxConnections(LIMIT), platform.kafka(), platform.schemaRegistryUrl(), PREFIX, metrics);
             MllpClient feed = MllpClient.connect("127.0.0.1", ingest.port())) {
            assertThat(feed.send(message("LIMIT-1"))).contains("MSA|AA|LIMIT-1");

            for (int i = 0; i < 3 * LIMIT; i++) {
                flood.add(new Socket("127.0.0.1", ingest.port()));
            }
            int overTheLimit = 3 * LIMIT - (LIMIT - 1);
            long settle = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (metrics.get("careweave.ingest.connections.refused").functionCounter().count() < overTheLimit
                    && System.nanoTime() < settle) {
                Thread.sleep(50);
            }
            Thread.sleep(500); // their closes reach the client; an admitted connection stays open and silent
            int closedByCareweave = 0;
            for (Socket s : flood) {
                if (closedByServer(s)) {
                    closedByCareweave++;
                }
            }

            assertThat(closedByCareweave).as("all over the limit, the feed's connection counted in")
                    .isEqualTo(overTheLimit);
            assertThat(metrics.get("careweave.ingest.connections.refused").functionCounter().count())
                    .isEqualTo(closedByCareweave);
            assertThat(metrics.get("careweave.ingest.connections").gauge().value()).isEqualTo(LIMIT);
            assertThat(feed.send(message("LIMIT-2"))).as("the feed connected before is still answered")
                    .contains("MSA|AA|LIMIT-2");

            for (Socket s : flood) {
                s.close();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (metrics.get("careweave.ingest.connections").gauge().value() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            try (MllpClient later = MllpClient.connect("127.0.0.1", ingest.port())) {
                assertThat(later.send(message("LIMIT-3"))).as("room again once the flood has gone")
                        .contains("MSA|AA|LIMIT-3");
            }
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
    }

    /** True when the listener closed the connection (end of stream); false when it kept it open and silent. */
    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(200);
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the listener
        }
    }

    private static byte[] message(String controlId) {
        return ("MSH|^~\\&|PAS|RHMX1|CAREWEAVE|CW|20240715093512||ADT^A08^ADT_A01|" + controlId + "|P|2.5\r"
                + "EVN|A08\rPID|1||L" + controlId + "^^^RHMX1^MR||TESTLIMIT^Invented||19800214|F\rPV1|1|N")
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
