package org.careweave.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
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
 * there as it did live. Records are copied as they are (same registry, same schema ids); pairs the target already has
 * a decision for (a rerun) are skipped.
 */
final class DecisionCopy {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private DecisionCopy() {
    }

    /** @return the decisions copied */
    static int copy(Platform platform, String sourceTopic, String targetTopic) {
        List<ConsumerRecord<String, byte[]>> decisions = read(platform, sourceTopic);
        Set<String> already = new HashSet<>();
        read(platform, targetTopic).forEach(r -> already.add(r.key()));
        Properties p = new Properties();
        p.putAll(platform.kafka().clientConfig());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        int copied = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> d : decisions) {
                if (d.value() != null && already.add(d.key())) {
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

    private static List<ConsumerRecord<String, byte[]>> read(Platform platform, String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(TopicSnapshot.read(
                platform.kafka().clientConfig(), topic, new StringDeserializer(), new ByteArrayDeserializer(),
                TIMEOUT));
        // One partition, so this is the order the decisions were made in.
        records.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        return records;
    }
}
