package org.careweave.store.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.careweave.schemas.registry.SchemaRegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exactly-once loop of careweave's sinks into PostgreSQL. It reads every partition of its topics itself (no
 * consumer group), starts from the positions stored in the database, and lets its {@link Target} write each batch's
 * rows together with the positions after it in one transaction. After any failure (database, registry, a crash of
 * the process) it goes back to the stored positions, so nothing is lost and nothing applied twice.
 *
 * <p>A record that can never be written is not such a failure: read again, it would fail again, and no record after
 * it would ever be written. A record that cannot be read is stepped over; a batch the database refuses for its data
 * ({@link SqlErrors#refusedData}) is written again one record at a time, and the record the database still refuses is
 * set aside. Either leaves a row saying where and why ({@link Target#skip}).
 */
public final class PositionedConsumer<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PositionedConsumer.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    /** What a sink does with what the loop reads. */
    public interface Target<V> {

        /** The next offset to read per partition, as stored with the rows. */
        Map<TopicPartition, Long> storedPositions(Connection c) throws SQLException;

        /** Writes the batch's rows and the positions after it, in one transaction. */
        void write(Connection c, ConsumerRecords<String, V> records) throws SQLException;

        /**
         * Records a record that can never be read or written, with why (never its content), and moves the stored
         * position past it, in one transaction.
         */
        void skip(Connection c, TopicPartition partition, long offset, String reason) throws SQLException;

        /** After every poll, e.g. to measure the lag. */
        default void polled(KafkaConsumer<String, V> consumer) {
        }

        /** A batch could not be written; it is read again from the stored positions. */
        default void failed() {
        }
    }

    private final String name;
    private final List<String> topics;
    private final Map<String, Object> consumerConfig;
    private final Deserializer<V> values;
    private final DataSource dataSource;
    private final Target<V> target;
    private final Duration pollTimeout;
    private final Duration retryBackoff;
    private final Thread thread;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    private volatile boolean running = true;
    private volatile KafkaConsumer<String, V> consumer;
    private volatile String problem = "starting";
    /** System.nanoTime() when the loop last finished a round (a poll, the batch written, the lag measured). */
    private volatile long lastRound = System.nanoTime();

    private PositionedConsumer(String name, List<String> topics, Map<String, Object> consumerConfig,
                               Deserializer<V> values, DataSource dataSource, Target<V> target, Duration pollTimeout,
                               Duration retryBackoff) {
        this.name = name;
        this.topics = List.copyOf(topics);
        this.consumerConfig = consumerConfig;
        this.values = values;
        this.dataSource = dataSource;
        this.target = target;
        this.pollTimeout = pollTimeout;
        this.retryBackoff = retryBackoff;
        this.thread = new Thread(this::run, "careweave-" + name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
    }

    /** @param name what log lines call it, e.g. "Sink" */
    public static <V> PositionedConsumer<V> start(String name, List<String> topics, Map<String, Object> consumerConfig,
                                                  Deserializer<V> values, DataSource dataSource, Target<V> target,
                                                  Duration pollTimeout, Duration retryBackoff) {
        PositionedConsumer<V> loop = new PositionedConsumer<>(name, topics, consumerConfig, values, dataSource,
                target, pollTimeout, retryBackoff);
        loop.thread.start();
        return loop;
    }

    /** Why the loop is not writing right now, or null while it is (or idle at the end of its topics). */
    public String problem() {
        return problem;
    }

    /**
     * How long since the loop last finished a round. Idle at the end of its topics it goes round every poll timeout;
     * blocked (a write waiting on a connection that never answers) it does not, while {@link #problem} stays null,
     * since nothing has failed yet.
     */
    public Duration sinceLastRound() {
        return Duration.ofNanos(System.nanoTime() - lastRound);
    }

    /** Finishes the batch being written (its transaction commits or rolls back), then stops. */
    @Override
    public void close() {
        running = false;
        stopRequested.countDown();
        KafkaConsumer<String, V> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                log.warn("{} did not stop within 30 s; interrupting it", name);
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try (KafkaConsumer<String, V> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), values)) {
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
                    ConsumerRecords<String, V> records = c.poll(pollTimeout);
                    if (!records.isEmpty()) {
                        write(records);
                    }
                    target.polled(c);
                    problem = null;
                    lastRound = System.nanoTime();
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
            log.error("{} stopped: {}", name, SqlErrors.describe(e));
        } finally {
            consumer = null;
            if (problem == null) {
                problem = "stopped";
            }
        }
    }

    /**
     * Writes the batch in one transaction. When the database refuses its data, writing it again would fail the same
     * way for ever: its records are then written one at a time, each with its position, so that only a record the
     * database refuses on its own is set aside. Any other failure is thrown, and the batch read again.
     */
    private void write(ConsumerRecords<String, V> records) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            target.write(connection, records);
            return;
        } catch (SQLException e) {
            if (!SqlErrors.refusedData(e)) {
                throw e;
            }
            log.warn("{} batch of {} records refused by the database ({}); writing them one at a time", name,
                    records.count(), SqlErrors.describe(e));
        }
        for (ConsumerRecord<String, V> record : records) {
            writeAlone(record);
        }
    }

    private void writeAlone(ConsumerRecord<String, V> record) throws SQLException {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        String reason;
        try (Connection connection = dataSource.getConnection()) {
            target.write(connection, new ConsumerRecords<>(Map.of(partition, List.of(record)), Map.of()));
            return;
        } catch (SQLException e) {
            if (!SqlErrors.refusedData(e)) {
                throw e;
            }
            // The SQLSTATE and the constraint or table: never the values, which PostgreSQL's message may quote.
            reason = "refused by the database: " + SqlErrors.describe(e);
        }
        try (Connection connection = dataSource.getConnection()) {
            target.skip(connection, partition, record.offset(), reason);
        }
        log.warn("{} set aside the record at {} offset {}, {}", name, partition, record.offset(), reason);
    }

    /** @return false when a topic does not exist yet */
    private boolean assignAndSeek(KafkaConsumer<String, V> c) throws SQLException {
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
            stored = target.storedPositions(connection);
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
        log.info("{} reading {} ({} partitions) from stored positions {}", name, topics, assigned.size(), stored);
        return true;
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
        String reason = "not readable: " + e.getCause().getClass().getSimpleName();
        try (Connection connection = dataSource.getConnection()) {
            target.skip(connection, e.topicPartition(), e.offset(), reason);
            log.warn("{} stepped over an unreadable record at {} offset {}", name, e.topicPartition(), e.offset());
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
        target.failed();
        problem = what + ": " + SqlErrors.describe(e);
        log.warn("{} {}: {}; retrying from the stored positions", name, what, SqlErrors.describe(e));
        pause();
    }

    private void pause() {
        try {
            stopRequested.await(retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
