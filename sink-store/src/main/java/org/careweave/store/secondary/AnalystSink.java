package org.careweave.store.secondary;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.careweave.schemas.registry.RegistryClientConfig;
import org.careweave.schemas.registry.SchemaRegistryException;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.db.SqlErrors;
import org.careweave.store.db.StoreDatabase;
import org.careweave.store.health.HealthCheck;
import org.careweave.store.views.SinkConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Keeps the analyst tables (analyst_persons, analyst_results) in step with {@code <prefix>secondary.persons} and
 * {@code <prefix>secondary.results}, exactly once, as the store's sink does for person views: it reads every
 * partition itself (no consumer group), starts from the positions stored in the database, and writes each batch with
 * the positions after it in one transaction. After any failure it goes back to the stored positions.
 */
public final class AnalystSink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AnalystSink.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private final SinkConfig config;
    private final List<String> topics;
    private final Map<String, Object> consumerConfig;
    private final DataSource dataSource;
    private final AutoCloseable ownedDatabase;
    private final AnalystWriter writer;
    private final Thread thread;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Counter written;
    private final Counter deleted;
    private final Counter skipped;

    private volatile boolean running = true;
    private volatile KafkaConsumer<String, SpecificRecord> consumer;
    private volatile String problem = "starting";

    private AnalystSink(SinkConfig config, String topicPrefix, Map<String, Object> consumerConfig,
                        DataSource dataSource, AutoCloseable ownedDatabase, MeterRegistry metrics) {
        this.config = config;
        String persons = Topics.SECONDARY_PERSONS.name(topicPrefix);
        String results = Topics.SECONDARY_RESULTS.name(topicPrefix);
        this.topics = List.of(persons, results);
        this.consumerConfig = consumerConfig;
        this.dataSource = dataSource;
        this.ownedDatabase = ownedDatabase;
        this.writer = new AnalystWriter(persons, results);
        this.written = counter(metrics, "written");
        this.deleted = counter(metrics, "deleted");
        this.skipped = counter(metrics, "skipped");
        this.thread = new Thread(this::run, "careweave-analyst-sink");
    }

    /** Opens (and migrates) the store database and starts consuming the secondary-use topics. */
    public static AnalystSink start(SinkConfig config, StoreEndpoints endpoints, String topicPrefix,
                                    MeterRegistry metrics) {
        StoreDatabase database = StoreDatabase.open(endpoints, 2, "careweave-analyst-sink");
        try {
            return start(config, endpoints, topicPrefix, metrics, database.dataSource(), database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** With a data source of the caller's (already migrated); {@code owned} is closed with the sink, if not null. */
    public static AnalystSink start(SinkConfig config, StoreEndpoints endpoints, String topicPrefix,
                                    MeterRegistry metrics, DataSource dataSource, AutoCloseable owned) {
        Map<String, Object> consumerConfig = new HashMap<>();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, config.clientId() + "-analyst");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The processors write both topics in transactions: aborted records, and so retracted people, never land.
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.pollRecords());
        consumerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumerConfig.put(RegistryClientConfig.SCHEMA_REGISTRY_URL, endpoints.schemaRegistryUrl());
        AnalystSink sink = new AnalystSink(config, topicPrefix, consumerConfig, dataSource, owned, metrics);
        sink.thread.start();
        return sink;
    }

    /** UP while the sink is writing or idle at the end of its topics. */
    public HealthCheck healthCheck() {
        return HealthCheck.of("analyst-sink", () -> {
            String current = problem;
            return current == null ? HealthCheck.Status.up("writing") : HealthCheck.Status.down(current);
        });
    }

    /** Finishes the batch being written (its transaction commits or rolls back), then stops. */
    @Override
    public void close() {
        running = false;
        stopRequested.countDown();
        KafkaConsumer<String, SpecificRecord> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                log.warn("Analyst sink did not stop within 30 s; interrupting it");
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownedDatabase != null) {
            try {
                ownedDatabase.close();
            } catch (Exception e) {
                log.warn("Closing the analyst sink's database pool failed: {}", e.getClass().getSimpleName());
            }
        }
    }

    private void run() {
        try (KafkaConsumer<String, SpecificRecord> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                AvroSerdes.anySpecific(consumerConfig).deserializer())) {
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
                    ConsumerRecords<String, SpecificRecord> records = c.poll(config.pollTimeout());
                    if (!records.isEmpty()) {
                        writeBatch(records);
                    }
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
            log.error("Analyst sink stopped: {}", SqlErrors.describe(e));
        } finally {
            consumer = null;
            if (problem == null) {
                problem = "stopped";
            }
        }
    }

    /** @return false when a topic does not exist yet */
    private boolean assignAndSeek(KafkaConsumer<String, SpecificRecord> c) throws SQLException {
        List<TopicPartition> assigned = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> partitions = c.partitionsFor(topic, METADATA_TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                problem = "waiting for topic " + topic;
                return false;
            }
            partitions.forEach(p -> assigned.add(new TopicPartition(topic, p.partition())));
        }
        Map<TopicPartition, Long> stored;
        try (Connection connection = dataSource.getConnection()) {
            stored = AnalystPositions.load(connection);
        }
        c.assign(assigned);
        for (TopicPartition tp : assigned) {
            Long next = stored.get(tp);
            if (next == null) {
                c.seekToBeginning(List.of(tp));
            } else {
                c.seek(tp, next);
            }
        }
        log.info("Analyst sink reading {} ({} partitions) from stored positions", topics, assigned.size());
        return true;
    }

    private void writeBatch(ConsumerRecords<String, SpecificRecord> records) throws SQLException {
        AnalystWriter.Outcome outcome;
        try (Connection connection = dataSource.getConnection()) {
            outcome = writer.write(connection, records);
        }
        written.increment(outcome.written());
        deleted.increment(outcome.deleted());
        skipped.increment(outcome.skipped());
        if (outcome.skipped() > 0) {
            log.warn("Analyst sink stepped over {} records it could not use (see analyst_skipped_record)",
                    outcome.skipped());
        }
    }

    /** Registry trouble is passing: wait and read again. Anything else can never be read, so it is stepped over. */
    private void handleUnreadable(RecordDeserializationException e) {
        if (causedByRegistry(e)) {
            fail("schema registry unavailable", e);
            return;
        }
        String reason = "not readable: " + e.getCause().getClass().getSimpleName();
        try (Connection connection = dataSource.getConnection()) {
            writer.skipUnreadable(connection, e.topicPartition(), e.offset(), reason);
            skipped.increment();
            log.warn("Analyst sink stepped over an unreadable record at {} offset {}", e.topicPartition(),
                    e.offset());
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
        problem = what + ": " + SqlErrors.describe(e);
        log.warn("Analyst sink {}: {}; retrying from the stored positions", what, SqlErrors.describe(e));
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

    private static Counter counter(MeterRegistry metrics, String outcome) {
        return Counter.builder("careweave.analyst.sink.records").tag("outcome", outcome)
                .description("secondary-use records by what the analyst sink did with them").register(metrics);
    }
}
