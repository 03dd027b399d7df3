package org.careweave.ingest.archive;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.events.RawMessage;
import org.careweave.events.RejectedMessage;
import org.careweave.ingest.IngestConfig;
import org.careweave.platform.KafkaConnection;
import org.careweave.schemas.serde.ConfluentAvroSerializer;
import org.careweave.schemas.topics.Topics;

/**
 * Writes accepted messages to the raw topic and refused ones to the dead-letter topic, durably: an idempotent
 * producer with {@code acks=all}, and a future that completes only when Kafka has acknowledged the record.
 *
 * <p>{@code linger.ms=0}: nothing waits for a batch to fill, so a lone sender's message goes out at once; under load
 * records that arrive while the one request in flight is out are batched together into the next one (group commit
 * for free).
 *
 * <p>{@code send()} can block: while it fetches metadata (the first record of a topic, or one idle for
 * {@code metadata.max.idle.ms}, when Kafka may be unreachable) and while the producer's buffer is full. So a record is
 * handed to the producer on the caller's thread (an MLLP event loop) only when neither can happen: the topic was
 * written successfully within the last {@link #DIRECT_WINDOW_NANOS}, the records not yet acknowledged hold less than
 * {@link #DIRECT_LIMIT_BYTES} (a quarter of the producer's buffer), and no record waits for the sender thread.
 * Otherwise it goes to one dedicated sender thread, which may block. Why bother: at one connection the hand-off to
 * that thread was a wake-up on every message's path (about a tenth of its time to ACK), and at 64 connections one
 * thread serialised every record. Per connection, order is kept: a connection's next record goes direct only when
 * nothing is queued, so it never overtakes an earlier one.
 */
public final class MessageArchive implements AutoCloseable {

    /** The Kafka side of ingest, from the platform and the ingest configuration. */
    public record Settings(KafkaConnection kafka, String schemaRegistryUrl, String topicPrefix,
                           int deliveryTimeoutMs, String compression) {

        /** With ingest's default compression. */
        public Settings(KafkaConnection kafka, String schemaRegistryUrl, String topicPrefix, int deliveryTimeoutMs) {
            this(kafka, schemaRegistryUrl, topicPrefix, deliveryTimeoutMs,
                    IngestConfig.COMPRESSION.defaultValue());
        }
    }

    /** A topic written this recently still has its metadata in the producer, so send() will not fetch it. */
    static final long DIRECT_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** The producer's buffer is 32 MiB (buffer.memory's default); send() blocks only when it is full. */
    static final long DIRECT_LIMIT_BYTES = 8L * 1024 * 1024;
    /** Per record, beyond its payload: the Avro envelope and the batch's overhead, generously. */
    private static final int RECORD_OVERHEAD_BYTES = 1024;


    private final KafkaProducer<String, SpecificRecord> producer;
    private final ExecutorService sender;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong unacknowledgedBytes = new AtomicLong();
    private final Map<String, Long> lastWrittenNanos = new ConcurrentHashMap<>();
    private final LongAdder directSends = new LongAdder();
    private final LongAdder queuedSends = new LongAdder();
    private final String rawTopic;
    private final String deadLetterTopic;

    public MessageArchive(Settings settings) {
        Map<String, Object> props = settings.kafka().clientConfig();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression());
        // One produce request at a time: records that arrive while it is out wait for it and go together in the next
        // (the broker serves one connection's requests one after another anyway). With five, many connections' records
        // left in many small requests, each costing both sides CPU; at 64 connections one request in flight gave 31%
        // more messages/s at 23% less CPU per message, and the same at one connection (docs/benchmarks.md).
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, settings.deliveryTimeoutMs());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(settings.deliveryTimeoutMs(), 30_000));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.deliveryTimeoutMs());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "careweave-ingest");
        // The listener bounds a message (mllp.max.message.bytes, at most IngestConfig.LARGEST_MESSAGE_BYTES); the
        // producer must not refuse what the listener took.
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.LARGE_RECORD_BYTES);
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
        return send(new ProducerRecord<>(rawTopic, message.getSendingFacility(), message),
                message.getPayload().remaining());
    }

    public CompletableFuture<RecordMetadata> deadLetter(RejectedMessage message, String key) {
        return send(new ProducerRecord<>(deadLetterTopic, key, message), message.getPayload().remaining());
    }

    /** Records handed to the producer on the caller's thread, and through the sender thread (for tests, metrics). */
    public long directSends() {
        return directSends.sum();
    }

    public long queuedSends() {
        return queuedSends.sum();
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<String, SpecificRecord> record, int payloadBytes) {
        Pending pending = new Pending(record.topic(), payloadBytes + RECORD_OVERHEAD_BYTES);
        unacknowledgedBytes.addAndGet(pending.bytes);
        if (canSendDirectly(record.topic())) {
            directSends.increment();
            sendNow(record, pending);
            return pending.written;
        }
        queuedSends.increment();
        queued.incrementAndGet();
        try {
            sender.execute(() -> {
                try {
                    sendNow(record, pending);
                } finally {
                    queued.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            queued.decrementAndGet();
            pending.done(null, e);
        }
        return pending.written;
    }

    private boolean canSendDirectly(String topic) {
        if (queued.get() != 0 || unacknowledgedBytes.get() > DIRECT_LIMIT_BYTES) {
            return false;
        }
        Long written = lastWrittenNanos.get(topic);
        return written != null && System.nanoTime() - written < DIRECT_WINDOW_NANOS;
    }

    private void sendNow(ProducerRecord<String, SpecificRecord> record, Pending pending) {
        try {
            producer.send(record, pending::done);
        } catch (RuntimeException e) {
            pending.done(null, e);
        }
    }

    /** One record on its way: releases its bytes once, and remembers whether its topic takes writes. */
    private final class Pending {
        final String topic;
        final int bytes;
        final CompletableFuture<RecordMetadata> written = new CompletableFuture<>();
        private final AtomicBoolean released = new AtomicBoolean();

        Pending(String topic, int bytes) {
            this.topic = topic;
            this.bytes = bytes;
        }

        void done(RecordMetadata metadata, Exception error) {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            unacknowledgedBytes.addAndGet(-bytes);
            if (error == null) {
                lastWrittenNanos.put(topic, System.nanoTime());
                written.complete(metadata);
            } else {
                // Until a write succeeds again, this topic's records take the sender thread, which may block.
                lastWrittenNanos.remove(topic);
                written.completeExceptionally(error);
            }
        }
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
