package org.careweave.processors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.careweave.platform.KafkaConnection;
import org.careweave.platform.KafkaRefusals;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.careweave.internal.PersonInput;
import org.careweave.processors.routing.SourceRoutingTopology;
import org.careweave.processors.secondary.Pseudonymiser;
import org.careweave.processors.secondary.SecondaryTopology;
import org.careweave.processors.state.RocksDbOptions;
import org.careweave.processors.views.PersonViewTopology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.careweave.processors.identity.IdentityTopology;
import org.careweave.processors.identity.matching.MatchModel;
import org.careweave.processors.identity.matching.Matcher;
import org.careweave.schemas.topics.InsyncReplicas;
import org.careweave.schemas.topics.RecordLimits;
import org.careweave.schemas.topics.Topic;
import org.careweave.schemas.topics.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Runs careweave's stream processors as one Kafka Streams application. */
public final class ProcessorsService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProcessorsService.class);
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;
    /**
     * A batch open on each partition a commit writes (a stream thread's tasks write up to about 90 in careweave up)
     * takes a whole batch's memory: twice the default, so that a commit does not wait for memory.
     */
    static final long PRODUCER_BUFFER_BYTES = 64L * 1024 * 1024;

    private final KafkaStreams streams;
    private final KafkaRefusals refusals;
    private final String applicationId;

    private ProcessorsService(KafkaStreams streams, KafkaRefusals refusals, String applicationId) {
        this.streams = streams;
        this.refusals = refusals;
        this.applicationId = applicationId;
    }

    public static ProcessorsService start(ProcessorsConfig config, KafkaConnection kafka, String schemaRegistryUrl,
                                          String topicPrefix, short replicationFactor, Path stateDir,
                                          MeterRegistry metrics) {
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", schemaRegistryUrl);
        CoPartitioning.mismatch(partitions(kafka, CoPartitioning.topics(topicPrefix))).ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        StreamsBuilder builder = new StreamsBuilder();
        int patientEventPartitions = partitions(kafka, Topics.PATIENT_EVENTS.name(topicPrefix));
        IdentityTopology.addTo(builder, topicPrefix, serdeConfig, new Matcher(model(config)), metrics,
                IdentityTopology.Input.forPartitions(patientEventPartitions),
                IdentityTopology.Input.forPartitions(partitions(kafka, Topics.IDENTITY_DECISIONS.name(topicPrefix))));
        KStream<String, PersonInput> routed = SourceRoutingTopology.addTo(builder, topicPrefix, serdeConfig);
        // Owed views are looked at once per commit interval, and published once they have waited the publishing delay.
        PersonViewTopology.addTo(builder, routed, topicPrefix, serdeConfig, config.results(),
                Duration.ofMillis(config.commitIntervalMs()), Duration.ofMillis(config.viewsPublishDelayMs()), metrics);
        // Added last, so that the generated names of the nodes above stay as they were.
        config.secondary().ifPresent(secondary -> SecondaryTopology.addTo(builder, topicPrefix, serdeConfig,
                Pseudonymiser.of(secondary)));

        Properties props = streamsProperties(config, kafka, replicationFactor, stateDir);
        raiseInternalTopicLimits(kafka, config);
        Topology topology = builder.build(props);
        PersonViewTopology.addSinks(topology, topicPrefix, serdeConfig);
        if (config.secondary().isPresent()) {
            SecondaryTopology.addSinks(topology, topicPrefix, serdeConfig);
        }
        // Micrometer holds these meters' objects weakly: the service keeps this very string for as long as it runs.
        String applicationId = config.applicationId();
        FunctionCounter.builder("careweave.processors.records.too.large", applicationId, OversizedRecords::refused)
                .description("Records Kafka refused to the processors as too large (they stop then:"
                        + " processors.max.record.bytes)")
                .register(metrics);
        Gauge.builder("careweave.processors.record.bytes.largest", applicationId, RecordSizes::largest)
                .description("The largest record the processors have written since they started (a person's view or"
                        + " state); they stop on one over processors.max.record.bytes")
                .register(metrics);
        int maxRecordBytes = config.maxRecordBytes();
        Gauge.builder("careweave.processors.record.bytes.limit", () -> maxRecordBytes)
                .description("processors.max.record.bytes: the largest record the processors may write")
                .register(metrics);
        KafkaStreams streams = new KafkaStreams(topology, props);
        KafkaRefusals refusals = new KafkaRefusals();
        streams.setUncaughtExceptionHandler(e -> {
            if (refusals.refused(e)) {
                log.error("Kafka refused the processors ({}); stopping them, as a new thread would be refused too:"
                        + " {}", refusals.refusal().orElseThrow(),
                        refusals.remedy("raise " + ProcessorsConfig.MAX_RECORD_BYTES.key() + " (careweave raises its own"
                                + " topics' max.message.bytes to match when it starts; person.views too where it may),"
                                + " then restart: see 'A record too large' in docs/operations.md"));
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            log.error("Stream processor thread failed ({}); replacing it", e.getClass().getSimpleName(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return new ProcessorsService(streams, refusals, applicationId);
    }

    /**
     * The Kafka Streams settings careweave's processors run with: public so that a benchmark of one sub-topology
     * (identity alone) runs it exactly as the service does.
     */
    public static Properties streamsProperties(ProcessorsConfig config, KafkaConnection kafka,
                                               short replicationFactor, Path stateDir) {
        Properties props = new Properties();
        props.putAll(kafka.clientConfig());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        // No fetch wait here (unlike mapping): these inputs are read_committed and already arrive a commit at a time.
        // A 40 ms wait tried here showed no CPU saved and 40-90 ms more from AA to the API at 50 msg/s, but from a
        // jar that may have been stale (docs/benchmarks.md): worth a retrial before anyone relies on either figure.
        // Store caches absorb repeated writes to hot keys (a busy blocking key, a person with many results) between
        // commits, so each commit writes one changelog record per key, not one per update.
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, RocksDbOptions.class);
        props.put(RocksDbOptions.MEMORY_BYTES_CONFIG, Long.toString(config.rocksDbMemoryBytes()));
        // Identity is one task; routing and views are one task per partition: a second thread runs those while
        // identity works.
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        // A person's view and state grow with their results: room for large ones in the producer and in the topics
        // Kafka Streams creates (changelogs, repartitions); a record over even that stops the processors (see the
        // uncaught-exception handler) after OversizedRecords has said whose it is.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), config.maxRecordBytes());
        // A commit sends what the write-behind stores gathered since the last one at once, so the producer's 16 KiB
        // batches split it into many requests for the broker to append: 256 KiB batches (and room for them) gave the
        // identity topology 26% more records/s on less CPU, its own and the broker's (docs/benchmarks.md).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), PRODUCER_BUFFER_BYTES);
        props.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
                Integer.toString(config.maxRecordBytes()));
        // Changelogs and repartition topics hold what the processors acknowledged as committed: like careweave's own
        // topics, two copies of each write with three replicas or more (Topic.minInsyncReplicas).
        Topic.minInsyncReplicas(replicationFactor).ifPresent(replicas -> props.put(
                StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), Integer.toString(replicas)));
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, OversizedRecords.class);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG), RecordSizes.class.getName());
        props.put(StreamsConfig.producerPrefix(RecordSizes.APPLICATION_ID_CONFIG), config.applicationId());
        return props;
    }

    /**
     * The partitions of a topic that must exist: identity's topology depends on patient.events' count, so the
     * processors do not start before careweave (or an operator) created the topics.
     */
    public static int partitions(KafkaConnection kafka, String topic) {
        return partitions(kafka, List.of(topic)).get(topic);
    }

    /** The partitions of topics that must exist, in the order given. */
    static Map<String, Integer> partitions(KafkaConnection kafka, List<String> topics) {
        String named = (topics.size() == 1 ? "topic " : "topics ") + String.join(", ", topics);
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(60, TimeUnit.SECONDS);
            Map<String, Integer> partitions = new LinkedHashMap<>();
            topics.forEach(name -> partitions.put(name, described.get(name).partitions().size()));
            return partitions;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot read " + named + " (create careweave's topics first: "
                    + "careweave creates missing ones when it starts): " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + " did not describe " + named
                    + " within 60 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + named, e);
        }
    }

    /**
     * Kafka Streams sets the record limit of the topics it creates only when it creates them: changelogs made before
     * the limit was raised keep the old one, and a large person's state would stop the processors on them.
     */
    private static void raiseInternalTopicLimits(KafkaConnection kafka, ProcessorsConfig config) {
        String internalPrefix = config.applicationId() + "-";
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            List<String> internal = admin.listTopics().names().get(60, TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(internalPrefix)).sorted().toList();
            RecordLimits.Outcome outcome = RecordLimits.raise(admin, internal, config.maxRecordBytes());
            if (!outcome.raised().isEmpty()) {
                log.info("Raised max.message.bytes to {} on the processors' topics {} (they had {})",
                        config.maxRecordBytes(), outcome.raised().keySet(), Set.copyOf(outcome.raised().values()));
            }
            outcome.refused().forEach((topic, why) -> log.warn("Could not check or raise {}'s max.message.bytes to"
                    + " {} ({}). Run: {}", topic, config.maxRecordBytes(), why,
                    RecordLimits.command(topic, config.maxRecordBytes())));
            warnOfFewInsyncReplicas(admin, internal);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not list the processors' topics to check their record limits ({}); a person's state"
                    + " larger than a changelog's max.message.bytes would stop the processors", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking the processors' topics", e);
        }
    }

    /**
     * Kafka Streams, too, sets min.insync.replicas only on the topics it creates: changelogs made before careweave
     * asked for it keep what the broker gives them.
     */
    private static void warnOfFewInsyncReplicas(Admin admin, List<String> internal) throws InterruptedException {
        try {
            Map<String, InsyncReplicas.Found> found = InsyncReplicas.describe(admin, internal);
            List<String> tooFew = InsyncReplicas.tooFew(found);
            if (!tooFew.isEmpty()) {
                log.warn("{} of the processors' topics have three or more replicas but min.insync.replicas=1: a"
                        + " committed state change may rest on one broker's copy. Run for each: {}", tooFew.size(),
                        InsyncReplicas.command("<topic>") + " (" + tooFew + ")");
            }
        } catch (ExecutionException e) {
            log.warn("Could not check the processors' topics' min.insync.replicas ({})", e.getCause().toString());
        }
    }

    private static MatchModel model(ProcessorsConfig config) {
        return config.identityModel().map(file -> {
            try {
                return MatchModel.fromJson(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read identity model " + file, e);
            }
        }).orElseGet(MatchModel::defaults);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Why the processors stopped, when Kafka refused their principal (they stop then, see {@link KafkaRefusals}). */
    public Optional<String> refusal() {
        return refusals.refusal();
    }

    /** Bytes of the largest record the processors have written since they started (see {@link RecordSizes}). */
    public long largestRecord() {
        return RecordSizes.largest(applicationId);
    }

    /** Records Kafka refused as too large (see {@link OversizedRecords}); the processors stop at the first. */
    public long recordsTooLarge() {
        return OversizedRecords.refused(applicationId);
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
