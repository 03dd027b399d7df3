package org.careweave.deadletters;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.careweave.events.RejectedMessage;
import org.careweave.schemas.registry.RegistryClientConfig;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;

/**
 * Reads hl7.deadletter for the people who work it: the records a selection names, in partition and offset order,
 * handed over one at a time (the topic is kept for ever, so it is never held in memory). No consumer group: nothing is
 * committed, and reading changes nothing on the cluster.
 */
public final class DeadLetterLog {

    /** Record times come from the writers' clocks; a little before {@code --since} is read too, then filtered. */
    private static final Duration CLOCK_SLACK = Duration.ofMinutes(5);
    /** How long a read may go without progress before it gives up (a broker gone, a partition without a leader). */
    private static final Duration STALL = Duration.ofSeconds(60);

    private final Map<String, Object> clientConfig;
    private final String schemaRegistryUrl;
    private final String topic;

    public DeadLetterLog(Map<String, Object> clientConfig, String schemaRegistryUrl, String topicPrefix) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.schemaRegistryUrl = schemaRegistryUrl;
        this.topic = Topics.HL7_DEADLETTER.name(topicPrefix);
    }

    public String topic() {
        return topic;
    }

    /**
     * What a scan went through.
     *
     * @param read       records read
     * @param matched    records handed over
     * @param unreadable records that are not a dead letter careweave can read (skipped, counted)
     * @param notFound   named positions with no dead letter (past the end, or not a record)
     */
    public record Scan(long read, long matched, long unreadable, SortedSet<DeadLetter.Position> notFound) {
    }

    /**
     * Hands every selected dead letter to {@code each}, partition by partition in offset order, up to where the topic
     * ended when the scan began (its last committed record).
     *
     * @throws IllegalStateException when the topic does not exist, or the read makes no progress for a minute
     */
    public Scan scan(DeadLetterSelection selection, Consumer<DeadLetter> each) {
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100); // records carry whole messages, up to 16 MiB
        var values = AvroSerdes.specific(RejectedMessage.class,
                Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl), false).deserializer();
        long read = 0;
        long matched = 0;
        long unreadable = 0;
        SortedSet<DeadLetter.Position> seen = new TreeSet<>();
        try (KafkaConsumer<byte[], RejectedMessage> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                values)) {
            Map<TopicPartition, Long> end = bounds(consumer, selection);
            long lastProgress = System.nanoTime();
            while (!end.isEmpty()) {
                if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new IllegalStateException("no progress reading " + topic + " for " + STALL.toSeconds()
                            + " s");
                }
                List<ConsumerRecord<byte[], RejectedMessage>> batch = new ArrayList<>();
                try {
                    consumer.poll(Duration.ofMillis(200)).forEach(batch::add);
                } catch (RecordDeserializationException e) {
                    // Not a RejectedMessage careweave can read (written by something else, or its schema is gone):
                    // counted and passed over, so one bad record does not hide the others.
                    unreadable++;
                    read++;
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    lastProgress = System.nanoTime();
                }
                for (ConsumerRecord<byte[], RejectedMessage> r : batch) {
                    TopicPartition partition = new TopicPartition(r.topic(), r.partition());
                    Long stop = end.get(partition);
                    if (stop == null || r.offset() >= stop) {
                        continue;
                    }
                    read++;
                    if (r.value() == null) {
                        unreadable++;
                        continue;
                    }
                    DeadLetter letter = new DeadLetter(new DeadLetter.Position(r.partition(), r.offset()),
                            Instant.ofEpochMilli(r.timestamp()), r.value());
                    seen.add(letter.position());
                    if (selection.matches(letter)) {
                        matched++;
                        each.accept(letter);
                    }
                }
                if (!batch.isEmpty()) {
                    lastProgress = System.nanoTime();
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        SortedSet<DeadLetter.Position> notFound = new TreeSet<>(selection.positions());
        notFound.removeAll(seen);
        return new Scan(read, matched, unreadable, notFound);
    }

    /** Assigns and positions the partitions worth reading; returns where each stops (exclusive). */
    private Map<TopicPartition, Long> bounds(KafkaConsumer<?, ?> consumer, DeadLetterSelection selection) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, STALL);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("there is no topic " + topic + " (nothing has been refused yet, or the"
                    + " topic prefix differs)");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : infos) {
            if (selection.reads(info.partition())) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> start = new HashMap<>(consumer.beginningOffsets(partitions, STALL));
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, STALL));
        selection.since().ifPresent(since -> {
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(tp -> times.put(tp, since.minus(CLOCK_SLACK).toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, STALL);
            partitions.forEach(tp -> {
                OffsetAndTimestamp at = found.get(tp);
                start.put(tp, at == null ? end.get(tp) : Math.max(start.get(tp), at.offset()));
            });
        });
        for (TopicPartition tp : partitions) {
            selection.firstNamedOffset(tp.partition()).ifPresent(o -> start.put(tp, Math.max(start.get(tp), o)));
            selection.afterLastNamedOffset(tp.partition()).ifPresent(o -> end.put(tp, Math.min(end.get(tp), o)));
        }
        Map<TopicPartition, Long> reading = new HashMap<>();
        for (TopicPartition tp : partitions) {
            if (start.get(tp) < end.get(tp)) {
                reading.put(tp, end.get(tp));
            }
        }
        consumer.assign(reading.keySet());
        reading.keySet().forEach(tp -> consumer.seek(tp, start.get(tp)));
        return reading;
    }
}
