package org.careweave.ingest.mapping;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.careweave.platform.KafkaConnection;
import org.careweave.platform.KafkaRefusals;
import org.careweave.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;

/** Runs the mapping topology: start, stop, and whether it is running. */
public final class MappingService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MappingService.class);
    /** What a fetch waits for, up to the configured wait: a few dozen messages or events. */
    private static final int FETCH_BATCH_BYTES = 64 * 1024;

    private final KafkaStreams streams;
    private final KafkaRefusals refusals;

    private MappingService(KafkaStreams streams, KafkaRefusals refusals) {
        this.streams = streams;
        this.refusals = refusals;
    }

    public static MappingService start(MappingConfig config, KafkaConnection kafka, String schemaRegistryUrl,
                                       String topicPrefix, short replicationFactor, Path stateDir,
                                       MeterRegistry metrics) {
        return start(config, kafka, schemaRegistryUrl, topicPrefix, topicPrefix, raw -> true,
                replicationFactor, stateDir, metrics);
    }

    /** Replay's form: raw messages from one prefix, the selected ones mapped into another (or the same). */
    public static MappingService start(MappingConfig config, KafkaConnection kafka, String schemaRegistryUrl,
                                       String sourcePrefix, String targetPrefix,
                                       java.util.function.Predicate<org.careweave.events.RawMessage> selected,
                                       short replicationFactor, Path stateDir, MeterRegistry metrics) {
        Properties props = new Properties();
        props.putAll(kafka.clientConfig());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // A message's events are no larger than the message, which may be as large as hl7.raw takes: the event topics
        // take as much (careweave creates them so), and so must the producer.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.LARGE_RECORD_BYTES);
        // As the processors do: a commit's records in 256 KiB batches rather than 16 KiB ones, fewer requests for the
        // broker to append when mapping works through a backlog (a replay, a restart).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        // Under load, a fetch that waits for a batch saves a poll, a fetch and a round of processing per record: ingest
        // writes the raw topic one message at a time, outside transactions, so without the wait every write woke this
        // consumer for one or two records (careweave up at 500 msg/s: the mapping thread needed three times the CPU).
        if (config.fetchMaxWaitMs() > 0) {
            props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), FETCH_BATCH_BYTES);
            props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
                    config.fetchMaxWaitMs());
        }
        RawMessageMapper mapper = new RawMessageMapper(config.defaultZone(), config.zoneByFacility(),
                config.authorityByFacility());
        var topology = MappingTopology.build(sourcePrefix, targetPrefix, selected,
                Map.of("schema.registry.url", schemaRegistryUrl), mapper, config.resendWindow(), metrics);
        KafkaStreams streams = new KafkaStreams(topology, props);
        KafkaRefusals refusals = new KafkaRefusals();
        streams.setUncaughtExceptionHandler(e -> {
            if (refusals.refused(e)) {
                log.error("Kafka refused the mapping processor ({}); stopping it, as a new thread would be refused"
                        + " too: {}", refusals.refusal().orElseThrow(), refusals.remedy(
                        "an event is larger than Kafka takes: see 'A record too large' in docs/operations.md"));
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            // Keep the message in Kafka and retry with a fresh thread rather than skip it.
            log.error("Mapping processor thread failed ({}); replacing it", e.getClass().getSimpleName(), e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return new MappingService(streams, refusals);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Why mapping stopped, when Kafka refused its principal (it stops then, see {@link KafkaRefusals}). */
    public Optional<String> refusal() {
        return refusals.refusal();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
