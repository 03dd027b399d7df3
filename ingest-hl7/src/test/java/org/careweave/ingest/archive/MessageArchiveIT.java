package org.careweave.ingest.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.careweave.events.RawMessage;
import org.careweave.ingest.SampleMessages;
import org.careweave.ingest.TopicContents;
import org.careweave.ingest.ack.AckBuilder;
import org.careweave.ingest.intake.Ingestor;
import org.careweave.ingest.intake.Origin;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.platform.KafkaConnection;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The archive hands records to the producer on the caller's thread once their topic has taken a write, and through
 * its sender thread before that (or while records wait there): on the real broker, records keep the order in which
 * they were received either way, and an unreachable Kafka never gets the caller's thread.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class MessageArchiveIT {

    private static final Origin ORIGIN = Origin.mllp("127.0.0.1:50000", null, "127.0.0.1:2575");

    @Test
    void aTopicThatTookAWriteGetsItsNextRecordsOnTheCallersThread(Platform platform) throws Exception {
        String prefix = "it-archive-direct.";
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), prefix, 1, (short) 1);
        try (MessageArchive archive = archive(platform.bootstrapServers(), platform.schemaRegistryUrl(), prefix,
                15_000)) {
            Ingestor ingestor = ingestor(archive);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                String controlId = "DIR-" + i;
                sent.add(controlId);
                Ingestor.Reply reply = ingestor.receive(adt(controlId, i), ORIGIN).get(30, TimeUnit.SECONDS);
                assertThat(reply.ack()).contains("MSA|AA|" + controlId);
            }

            assertThat(archive.queuedSends()).as("the first record, before the topic took a write").isEqualTo(1);
            assertThat(archive.directSends()).isEqualTo(20);
            assertThat(controlIds(platform, prefix)).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void recordsSentWithoutWaitingKeepTheirOrderAcrossBothPaths(Platform platform) throws Exception {
        String prefix = "it-archive-order.";
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), prefix, 1, (short) 1);
        try (MessageArchive archive = archive(platform.bootstrapServers(), platform.schemaRegistryUrl(), prefix,
                15_000)) {
            Ingestor ingestor = ingestor(archive);
            // A pipelining sender: everything is handed over before the first write is acknowledged, so the first
            // records queue for the sender thread and later ones go direct only once nothing is queued any more.
            List<String> sent = new ArrayList<>();
            List<CompletableFuture<Ingestor.Reply>> replies = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 200; i++) {
                    String controlId = "ORD-" + round + "-" + i;
                    sent.add(controlId);
                    replies.add(ingestor.receive(adt(controlId, i), ORIGIN));
                }
                replies.get(replies.size() - 1).get(30, TimeUnit.SECONDS);
            }
            for (CompletableFuture<Ingestor.Reply> reply : replies) {
                assertThat(reply.get(30, TimeUnit.SECONDS).code().name()).isEqualTo("AA");
            }

            assertThat(archive.queuedSends()).isPositive();
            assertThat(archive.directSends()).isPositive();
            assertThat(archive.queuedSends() + archive.directSends()).isEqualTo(600);
            assertThat(controlIds(platform, prefix)).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void anUnreachableKafkaNeverGetsTheCallersThreadAndEveryMessageIsAnsweredAe() throws Exception {
        int nobodyListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobodyListens = socket.getLocalPort();
        }
        try (MessageArchive archive = archive("127.0.0.1:" + nobodyListens, "http://127.0.0.1:" + nobodyListens,
                "it-archive-down.", 3_000)) {
            Ingestor ingestor = ingestor(archive);
            List<CompletableFuture<Ingestor.Reply>> replies = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                replies.add(ingestor.receive(adt("DOWN-" + i, i), ORIGIN));
            }
            // Waiting for metadata would hold each call for the 3 s delivery timeout; handing over must not wait.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));

            for (CompletableFuture<Ingestor.Reply> reply : replies) {
                assertThat(reply.get(60, TimeUnit.SECONDS).code().name()).isEqualTo("AE");
            }
            assertThat(archive.directSends()).as("no topic ever took a write").isZero();
            assertThat(archive.queuedSends()).isEqualTo(5);
        }
    }

    private static MessageArchive archive(String bootstrap, String registry, String prefix, int deliveryTimeoutMs) {
        return new MessageArchive(new MessageArchive.Settings(KafkaConnection.plaintext(bootstrap), registry, prefix,
                deliveryTimeoutMs));
    }

    private static Ingestor ingestor(MessageArchive archive) {
        return new Ingestor(new MessageValidator(MessageValidator.Rules.defaults()), archive,
                new AckBuilder("CAREWEAVE", "CAREWEAVE", ZoneId.of("Europe/London")), null, new SimpleMeterRegistry());
    }

    private static byte[] adt(String controlId, int i) {
        return SampleMessages.adtA01("RARCH", controlId, SampleMessages.NHS_A, "MA" + i, "Testarchive", "Ada")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> controlIds(Platform platform, String prefix) {
        return TopicContents.<RawMessage>values(platform, Topics.HL7_RAW.name(prefix)).stream()
                .map(RawMessage::getControlId).toList();
    }
}
