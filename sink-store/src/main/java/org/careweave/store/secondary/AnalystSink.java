package org.careweave.store.secondary;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.careweave.schemas.registry.RegistryClientConfig;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.db.PositionedConsumer;
import org.careweave.store.db.StoreDatabase;
import org.careweave.store.health.HealthCheck;
import org.careweave.store.views.SinkConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Keeps the analyst tables (analyst_persons, analyst_results) in step with {@code <prefix>secondary.persons} and
 * {@code <prefix>secondary.results}, exactly once, with the same loop as the store's sink for person views
 * ({@link PositionedConsumer}).
 */
public final class AnalystSink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AnalystSink.class);

    private final AutoCloseable ownedDatabase;
    private final PositionedConsumer<SpecificRecord> loop;

    private AnalystSink(SinkConfig config, String topicPrefix, Map<String, Object> consumerConfig,
                        DataSource dataSource, AutoCloseable ownedDatabase, MeterRegistry metrics) {
        String persons = Topics.SECONDARY_PERSONS.name(topicPrefix);
        String results = Topics.SECONDARY_RESULTS.name(topicPrefix);
        this.ownedDatabase = ownedDatabase;
        this.loop = PositionedConsumer.start("Analyst sink", List.of(persons, results), consumerConfig,
                AvroSerdes.anySpecific(consumerConfig).deserializer(), dataSource,
                new AnalystTables(new AnalystWriter(persons, results), metrics), config.pollTimeout(),
                config.retryBackoff());
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
        Map<String, Object> consumerConfig = endpoints.kafka().clientConfig();
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, config.clientId() + "-analyst");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The processors write both topics in transactions: aborted records, and so retracted people, never land.
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.pollRecords());
        consumerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumerConfig.put(RegistryClientConfig.SCHEMA_REGISTRY_URL, endpoints.schemaRegistryUrl());
        return new AnalystSink(config, topicPrefix, consumerConfig, dataSource, owned, metrics);
    }

    /** UP while the sink is writing or idle at the end of its topics. */
    public HealthCheck healthCheck() {
        return HealthCheck.of("analyst-sink", () -> {
            String current = loop.problem();
            return current == null ? HealthCheck.Status.up("writing") : HealthCheck.Status.down(current);
        });
    }

    /** Finishes the batch being written (its transaction commits or rolls back), then stops. */
    @Override
    public void close() {
        loop.close();
        if (ownedDatabase != null) {
            try {
                ownedDatabase.close();
            } catch (Exception e) {
                log.warn("Closing the analyst sink's database pool failed: {}", e.getClass().getSimpleName());
            }
        }
    }

    /** Secondary-use records into the analyst tables. */
    private static final class AnalystTables implements PositionedConsumer.Target<SpecificRecord> {

        private final AnalystWriter writer;
        private final Counter written;
        private final Counter deleted;
        private final Counter skipped;

        AnalystTables(AnalystWriter writer, MeterRegistry metrics) {
            this.writer = writer;
            this.written = counter(metrics, "written");
            this.deleted = counter(metrics, "deleted");
            this.skipped = counter(metrics, "skipped");
        }

        @Override
        public Map<TopicPartition, Long> storedPositions(Connection c) throws SQLException {
            return AnalystPositions.load(c);
        }

        @Override
        public void write(Connection c, ConsumerRecords<String, SpecificRecord> records) throws SQLException {
            AnalystWriter.Outcome outcome = writer.write(c, records);
            written.increment(outcome.written());
            deleted.increment(outcome.deleted());
            skipped.increment(outcome.skipped());
            if (outcome.skipped() > 0) {
                log.warn("Analyst sink stepped over {} records it could not use (see analyst_skipped_record)",
                        outcome.skipped());
            }
        }

        @Override
        public void skip(Connection c, TopicPartition partition, long offset, String reason)
                throws SQLException {
            writer.skip(c, partition, offset, reason);
            skipped.increment();
        }
    }

    private static Counter counter(MeterRegistry metrics, String outcome) {
        return Counter.builder("careweave.analyst.sink.records").tag("outcome", outcome)
                .description("secondary-use records by what the analyst sink did with them").register(metrics);
    }
}
