package org.careweave.ingest.archive;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.events.RawMessage;
import org.careweave.events.RejectedMessage;
import org.careweave.schemas.serde.ConfluentAvroSerializer;
import org.careweave.schemas.topics.Topics;

/**
 * Writes accepted messages to the raw topic and refused ones to the dead-letter topic, durably: an idempotent
 * producer with {@code acks=all}, and a future that completes only when Kafka has acknowledged the record.
 *
 * <p>{@code linger.ms=0}: nothing waits for a batch to fill, so a lone sender's message goes out at once; under load
 * records that arrive while a request is in flight are batched together into the next one (group commit for free).
 *
 * <p>{@code send()} can block (fetching metadata while Kafka is unreachable, or a full buffer), so it is called on
 * one dedicated thread, never on a network thread; one thread also keeps records in the order they were received.
 */
public final class MessageArchive implements AutoCloseable {

    /** The Kafka side of ingest, from the platform and the ingest configuration. */
    public record Settings(String bootstrapServers, String schemaRegistryUrl, String topicPrefix,
                           int deliveryTimeoutMs) {
    }

    private final KafkaProducer<String, SpecificRecord> producer;
    private final ExecutorService sender;
    private final String rawTopic;
    private final String deadLetterTopic;

    public MessageArchive(Settings settings) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, settings.deliveryTimeoutMs());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(settings.deliveryTimeoutMs(), 30_000));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.deliveryTimeoutMs());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "careweave-ingest");
        props.put("schema.registry.url", settings.schemaRegistryUrl());
        ConfluentAvroSerializer<SpecificRecord> values = new ConfluentAvroSerializer<>();
        values.configure(props, false);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), values);
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "careweave-archive-sender");
            t.setDaemon(true);
            return t;
        });
        this.rawTopic = Topics.HL7_RAW.name(settings.topicPrefix());
        this.deadLetterTopic = Topics.HL7_DEADLETTER.name(settings.topicPrefix());
    }

    /** Completes when the raw record is durably written; fails if it could not be. */
    public CompletableFuture<RecordMetadata> archive(RawMessage message) {
        return send(new ProducerRecord<>(rawTopic, message.getSendingFacility(), message));
    }

    public CompletableFuture<RecordMetadata> deadLetter(RejectedMessage message, String key) {
        return send(new ProducerRecord<>(deadLetterTopic, key, message));
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<String, SpecificRecord> record) {
        CompletableFuture<RecordMetadata> written = new CompletableFuture<>();
        try {
            sender.execute(() -> {
                try {
                    producer.send(record, (metadata, error) -> {
                        if (error != null) {
                            written.completeExceptionally(error);
                        } else {
                            written.complete(metadata);
                        }
                    });
                } catch (RuntimeException e) {
                    written.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            written.completeExceptionally(e);
        }
        return written;
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
