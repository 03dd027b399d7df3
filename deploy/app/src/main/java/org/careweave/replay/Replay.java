package org.careweave.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.careweave.events.RawMessage;
import org.careweave.ingest.mapping.MappingConfig;
import org.careweave.ingest.mapping.MappingService;
import org.careweave.platform.Platform;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.processors.ProcessorsService;
import org.careweave.schemas.topics.Topic;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Re-derives events from the raw topic through the current mapping and processors: after a mapping fix, into the
 * live topics; or into a new versioned set of topics (with their own identity, results and views) to compare or
 * switch over to.
 *
 * <p>It is a Kafka Streams application like the live mapping, with its own application id per label. It starts at
 * the first raw record at or after {@code from} and stops once it has consumed everything that was in the raw topic
 * when it started. Interrupted, it has committed what it did (exactly-once); run again with the same label, it
 * continues where it stopped.
 */
public final class Replay {

    /**
     * @param targetPrefix the source prefix to write into the live topics; another prefix for a versioned set
     * @param facilities   only these sending facilities; empty for all
     * @param mapping      the deployment's mapping settings (zones, the authorities of numbers sent bare, the resend
     *                     window): a replay derives what live mapping derives, and a fix made in them is what it
     *                     replays for. Its application id is replaced by the replay's own.
     * @param processors   the deployment's processors settings (identity's model, local codes, retest rules, record
     *                     limit) for a versioned set; its application id is replaced by the replay's own, and the
     *                     secondary-use stream is not rebuilt
     */
    public record Request(String sourcePrefix, String targetPrefix, Optional<Instant> from, Optional<Instant> to,
                          Set<String> facilities, String label, int partitions, short replicationFactor,
                          MappingConfig mapping, ProcessorsConfig processors) {

        boolean intoLiveTopics() {
            return sourcePrefix.equals(targetPrefix);
        }

        Predicate<RawMessage> selection() {
            return raw -> (facilities.isEmpty() || facilities.contains(raw.getSendingFacility()))
                    && from.map(f -> !raw.getReceivedAt().isBefore(f)).orElse(true)
                    && to.map(t -> raw.getReceivedAt().isBefore(t)).orElse(true);
        }
    }

    /** How far it got. */
    public record Progress(long done, long total, String phase) {
    }

    /**
     * @param rawRead     raw records this run read (from where the label's earlier runs had stopped)
     * @param earlierRead raw records the label's earlier runs had read, which this run did not read again (0 for a
     *                    fresh label)
     */
    public record Summary(long rawRead, long earlierRead, long mapped, long skipped, long resends, long deadLettered,
                          Map<String, Long> written, Duration elapsed) {

        /** Whether this run continued an earlier one under the same label rather than starting at the beginning. */
        public boolean resumed() {
            return earlierRead > 0;
        }
    }

    /**
     * A replay's stream application stopped (Kafka refused it, a record too large, ...): it will not go on by itself,
     * so the replay stops too rather than wait for ever. What it committed stays; rerun once the cause is fixed.
     */
    public static final class Stopped extends RuntimeException {
        Stopped(String message) {
            super(message);
        }
    }

    /**
     * What the versioned set's processors read (without the secondary-use stream), besides their own repartition
     * topics: a partition of these with records the processors have not committed is still to be processed, even
     * when they have committed nothing yet.
     */
    static final List<Topic<?>> PROCESSORS_INPUTS = List.of(Topics.PATIENT_EVENTS, Topics.ENCOUNTER_EVENTS,
            Topics.OBSERVATION_EVENTS, Topics.IDENTITY_DECISIONS, Topics.IDENTITY_LINKS, Topics.PERSON_GOLDEN);

    /** Every replay's Kafka Streams applications (and so groups, internal topics and transactional ids) start so. */
    public static final String APPLICATION_PREFIX = "careweave-replay-";
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int STABLE_POLLS = 4;

    private Replay() {
    }

    public static Summary run(Request request, Platform platform, Path stateDir, Consumer<Progress> progress)
            throws InterruptedException {
        long t0 = System.nanoTime();
        TopicProvisioner.ensureTopics(platform.kafka().clientConfig(), request.targetPrefix(), request.partitions(),
                request.replicationFactor());
        String mappingApp = APPLICATION_PREFIX + request.label();
        String processorsApp = APPLICATION_PREFIX + "processors-" + request.label();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (Admin admin = Admin.create(platform.kafka().clientConfig())) {
            String rawTopic = Topics.HL7_RAW.name(request.sourcePrefix());
            Map<TopicPartition, Long> end = offsets(admin, rawTopic, OffsetSpec.latest());
            Map<TopicPartition, Long> start = startOffsets(admin, rawTopic, request.from());
            // Where this run starts reading: where an earlier run under the label stopped, else at the start.
            Map<TopicPartition, Long> resumeAt = positionGroup(admin, mappingApp, start, end);
            Map<String, Long> before = endOffsets(admin, request.targetPrefix());

            MappingService mapping = MappingService.start(request.mapping().withApplicationId(mappingApp),
                    platform.kafka(), platform.schemaRegistryUrl(), request.sourcePrefix(),
                    request.targetPrefix(), request.selection(), request.replicationFactor(),
                    stateDir.resolve("replay"), metrics);
            ProcessorsService processors = null;
            try {
                if (!request.intoLiveTopics()) {
                    processors = ProcessorsService.start(request.processors().withoutSecondary()
                                    .withApplicationId(processorsApp),
                            platform.kafka(), platform.schemaRegistryUrl(), request.targetPrefix(),
                            request.replicationFactor(), stateDir.resolve("replay"), metrics);
                }
                Runnable running = running(mapping, mappingApp, processors, processorsApp);
                // Caught up counts only once they have joined and taken their tasks: a rerun that has nothing left to
                // read is otherwise done at once, and closing a Kafka Streams application still rebalancing can take
                // its whole close timeout and leave its threads writing to the state dir.
                ProcessorsService started = processors;
                BooleanSupplier settled = () -> mapping.state() == KafkaStreams.State.RUNNING
                        && (started == null || started.state() == KafkaStreams.State.RUNNING);
                long total = Math.max(0, sum(end) - sum(resumeAt));
                awaitRawConsumed(admin, mappingApp, resumeAt, end, total, running, settled, progress);
                if (processors != null) {
                    List<String> inputs = PROCESSORS_INPUTS.stream().map(t -> t.name(request.targetPrefix())).toList();
                    awaitDrained(admin, processorsApp, inputs, running, settled, progress);
                    // Decisions people made are not in hl7.raw: applied after the events they name are rebuilt.
                    String decisions = Topics.IDENTITY_DECISIONS.name(request.targetPrefix());
                    if (DecisionCopy.copy(platform, Topics.IDENTITY_DECISIONS.name(request.sourcePrefix()),
                            decisions) > 0) {
                        awaitConsumed(admin, processorsApp, offsets(admin, decisions, OffsetSpec.latest()), running);
                        awaitDrained(admin, processorsApp, inputs, running, settled, progress);
                    }
                }
            } finally {
                if (processors != null) {
                    processors.close();
                }
                mapping.close();
            }
            Map<String, Long> after = endOffsets(admin, request.targetPrefix());
            Map<String, Long> written = new LinkedHashMap<>();
            after.forEach((topic, offset) -> {
                long delta = offset - before.getOrDefault(topic, 0L);
                if (delta > 0) {
                    written.put(topic, delta);
                }
            });
            return new Summary(Math.max(0, sum(end) - sum(resumeAt)), earlierRead(start, resumeAt),
                    count(metrics, "careweave.mapping.messages"),
                    count(metrics, "careweave.mapping.skipped"), count(metrics, "careweave.mapping.resends"),
                    count(metrics, "careweave.mapping.deadlettered"), written,
                    Duration.ofNanos(System.nanoTime() - t0));
        } catch (ExecutionException e) {
            throw new IllegalStateException("Replay failed talking to Kafka: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private static void awaitRawConsumed(Admin admin, String group, Map<TopicPartition, Long> start,
                                         Map<TopicPartition, Long> end, long total, Runnable running,
                                         BooleanSupplier settled, Consumer<Progress> progress)
            throws InterruptedException, ExecutionException {
        while (true) {
            running.run();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            long done = 0;
            boolean finished = true;
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long position = c == null ? start.get(e.getKey()) : c.offset();
                done += Math.min(position, e.getValue()) - start.get(e.getKey());
                finished &= position >= e.getValue();
            }
            progress.accept(new Progress(Math.max(0, done), total, "mapping"));
            if (finished && settled.getAsBoolean()) {
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Until the group has committed at least these offsets (a partition it never read counts as 0). */
    private static void awaitConsumed(Admin admin, String group, Map<TopicPartition, Long> end, Runnable running)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            running.run();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The processors did not read the review decisions within 10 minutes");
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            boolean done = true;
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                done &= (c == null ? 0 : c.offset()) >= e.getValue();
            }
            if (done) {
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * The processors have no end of input of their own: they are done when every partition they read is caught up
     * (within a transaction marker) and stays so for a couple of seconds. Kafka Streams commits only the partitions it
     * has read records from, so the partitions of their inputs count too: one with records and no committed offset is
     * still to be read, and inputs with no records at all (a replay that selected nothing) are done at once.
     */
    private static void awaitDrained(Admin admin, String group, List<String> inputs, Runnable running,
                                     BooleanSupplier settled, Consumer<Progress> progress)
            throws InterruptedException, ExecutionException {
        int stable = 0;
        Map<TopicPartition, Long> last = null;
        while (stable < STABLE_POLLS) {
            running.run();
            Map<TopicPartition, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .forEach((tp, om) -> committed.put(tp, om == null ? 0 : om.offset()));
            List<String> topics = new ArrayList<>(inputs);
            admin.listTopics().names().get().stream()
                    .filter(name -> name.startsWith(group + "-") && name.endsWith("-repartition"))
                    .forEach(topics::add);
            Map<TopicPartition, Long> earliest = new HashMap<>();
            Map<TopicPartition, Long> latest = new HashMap<>();
            for (String topic : topics) {
                earliest.putAll(offsets(admin, topic, OffsetSpec.earliest()));
                latest.putAll(offsets(admin, topic, OffsetSpec.latest()));
            }
            Map<TopicPartition, OffsetSpec> others = new HashMap<>();
            committed.keySet().stream().filter(tp -> !latest.containsKey(tp))
                    .forEach(tp -> others.put(tp, OffsetSpec.latest()));
            if (!others.isEmpty()) {
                admin.listOffsets(others).all().get().forEach((tp, info) -> latest.put(tp, info.offset()));
            }
            long lag = lag(committed, earliest, latest);
            progress.accept(new Progress(0, lag, "processors"));
            stable = lag == 0 && committed.equals(last) && settled.getAsBoolean() ? stable + 1 : 0;
            last = committed;
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * Records still to be read: past the committed offset (less one, for the marker that ends a transaction), or
     * from the log start where the group has committed nothing on a partition.
     */
    static long lag(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> earliest,
                    Map<TopicPartition, Long> latest) {
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> e : latest.entrySet()) {
            Long position = committed.get(e.getKey());
            lag += position != null ? Math.max(0, e.getValue() - position - 1)
                    : Math.max(0, e.getValue() - earliest.getOrDefault(e.getKey(), 0L));
        }
        return lag;
    }

    /** Throws {@link Stopped} once the mapping or (for a versioned set) the processors have stopped. */
    private static Runnable running(MappingService mapping, String mappingApp, ProcessorsService processors,
                                    String processorsApp) {
        return () -> {
            stopped("mapping (" + mappingApp + ")", mapping::state, mapping::refusal).ifPresent(why -> {
                throw new Stopped(why);
            });
            if (processors != null) {
                stopped("processors (" + processorsApp + ")", processors::state, processors::refusal)
                        .ifPresent(why -> {
                            throw new Stopped(why);
                        });
            }
        };
    }

    /** Why a replay stream application will not finish: it is neither starting, rebalancing nor running. */
    static Optional<String> stopped(String what, Supplier<KafkaStreams.State> state,
                                    Supplier<Optional<String>> refusal) {
        KafkaStreams.State s = state.get();
        if (s == KafkaStreams.State.CREATED || s.isRunningOrRebalancing()) {
            return Optional.empty();
        }
        return Optional.of("the replay's " + what + " stopped (" + s.name() + refusal.get()
                .map(r -> ": Kafka refused: " + r).orElse("") + "); see the log above. What it committed stays:"
                + " run the same command again once the cause is fixed");
    }

    /**
     * A fresh replay starts at {@code from}; a rerun of the same label keeps the group's committed offsets.
     *
     * @return where each partition is read from: the group's committed offset (at most {@code end}), else
     *         {@code start}
     */
    private static Map<TopicPartition, Long> positionGroup(Admin admin, String group, Map<TopicPartition, Long> start,
                                                           Map<TopicPartition, Long> end)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetAndMetadata> missing = new HashMap<>();
        start.forEach((tp, offset) -> {
            if (!committed.containsKey(tp)) {
                missing.put(tp, new OffsetAndMetadata(offset));
            }
        });
        if (!missing.isEmpty()) {
            admin.alterConsumerGroupOffsets(group, missing).all().get();
        }
        Map<TopicPartition, Long> at = new HashMap<>();
        start.forEach((tp, offset) -> at.put(tp, resumeAt(offset, end.get(tp),
                Optional.ofNullable(committed.get(tp)).map(OffsetAndMetadata::offset))));
        return at;
    }

    /** Where a partition is read from: an earlier run's committed offset (at most the end), else the start. */
    static long resumeAt(long start, long end, Optional<Long> committed) {
        return committed.map(c -> Math.min(c, end)).orElse(start);
    }

    /** Raw records the label's earlier runs read from {@code start} on, which this run does not read again. */
    static long earlierRead(Map<TopicPartition, Long> start, Map<TopicPartition, Long> resumeAt) {
        return start.entrySet().stream()
                .mapToLong(e -> Math.max(0, resumeAt.getOrDefault(e.getKey(), e.getValue()) - e.getValue())).sum();
    }

    private static Map<TopicPartition, Long> startOffsets(Admin admin, String topic, Optional<Instant> from)
            throws ExecutionException, InterruptedException {
        if (from.isEmpty()) {
            return offsets(admin, topic, OffsetSpec.earliest());
        }
        Map<TopicPartition, Long> byTime = offsets(admin, topic, OffsetSpec.forTimestamp(from.get().toEpochMilli()));
        Map<TopicPartition, Long> end = offsets(admin, topic, OffsetSpec.latest());
        Map<TopicPartition, Long> start = new HashMap<>();
        // No record at or after the time: start at the end (nothing to replay on that partition).
        byTime.forEach((tp, offset) -> start.put(tp, offset < 0 ? end.get(tp) : offset));
        return start;
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, String topic, OffsetSpec spec)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (var p : admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
            request.put(new TopicPartition(topic, p.partition()), spec);
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
                admin.listOffsets(request).all().get().entrySet()) {
            out.put(e.getKey(), e.getValue().offset());
        }
        return out;
    }

    private static Map<String, Long> endOffsets(Admin admin, String prefix)
            throws ExecutionException, InterruptedException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Topic<?> topic : Topics.all()) {
            out.put(topic.name(prefix), sum(offsets(admin, topic.name(prefix), OffsetSpec.latest())));
        }
        return out;
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long count(SimpleMeterRegistry metrics, String name) {
        var counter = metrics.find(name).counter();
        return counter == null ? 0 : (long) counter.count();
    }
}
