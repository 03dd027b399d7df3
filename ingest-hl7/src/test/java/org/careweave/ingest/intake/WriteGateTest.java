package org.careweave.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.careweave.events.AckCode;
import org.careweave.ingest.Hl7Fixtures;
import org.careweave.ingest.ack.AckBuilder;
import org.careweave.ingest.archive.MessageArchive;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.platform.KafkaConnection;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * While the gate is closed, a message is answered AE with the gate's reason at once, and nothing is written: the
 * archive here points at a port nobody listens on, so any write would answer only after its delivery timeout.
 */
class WriteGateTest {

    @Test
    void aClosedGateAnswersAeAtOnceWithItsReasonAndAnOpenOneWrites() throws Exception {
        int nobodyListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobodyListens = socket.getLocalPort();
        }
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (MessageArchive unreachable = new MessageArchive(new MessageArchive.Settings(
                KafkaConnection.plaintext("127.0.0.1:" + nobodyListens), "http://127.0.0.1:" + nobodyListens,
                "unit-gate.", 1_000))) {
            Ingestor closed = ingestor(unreachable, metrics,
                    () -> Optional.of("careweave's disk is nearly full (100 MiB free, less than 512 MiB)"));
            byte[] adt = Hl7Fixtures.load("adt_a01.hl7").getBytes(StandardCharsets.ISO_8859_1);

            CompletableFuture<Ingestor.Reply> reply = closed.receive(adt, Origin.mllp("127.0.0.1:1", null, "test"));

            assertThat(reply).as("answered without waiting for Kafka").isDone();
            assertThat(reply.get().code()).isEqualTo(AckCode.AE);
            assertThat(reply.get().ack()).contains("MSA|AE|")
                    .contains("message not stored: careweave's disk is nearly full (100 MiB free, less than 512 MiB);"
                            + " it was not accepted, please resend");
            assertThat(metrics.get("careweave.ingest.store.failures").counter().count()).isEqualTo(1);

            CompletableFuture<Ingestor.Reply> open = ingestor(unreachable, new SimpleMeterRegistry(), WriteGate.OPEN)
                    .receive(adt, Origin.mllp("127.0.0.1:1", null, "test"));
            assertThat(open.get().ack()).as("an open gate writes (here: to an unreachable Kafka)")
                    .contains("message could not be stored");
        }
    }

    private static Ingestor ingestor(MessageArchive archive, SimpleMeterRegistry metrics, WriteGate gate)
            throws IOException {
        return new Ingestor(new MessageValidator(MessageValidator.Rules.defaults()), archive,
                new AckBuilder("CAREWEAVE", "CAREWEAVE", ZoneId.of("Europe/London")), null, metrics, gate);
    }
}
