package org.careweave.replay;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.kafka.TopicSnapshot;
import org.careweave.platform.Platform;

/**
 * People's review decisions are not derived from hl7.raw: a versioned rebuild would lose them (a linked pair split
 * again, a false link back). So once the rebuilt processors have caught up with the rebuilt events, the source's
 * decisions are copied to the target's identity.decisions, in the order they were made, and identity applies them
 * there as it did live. Records are copied as they are (same registry, same schema ids), every one of them: a pair
 * may have several (a refused decision, then another verdict), and identity must see them all, in order, as live.
 * A record the target already holds (same key, same bytes: a rerun) is skipped, as many times as it holds it.
 */
final class DecisionCopy {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private DecisionCopy() {
    }

    /** @return the decisions copied */
    static int copy(Platform platform, String sourceTopic, String targetTopic) {
        List<ConsumerRecord<String, byte[]>> decisions = read(platform, sourceTopic);
        Map<Copied, Integer> already = new HashMap<>();
        read(platform, targetTopic).forEach(r -> already.merge(Copied.of(r), 1, Integer::sum));
        Properties p = new Properties();
        p.putAll(platform.kafka().clientConfig());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        int copied = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> d : decisions) {
                if (d.value() != null && !takeOne(already, Copied.of(d))) {
                    sent.add(producer.send(new ProducerRecord<>(targetTopic, d.key(), d.value())));
                    copied++;
                }
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while copying review decisions", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Review decisions could not be copied to " + targetTopic, e);
        }
        return copied;
    }

    /** A decision record as copied: its key and value bytes (the decision, with who decided and when). */
    record Copied(String key, ByteBuffer value) {
        static Copied of(ConsumerRecord<String, byte[]> record) {
            return new Copied(record.key(), record.value() == null ? null : ByteBuffer.wrap(record.value()));
        }
    }

    /** Whether the target already holds this record, counting it off so that each copy there answers for one. */
    static boolean takeOne(Map<Copied, Integer> already, Copied record) {
        Integer held = already.get(record);
        if (held == null) {
            return false;
        }
        if (held == 1) {
            already.remove(record);
        } else {
            already.put(record, held - 1);
        }
        return true;
    }

    private static List<ConsumerRecord<String, byte[]>> read(Platform platform, String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(TopicSnapshot.read(
                platform.kafka().clientConfig(), topic, new StringDeserializer(), new ByteArrayDeserializer(),
                TIMEOUT));
        // One partition, so offsets are the order identity applied the decisions in (timestamps are the deciding
        // clients' clocks, which need not agree).
        records.sort(Comparator.comparingInt((ConsumerRecord<String, byte[]> r) -> r.partition())
                .thenComparingLong(ConsumerRecord::offset));
        return records;
    }
}
