package org.careweave.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.careweave.platform.Platform;
import org.careweave.schemas.serde.ConfluentAvroDeserializer;

/** Reads what a real topic holds, as a downstream consumer would (read_committed). */
public final class TopicContents {

    private TopicContents() {
    }

    /** Every committed record now in the topic. */
    public static <T extends SpecificRecord> List<ConsumerRecord<String, T>> all(Platform platform, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        ConfluentAvroDeserializer<T> values = new ConfluentAvroDeserializer<>();
        values.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl(), "specific.avro.reader", true),
                false);
        List<ConsumerRecord<String, T>> out = new ArrayList<>();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(p, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!reached(consumer, end) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    /** A compacted topic read as a table: the latest value per key; a tombstone removes the key. */
    public static <T extends SpecificRecord> Map<String, T> table(Platform platform, String topic) {
        Map<String, T> latest = new java.util.HashMap<>();
        for (ConsumerRecord<String, T> r : TopicContents.<T>all(platform, topic)) {
            if (r.value() == null) {
                latest.remove(r.key());
            } else {
                latest.put(r.key(), r.value());
            }
        }
        return latest;
    }

    public static <T extends SpecificRecord> List<T> values(Platform platform, String topic) {
        return TopicContents.<T>all(platform, topic).stream().map(ConsumerRecord::value).toList();
    }

    /** Waits until the topic holds a record matching the predicate; returns all records matching it. */
    public static <T extends SpecificRecord> List<T> await(Platform platform, String topic, Predicate<T> matching,
                                                           int atLeast) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<T> found = List.of();
        while (System.nanoTime() < deadline) {
            found = TopicContents.<T>values(platform, topic).stream().filter(matching).toList();
            if (found.size() >= atLeast) {
                return found;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return found;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
