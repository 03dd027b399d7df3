package org.careweave.store.views;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.careweave.events.IdentityReview;
import org.careweave.events.PersonView;
import org.careweave.schemas.registry.RegistryClientConfig;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.db.ConsumerPositions;
import org.careweave.store.db.PositionedConsumer;
import org.careweave.store.db.StoreDatabase;
import org.careweave.store.health.HealthCheck;
import org.careweave.store.reviews.ReviewSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Keeps the store's tables in step with {@code <prefix>person.views}, and its review queue with
 * {@code <prefix>identity.review}, exactly once.
 *
 * <p>It runs the sinks' exactly-once loop ({@link PositionedConsumer}): positions stored with the rows, one
 * transaction per batch, back to the stored positions after any failure. The version and offset guards make even a
 * replay from the beginning harmless.
 */
public final class SinkService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SinkService.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LAG_REFRESH = Duration.ofSeconds(1);
    /**
     * The longest a loop may go without finishing a round before /health says it is stuck. A round is a poll (at most
     * sink.poll.timeout.ms), a batch of at most sink.poll.records written, and the lag measured (Kafka calls of at
     * most 10 s each): seconds even when busy. A write that waits on a connection the network has black-holed waits
     * far longer (the operating system's TCP timeouts, about 15 minutes) without failing, with the lag frozen.
     */
    static final Duration MAX_ROUND = Duration.ofSeconds(60);

    private final SinkConfig config;
    private final String topic;
    private final AutoCloseable ownedDatabase;
    private final MeterRegistry metrics;
    private final Gauge lagGauge;
    private final PositionedConsumer<PersonView> loop;
    private final PositionedConsumer<IdentityReview> reviews;

    private volatile long lag = -1;

    private SinkService(SinkConfig config, String topicPrefix, Map<String, Object> consumerConfig,
                        DataSource dataSource, AutoCloseable ownedDatabase, MeterRegistry metrics) {
        String topic = Topics.PERSON_VIEWS.name(topicPrefix);
        this.config = config;
        this.topic = topic;
        this.ownedDatabase = ownedDatabase;
        this.metrics = metrics;
        this.lagGauge = Gauge.builder("careweave.sink.lag", this, s -> s.lag)
                .description("Records behind the end of person.views (-1 while unknown)").register(metrics);
        this.loop = PositionedConsumer.start("Sink", List.of(topic), consumerConfig,
                AvroSerdes.specific(PersonView.class, consumerConfig, false).deserializer(), dataSource,
                new Views(new BatchWriter(topic, new PersonRows(new PersonDocuments(config.zone()))), metrics),
                config.pollTimeout(), config.retryBackoff());
        // A loop of its own: the review queue is a small table, and a problem with it must not hold up the views.
        Map<String, Object> reviewConfig = new HashMap<>(consumerConfig);
        reviewConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, config.clientId() + "-reviews");
        String reviewTopic = Topics.IDENTITY_REVIEW.name(topicPrefix);
        this.reviews = PositionedConsumer.start("Review sink", List.of(reviewTopic), reviewConfig,
                AvroSerdes.specific(IdentityReview.class, reviewConfig, false).deserializer(), dataSource,
                new ReviewSink(reviewTopic), config.pollTimeout(), config.retryBackoff());
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
        Map<String, Object> consumerConfig = endpoints.kafka().clientConfig();
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, config.clientId());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The processors write person.views in transactions: aborted records must never reach the store.
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.pollRecords());
        consumerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumerConfig.put(RegistryClientConfig.SCHEMA_REGISTRY_URL, endpoints.schemaRegistryUrl());
        return new SinkService(config, topicPrefix, consumerConfig, dataSource, owned, metrics);
    }

    public String topic() {
        return topic;
    }

    /** Records between the sink's position and the end of its topic, when known. */
    public OptionalLong lag() {
        long current = lag;
        return current < 0 ? OptionalLong.empty() : OptionalLong.of(current);
    }

    /**
     * UP while both loops are writing (or idle at the end of their topics) and the views are not more than the allowed
     * lag behind.
     */
    public HealthCheck healthCheck() {
        return HealthCheck.of("sink", () -> health(new LoopState(loop.problem(), loop.sinceLastRound()),
                new LoopState(reviews.problem(), reviews.sinceLastRound()), lag, config.maxHealthyLag()));
    }

    /** One loop as /health sees it: why it is not writing (null while it is), and how long since it went round. */
    record LoopState(String problem, Duration sinceLastRound) {

        /** Why it is not writing: its problem, else that it has not gone round within {@link #MAX_ROUND}. */
        String trouble() {
            if (problem != null) {
                return problem;
            }
            if (sinceLastRound.compareTo(MAX_ROUND) > 0) {
                return "stuck: no round finished for " + sinceLastRound.toSeconds() + " s (a write or a Kafka call"
                        + " has not returned)";
            }
            return null;
        }
    }

    /**
     * UP while both loops go round without a problem and the views are not more than the allowed lag behind. A stuck
     * loop is DOWN whatever its last lag, which it no longer measures.
     */
    static HealthCheck.Status health(LoopState views, LoopState reviews, long lag, long maxHealthyLag) {
        String current = views.trouble();
        if (current != null) {
            return HealthCheck.Status.down(current);
        }
        String reviewProblem = reviews.trouble();
        if (reviewProblem != null) {
            return HealthCheck.Status.down("review queue: " + reviewProblem);
        }
        if (lag > maxHealthyLag) {
            return HealthCheck.Status.down("lag " + lag + " records (more than " + maxHealthyLag + ")");
        }
        return HealthCheck.Status.up(lag < 0 ? "lag unknown" : "lag " + lag + " records");
    }

    /** Finishes the batch being written (its transaction commits or rolls back), then stops. */
    @Override
    public void close() {
        loop.close();
        reviews.close();
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

    /** Person views into the store's tables, with the sink's metrics and lag. */
    private final class Views implements PositionedConsumer.Target<PersonView> {

        private final BatchWriter writer;
        private final Counter applied;
        private final Counter removed;
        private final Counter stale;
        private final Counter skipped;
        private final Counter errors;
        private final Timer batchTimer;
        private Instant lastLagCheck = Instant.EPOCH;

        Views(BatchWriter writer, MeterRegistry metrics) {
            this.writer = writer;
            this.applied = counter(metrics, "applied");
            this.removed = counter(metrics, "removed");
            this.stale = counter(metrics, "stale");
            this.skipped = counter(metrics, "skipped");
            this.errors = Counter.builder("careweave.sink.errors")
                    .description("Failed sink batches (database or registry unavailable), retried from the stored"
                            + " positions")
                    .register(metrics);
            this.batchTimer = Timer.builder("careweave.sink.batch")
                    .description("One batch written with its positions").register(metrics);
        }

        @Override
        public Map<TopicPartition, Long> storedPositions(Connection c) throws SQLException {
            return ConsumerPositions.ofTopic(c, topic);
        }

        @Override
        public void write(Connection c, ConsumerRecords<String, PersonView> records) throws SQLException {
            long start = System.nanoTime();
            BatchWriter.Outcome outcome = writer.write(c, records);
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

        @Override
        public void skip(Connection c, TopicPartition partition, long offset, String reason)
                throws SQLException {
            writer.skip(c, partition.partition(), offset, reason);
            skipped.increment();
        }

        @Override
        public void polled(KafkaConsumer<String, PersonView> c) {
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

        @Override
        public void failed() {
            errors.increment();
        }
    }

    private static Counter counter(MeterRegistry metrics, String outcome) {
        return Counter.builder("careweave.sink.records").tag("outcome", outcome)
                .description("person.views records by what the sink did with them").register(metrics);
    }
}
