package org.careweave.benchmarks.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.careweave.benchmarks.common.Options;
import org.HdrHistogram.Histogram;

/**
 * How long each stage of a running careweave takes, without correlating messages: Kafka Streams gives every output
 * record the timestamp of the input it came from, so along the chain hl7.raw → events → identity → views every record
 * carries its raw message's timestamp (when ingest handed it to Kafka). A read_committed consumer per topic, started
 * at the end of each, records arrival time minus record timestamp: the time from ingest to that topic becoming
 * visible downstream. The differences between topics are the hops (a transaction each, plus any deliberate delay).
 *
 * <p>Run against a running {@code careweave up} under load: {@code java -cp $CP
 * org.careweave.benchmarks.stream.HopLatency --bootstrap 127.0.0.1:9092 --seconds 30}. Options: {@code --topics}
 * (comma-separated, default the chain below), {@code --seconds}. Prints one line per topic; reads no values.
 */
public final class HopLatency {

    static final List<String> CHAIN = List.of("careweave.hl7.raw", "careweave.patient.events",
            "careweave-processors-identity-input-repartition", "careweave.identity.links", "careweave.person.golden",
            "careweave-processors-person-inputs-repartition", "careweave.person.views", "careweave.secondary.persons");

    private HopLatency() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options = Options.parse(args, Set.of());
        String bootstrap = options.text("bootstrap", "127.0.0.1:9092");
        List<String> topics = existing(bootstrap, List.of(options.text("topics", String.join(",", CHAIN)).split(",")));
        Duration duration = options.seconds("seconds", 30);
        List<Thread> threads = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        List<long[]> createTimes = new ArrayList<>();
        for (String topic : topics) {
            Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
            long[] counts = new long[2];
            histograms.add(histogram);
            createTimes.add(counts);
            Thread t = new Thread(() -> follow(bootstrap, topic, duration, histogram, counts), "hop-" + topic);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf(Locale.ROOT, "%-52s %8s %9s %9s %9s %9s  %s%n", "topic (ms from ingest to visible)", "records",
                "p50", "p90", "p99", "max", "timestamps");
        for (int i = 0; i < topics.size(); i++) {
            Histogram h = histograms.get(i);
            System.out.printf(Locale.ROOT, "%-52s %8d %9.1f %9.1f %9.1f %9.1f  %d create, %d other%n", topics.get(i),
                    h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, createTimes.get(i)[0],
                    createTimes.get(i)[1]);
        }
    }

    /** The topics of the list that exist (a deployment whose patient.events has one partition has no repartition). */
    private static List<String> existing(String bootstrap, List<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            return topics.stream().filter(names::contains).toList();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot list the topics at " + bootstrap, e);
        }
    }

    private static void follow(String bootstrap, String topic, Duration duration, Histogram histogram, long[] counts) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "hop-latency-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    histogram.recordValue(Math.max(0, now - r.timestamp()) * 1000);
                    counts[r.timestampType() == TimestampType.CREATE_TIME ? 0 : 1]++;
                }
            }
        }
    }
}
