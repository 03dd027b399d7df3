package org.careweave.benchmarks.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.careweave.schemas.serde.AvroSerdes;

/**
 * Follows a topic from its beginning on a thread of its own, as a downstream consumer would (read_committed), and
 * hands every record to a callback with the moment it arrived. Stops on close.
 */
public final class TopicTail<V> implements AutoCloseable {

    /** Called on the tail's thread. */
    @FunctionalInterface
    public interface Callback<V> {
        void record(ConsumerRecord<String, V> record, long arrivedAtNanos);
    }

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long records;

    private TopicTail(String bootstrap, String topic, Deserializer<V> values, Callback<V> callback) {
        this.thread = new Thread(() -> follow(bootstrap, topic, values, callback), "tail-" + topic);
        this.thread.setDaemon(true);
    }

    public static <T extends SpecificRecord> TopicTail<T> avro(String bootstrap, String registryUrl, String topic,
                                                               Class<T> type, Callback<T> callback) {
        Deserializer<T> values = AvroSerdes.specific(type, Map.of("schema.registry.url", registryUrl), false)
                .deserializer();
        TopicTail<T> tail = new TopicTail<>(bootstrap, topic, values, callback);
        tail.thread.start();
        return tail;
    }

    /**
     * Values left as bytes: a benchmark that measures what shares the machine with its tail decodes them afterwards,
     * so that decoding is not counted against what it measures.
     */
    public static TopicTail<byte[]> bytes(String bootstrap, String topic, Callback<byte[]> callback) {
        TopicTail<byte[]> tail = new TopicTail<>(bootstrap, topic, new ByteArrayDeserializer(), callback);
        tail.thread.start();
        return tail;
    }

    public long records() {
        return records;
    }

    private void follow(String bootstrap, String topic, Deserializer<V> values, Callback<V> callback) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-tail-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(p, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                var batch = consumer.poll(Duration.ofMillis(50));
                long now = System.nanoTime();
                for (ConsumerRecord<String, V> r : batch) {
                    callback.record(r, now);
                    records++;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
