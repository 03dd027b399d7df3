package org.careweave.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.careweave.events.RawMessage;
import org.careweave.events.RejectedMessage;
import org.careweave.ingest.mllp.MllpClient;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Messages as large as the listener takes, on the real broker: a result with an embedded report (OBX-5 of type ED)
 * is larger than Kafka's default 1 MiB. None may be answered AE "please resend" for ever.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class LargeMessageIT {

    private static final int FOUR_MIB = 4 * 1024 * 1024;

    @Test
    void aMessageJustUnderTheListenersDefaultMaximumIsStored(Platform platform) throws Exception {
        String prefix = "it-large.";
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), prefix, 1, (short) 1);
        IngestConfig config = IngestConfig.defaults().withPort(0);
        try (IngestService ingest = start(platform, config, prefix);
             MllpClient client = MllpClient.connect("127.0.0.1", ingest.port())) {
            String ack = client.send(message("LARGE-1", config.maxMessageBytes() - 1100));

            assertThat(ack).contains("MSA|AA|LARGE-1");
            assertThat(TopicContents.await(platform, Topics.HL7_RAW.name(prefix),
                    (RawMessage r) -> "LARGE-1".equals(r.getControlId()), 1)).hasSize(1);
        }
    }

    @Test
    void aMessageOfSeveralMebibytesIsStoredWhenTheListenerIsSetToTakeIt(Platform platform) throws Exception {
        String prefix = "it-larger.";
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), prefix, 1, (short) 1);
        try (IngestService ingest = start(platform, fourMebibyteListener(), prefix);
             MllpClient client = MllpClient.connect("127.0.0.1", ingest.port())) {
            String ack = client.send(message("LARGER-1", 2 * 1024 * 1024));

            assertThat(ack).contains("MSA|AA|LARGER-1");
            assertThat(TopicContents.await(platform, Topics.HL7_RAW.name(prefix),
                    (RawMessage r) -> "LARGER-1".equals(r.getControlId()), 1)).singleElement()
                    .satisfies(r -> assertThat(r.getPayload().remaining()).isGreaterThan(2 * 1024 * 1024));
        }
    }

    /**
     * A cluster whose raw topic takes less than the listener (careweave could not raise it): AR, so that the sender
     * does not resend it for ever, the reason and the message's start in the dead-letter topic, and the next message
     * on the same connection stored as usual.
     */
    @Test
    void aMessageLargerThanTheClustersTopicTakesIsRefusedArAndKeptInPart(Platform platform) throws Exception {
        String prefix = "it-toolarge.";
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), prefix, 1, (short) 1);
        TopicLimits.maxMessageBytes(platform, Topics.HL7_RAW.name(prefix), 1024 * 1024);
        try (IngestService ingest = start(platform, fourMebibyteListener(), prefix);
             MllpClient client = MllpClient.connect("127.0.0.1", ingest.port())) {
            String ack = client.send(message("TOOLARGE-1", 2 * 1024 * 1024));

            assertThat(ack).contains("MSA|AR|TOOLARGE-1").contains("larger than Kafka's topics take")
                    .doesNotContain("please resend");
            assertThat(TopicContents.await(platform, Topics.HL7_DEADLETTER.name(prefix),
                    (RejectedMessage r) -> "TOOLARGE-1".equals(r.getControlId()), 1)).singleElement()
                    .satisfies(r -> {
                        assertThat(r.getReason()).contains("larger than Kafka's topics take");
                        assertThat(r.getPayload().remaining()).isEqualTo(64 * 1024);
                    });
            assertThat(client.send(message("TOOLARGE-2", 10_000))).contains("MSA|AA|TOOLARGE-2");
        }
    }

    /**
     * When the dead-letter topic refuses the refusal too, the message is in neither topic: AR would have the sender
     * drop what nobody kept, so the answer is AE "please resend", counted as a store failure.
     */
    @Test
    void aTooLargeMessageWhoseRefusalCannotBeKeptEitherIsAnsweredAeToResend(Platform platform) throws Exception {
        String prefix = "it-toolarge-nowhere.";
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), prefix, 1, (short) 1);
        TopicLimits.maxMessageBytes(platform, Topics.HL7_RAW.name(prefix), 32 * 1024);
        // Less than the 64 KiB of the message that the dead letter keeps.
        TopicLimits.maxMessageBytes(platform, Topics.HL7_DEADLETTER.name(prefix), 32 * 1024);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (IngestService ingest = IngestService.start(IngestConfig.defaults().withPort(0), platform.kafka(),
                platform.schemaRegistryUrl(), prefix, metrics);
             MllpClient client = MllpClient.connect("127.0.0.1", ingest.port())) {
            String ack = client.send(message("NOWHERE-1", 100_000));

            assertThat(ack).contains("MSA|AE|NOWHERE-1").contains("please resend")
                    .contains("|207^Application internal error^HL70357|");
            assertThat(metrics.get("careweave.ingest.store.failures").counter().count()).isEqualTo(1);
        }
    }

    private static IngestService start(Platform platform, IngestConfig config, String prefix) {
        return IngestService.start(config, platform.kafka(), platform.schemaRegistryUrl(), prefix,
                new SimpleMeterRegistry());
    }

    private static IngestConfig fourMebibyteListener() {
        return IngestConfig.defaults().withPort(0).withLimits(FOUR_MIB, Duration.ofSeconds(30),
                Duration.ofSeconds(30));
    }

    /** A result message padded with NTE segments to about {@code bytes}. */
    private static byte[] message(String controlId, int bytes) {
        StringBuilder message = new StringBuilder(SampleMessages.oruR01("RLARGE", controlId, SampleMessages.NHS_A,
                "L1").replace("\n", "\r"));
        while (message.length() < bytes) {
            message.append("NTE|1||").append("x".repeat(Math.min(1000, Math.max(1, bytes - message.length())))).append('\r');
        }
        return message.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
