package org.careweave.store.views;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.careweave.events.PersonView;
import org.careweave.schemas.registry.RegistryClientConfig;
import org.careweave.schemas.registry.SchemaRegistryException;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.db.SqlErrors;
import org.careweave.store.db.StoreDatabase;
import org.careweave.store.health.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Keeps the store's tables in step with {@code <prefix>person.views}, exactly once.
 *
 * <p>The sink reads every partition itself (no consumer group), starts from the positions stored in the database and
 * writes each batch's rows together with the positions after it in one transaction. After any failure (database,
 * registry, a crash of the process) it goes back to the stored positions, so nothing is lost and nothing applied
 * twice; the version and offset guards make even a replay from the beginning harmless.
 */
public final class SinkService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SinkService.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LAG_REFRESH = Duration.ofSeconds(1);

    private final SinkConfig config;
    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final DataSource dataSource;
    private final AutoCloseable ownedDatabase;
    private final BatchWriter writer;
    private final Thread thread;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Counter applied;
    private final Counter removed;
    private final Counter stale;
    private final Counter skipped;
    private final Counter errors;
    private final Timer batchTimer;
    private final MeterRegistry metrics;
    private final Gauge lagGauge;

    private volatile boolean running = true;
    private volatile KafkaConsumer<String, PersonView> consumer;
    private volatile long lag = -1;
    private volatile String problem = "starting";
    private volatile Instant lastLagCheck = Instant.EPOCH;

    private SinkService(SinkConfig config, String topic, Map<String, Object> consumerConfig, DataSource dataSource,
                        AutoCloseable ownedDatabase, MeterRegistry metrics) {
        this.config = config;
        this.topic = topic;
        this.consumerConfig = consumerConfig;
        this.dataSource = dataSource;
        this.ownedDatabase = ownedDatabase;
        this.writer = new BatchWriter(topic, new PersonRows(new PersonDocuments(config.zone())));
        this.applied = counter(metrics, "applied");
        this.removed = counter(metrics, "removed");
        this.stale = counter(metrics, "stale");
        this.skipped = counter(metrics, "skipped");
        this.errors = Counter.builder("careweave.sink.errors")
                .description("Failed sink batches (database or registry unavailable), retried from the stored positions")
                .register(metrics);
        this.batchTimer = Timer.builder("careweave.sink.batch").description("One batch written with its positions")
                .register(metrics);
        this.metrics = metrics;
        this.lagGauge = Gauge.builder("careweave.sink.lag", this, s -> s.lag)
                .description("Records behind the end of person.views (-1 while unknown)").register(metrics);
        this.thread = new Thread(this::run, "careweave-sink");
    }

    /** Opens (and migrates) the store database and starts consuming {@code <topicPrefix>person.views}. */
    public static SinkService start(SinkConfig config, StoreEndpoints endpoints, String topicPrefix,
                                    MeterRegistry metrics) {
        StoreDatabase database = StoreDatabase.open(endpoints, 2, "careweave-sink");
        try {
            return start(config, endpoints, topicPrefix, metrics, database.dataSource(), database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** With a data source of the caller's (already migrated); {@code owned} is closed with the sink, if not null. */
    static SinkService start(SinkConfig config, StoreEndpoints endpoints, String topicPrefix, MeterRegistry metrics,
                             DataSource dataSource, AutoCloseable owned) {
        Map<String, Object> consumerConfig = new HashMap<>();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, config.clientId());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The processors write person.views in transactions: aborted records must never reach the store.
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.pollRecords());
        consumerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumerConfig.put(RegistryClientConfig.SCHEMA_REGISTRY_URL, endpoints.schemaRegistryUrl());
        SinkService sink = new SinkService(config, Topics.PERSON_VIEWS.name(topicPrefix), consumerConfig, dataSource,
                owned, metrics);
        sink.thread.start();
        return sink;
    }

    public String topic() {
        return topic;
    }

    /** Records between the sink's position and the end of its topic, when known. */
    public OptionalLong lag() {
        long current = lag;
        return current < 0 ? OptionalLong.empty() : OptionalLong.of(current);
    }

    /** UP while the sink is writing (or idle at the end of its topic) and not more than the allowed lag behind. */
    public HealthCheck healthCheck() {
        return HealthCheck.of("sink", () -> {
            String current = problem;
            if (current != null) {
                return HealthCheck.Status.down(current);
            }
            long behind = lag;
            if (behind > config.maxHealthyLag()) {
                return HealthCheck.Status.down("lag " + behind + " records (more than " + config.maxHealthyLag() + ")");
            }
            return HealthCheck.Status.up(behind < 0 ? "lag unknown" : "lag " + behind + " records");
        });
    }

    /** Finishes the batch being written (its transaction commits or rolls back), then stops. */
    @Override
    public void close() {
        running = false;
        stopRequested.countDown();
        KafkaConsumer<String, PersonView> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                log.warn("Sink did not stop within 30 s; interrupting it");
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A sink started again on the same registry must report its own lag, not this one's.
        metrics.remove(lagGauge);
        if (ownedDatabase != null) {
            try {
                ownedDatabase.close();
            } catch (Exception e) {
                log.warn("Closing the sink's database pool failed: {}", e.getClass().getSimpleName());
            }
        }
    }

    private void run() {
        try (KafkaConsumer<String, PersonView> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                AvroSerdes.specific(PersonView.class, consumerConfig, false).deserializer())) {
            consumer = c;
            boolean positioned = false;
            while (running) {
                try {
                    if (!positioned) {
                        positioned = assignAndSeek(c);
                        if (!positioned) {
                            pause();
                            continue;
                        }
                    }
                    ConsumerRecords<String, PersonView> records = c.poll(config.pollTimeout());
                    if (!records.isEmpty()) {
                        writeBatch(records);
                    }
                    refreshLag(c);
                    problem = null;
                } catch (WakeupException e) {
                    // close() asked us to stop; the loop condition ends it.
                } catch (RecordDeserializationException e) {
                    positioned = false;
                    handleUnreadable(e);
                } catch (SQLException | RuntimeException e) {
                    positioned = false;
                    fail("batch not written", e);
                }
            }
        } catch (RuntimeException e) {
            problem = "stopped: " + e.getClass().getSimpleName();
            log.error("Sink stopped: {}", SqlErrors.describe(e));
        } finally {
            consumer = null;
            if (problem == null) {
                problem = "stopped";
            }
        }
    }

    /** @return false when the topic does not exist yet */
    private boolean assignAndSeek(KafkaConsumer<String, PersonView> c) throws SQLException {
        List<PartitionInfo> partitions = c.partitionsFor(topic, METADATA_TIMEOUT);
        if (partitions == null || partitions.isEmpty()) {
            problem = "waiting for topic " + topic;
            return false;
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        Map<Integer, Long> stored;
        try (Connection connection = dataSource.getConnection()) {
            stored = ConsumerPositions.load(connection, topic);
        }
        c.assign(assigned);
        for (TopicPartition tp : assigned) {
            Long next = stored.get(tp.partition());
            if (next == null) {
                c.seekToBeginning(List.of(tp));
            } else {
                c.seek(tp, next);
            }
        }
        log.info("Sink reading {} ({} partitions) from stored positions {}", topic, assigned.size(), stored);
        return true;
    }

    private void writeBatch(ConsumerRecords<String, PersonView> records) throws SQLException {
        long start = System.nanoTime();
        BatchWriter.Outcome outcome;
        try (Connection connection = dataSource.getConnection()) {
            outcome = writer.write(connection, records);
        }
        batchTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        applied.increment(outcome.applied());
        removed.increment(outcome.removed());
        stale.increment(outcome.stale());
        skipped.increment(outcome.skipped());
        if (outcome.skipped() > 0) {
            log.warn("Sink stepped over {} records of {} it could not use (see sink_skipped_record)",
                    outcome.skipped(), topic);
        }
    }

    /**
     * A record the deserializer refused. Registry trouble is passing: wait and read it again. Anything else means the
     * record can never be read, so it is stepped over, with a row saying where and why.
     */
    private void handleUnreadable(RecordDeserializationException e) {
        if (causedByRegistry(e)) {
            fail("schema registry unavailable", e);
            return;
        }
        String reason = "not a readable PersonView: " + e.getCause().getClass().getSimpleName();
        try (Connection connection = dataSource.getConnection()) {
            writer.skipUnreadable(connection, e.topicPartition().partition(), e.offset(), reason);
            skipped.increment();
            log.warn("Sink stepped over an unreadable record at {} offset {} (see sink_skipped_record)",
                    e.topicPartition(), e.offset());
        } catch (SQLException | RuntimeException writeFailure) {
            fail("could not record an unreadable record", writeFailure);
        }
    }

    private static boolean causedByRegistry(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException) {
                return true;
            }
        }
        return false;
    }

    private void fail(String what, Exception e) {
        errors.increment();
        problem = what + ": " + SqlErrors.describe(e);
        log.warn("Sink {}: {}; retrying from the stored positions", what, SqlErrors.describe(e));
        pause();
    }

    private void pause() {
        try {
            stopRequested.await(config.retryBackoff().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void refreshLag(KafkaConsumer<String, PersonView> c) {
        Instant now = Instant.now();
        if (Duration.between(lastLagCheck, now).compareTo(LAG_REFRESH) < 0) {
            return;
        }
        lastLagCheck = now;
        // With read_committed, endOffsets are the last stable offsets: what the sink can actually read.
        Map<TopicPartition, Long> ends = c.endOffsets(c.assignment(), METADATA_TIMEOUT);
        long total = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            total += Math.max(0, end.getValue() - c.position(end.getKey(), METADATA_TIMEOUT));
        }
        lag = total;
    }

    private static Counter counter(MeterRegistry metrics, String outcome) {
        return Counter.builder("careweave.sink.records").tag("outcome", outcome)
                .description("person.views records by what the sink did with them").register(metrics);
    }
}
