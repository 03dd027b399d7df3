package org.careweave.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.careweave.events.RawMessage;
import org.careweave.platform.EmbeddedPlatform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The broker goes away in the middle of a stream and comes back. A sender that behaves like an interface engine
 * (resend until AA) keeps sending through the outage. Afterwards every message that got AA is in the raw topic:
 * none was acknowledged and lost. During the outage the listener answers AE, never AA.
 */
class BrokerOutageIT {

    private static final String PREFIX = "it-outage.";
    private static final int MESSAGES = 120;

    @TempDir
    Path dataDir;

    @Test
    void noAcknowledgedMessageIsLostWhenTheBrokerStopsMidStream() throws Exception {
        PlatformConfig config = EmbeddedPlatformExtension.freshEmbeddedConfig(dataDir);
        EmbeddedPlatform platform = EmbeddedPlatform.start(config, line -> { });
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 1, (short) 1);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger errorAcks = new AtomicInteger();
        AtomicBoolean brokerDown = new AtomicBoolean();
        AtomicInteger aaWhileDown = new AtomicInteger();
        List<Throwable> senderFailures = java.util.Collections.synchronizedList(new ArrayList<>());

        try (IngestService ingest = IngestService.start(IngestConfig.defaults().withPort(0).withDeliveryTimeoutMs(4000),
                platform.kafka(), platform.schemaRegistryUrl(), PREFIX, new SimpleMeterRegistry());
             HapiContext hapi = new DefaultHapiContext()) {
            hapi.setModelClassFactory(new GenericModelClassFactory());
            hapi.setValidationContext(ValidationContextFactory.noValidation());
            Thread sender = new Thread(() -> {
                try {
                    Connection connection = hapi.newClient("127.0.0.1", ingest.port(), false);
                    connection.getInitiator().setTimeout(60, java.util.concurrent.TimeUnit.SECONDS);
                    for (int i = 0; i < MESSAGES; i++) {
                        String controlId = "OUT-" + i;
                        Message message = hapi.getPipeParser().parse(SampleMessages.adtA01("ROUT", controlId,
                                SampleMessages.NHS_A, "MO" + i, "Testoutage", "Hal"));
                        while (true) {
                            Message ack = connection.getInitiator().sendAndReceive(message);
                            String code = new Terser(ack).get("/MSA-1");
                            if ("AA".equals(code)) {
                                if (brokerDown.get()) {
                                    aaWhileDown.incrementAndGet();
                                }
                                acknowledged.add(controlId);
                                break;
                            }
                            errorAcks.incrementAndGet();
                            Thread.sleep(200); // an interface engine's retry delay
                        }
                        Thread.sleep(20);
                    }
                    connection.close();
                } catch (Throwable t) {
                    senderFailures.add(t);
                }
            }, "outage-sender");
            sender.start();

            awaitCount(acknowledged::size, 30, sender, senderFailures);
            platform.close();
            // Only from here is Kafka certainly gone; messages acknowledged during close() were written before it.
            brokerDown.set(true);
            awaitCount(errorAcks::get, 1, sender, senderFailures);
            brokerDown.set(false);
            platform = EmbeddedPlatform.start(config, line -> { });
            sender.join(Duration.ofMinutes(3).toMillis());
            assertThat(sender.isAlive()).as("sender finished").isFalse();
        }
        try {
            assertThat(senderFailures).isEmpty();
            assertThat(acknowledged).hasSize(MESSAGES);
            assertThat(errorAcks.get()).as("AE answers while the broker was down").isPositive();
            assertThat(aaWhileDown.get()).as("AA answers while the broker was down").isZero();
            Set<String> archived = TopicContents.<RawMessage>values(platform, Topics.HL7_RAW.name(PREFIX)).stream()
                    .map(RawMessage::getControlId).collect(Collectors.toSet());
            assertThat(archived).containsAll(acknowledged);
        } finally {
            platform.close();
        }
    }

    private static void awaitCount(java.util.function.IntSupplier count, int atLeast, Thread sender,
                                   List<Throwable> senderFailures) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (count.getAsInt() < atLeast && System.nanoTime() < deadline && sender.isAlive()) {
            Thread.sleep(50);
        }
        assertThat(senderFailures).isEmpty();
        assertThat(count.getAsInt()).isGreaterThanOrEqualTo(atLeast);
    }
}
