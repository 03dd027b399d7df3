package org.careweave.benchmarks.febrl;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.careweave.benchmarks.common.Machine;
import org.careweave.benchmarks.common.Options;
import org.careweave.benchmarks.common.PlatformProcess;
import org.careweave.benchmarks.common.ResultFiles;
import org.careweave.benchmarks.common.Stats;
import org.careweave.benchmarks.stream.RawRecords;
import org.careweave.benchmarks.stream.TopicTail;
import org.careweave.events.IdentityLink;
import org.careweave.events.PatientEvent;
import org.careweave.events.RawMessage;
import org.careweave.events.RawMessageRef;
import org.careweave.ingest.mapping.MappedEvents;
import org.careweave.ingest.mapping.RawMessageMapper;
import org.careweave.platform.Directories;
import org.careweave.platform.KafkaConnection;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.processors.ProcessorsService;
import org.careweave.processors.identity.IdentityTopology;
import org.careweave.processors.identity.matching.MatchModel;
import org.careweave.processors.identity.matching.Matcher;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Issue 4's "≥ 10,000 records/s incremental linking", measured on the identity topology alone: FEBRL4's 10,000
 * records, mapped from the same ADT^A28 messages the pipeline benchmark sends (FEBRLA then FEBRLB, no NHS number),
 * are written to {@code patient.events} first; then a Kafka Streams application running only
 * {@link IdentityTopology}, with the processors' own settings ({@link ProcessorsService#streamsProperties}), links
 * that backlog on the real broker (exactly-once, RocksDB stores with changelogs, Avro outputs).
 *
 * <p>Unlike the pipeline benchmark, nothing else shares the stream threads or the JVM's JIT: the first rounds
 * (unmeasured) link the same records under other topic prefixes in this JVM, so the measured rounds run compiled
 * code. Each round is a fresh application (new topics, new state).
 *
 * <p>Options: {@code --data DIR --out DIR --date yyyy-mm-dd --warmups 2 --rounds 3 --commit-interval-ms 100}
 * (the processors' default) {@code --vary key=value1,value2} (a Streams setting alternated round by round).
 */
public final class IdentityThroughputBenchmark {

    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(5);
    /** Links of one committed transaction reach the tail within a few ms; commits are about 100 ms apart. */
    private static final Duration BURST_GAP = Duration.ofMillis(20);

    public record Round(String prefix, boolean measured, String variant, int records, int linked,
                        double firstToLastSeconds, double recordsPerSecond, double afterFirstCommitRecordsPerSecond,
                        double runningToLastSeconds,
                        double startToLastSeconds, double streamThreadCpuSeconds,
                        double streamThreadCpuMicrosPerRecord, double brokerCpuSeconds, double precision,
                        double recall, long linkRecords, Map<String, Long> topicOffsets) {
    }

    public record Report(String date, Machine machine, String setup, List<Round> rounds,
                         double medianRecordsPerSecond, double medianAfterFirstCommitRecordsPerSecond,
                         double medianStreamThreadCpuMicrosPerRecord, Map<String, List<Double>> mediansByVariant) {
    }

    /**
     * A read_committed consumer sees the links a committed transaction at a time: bursts about one commit interval
     * apart. Counting from the end of the first burst leaves out what comes before the first commit (the task
     * opening its stores, its first fetch, the first interval's records waiting for their commit), which a running
     * deployment pays once at start, not once per 10,000 records: the rate of incremental linking once running.
     *
     * @param records    link records seen (a merge's tombstones included: about 0.3% more than the input records)
     * @param firstBurst records in the first burst
     * @param firstEnd   arrival of the first burst's last record (ns)
     * @param last       arrival of the last record (ns)
     */
    record Bursts(int records, int firstBurst, long firstEnd, long last) {
        /** @param arrivals arrival times (ns) in order */
        static Bursts of(List<Long> arrivals, Duration gap) {
            if (arrivals.isEmpty()) {
                return new Bursts(0, 0, 0, 0);
            }
            int first = 1;
            while (first < arrivals.size() && arrivals.get(first) - arrivals.get(first - 1) <= gap.toNanos()) {
                first++;
            }
            return new Bursts(arrivals.size(), first, arrivals.get(first - 1), arrivals.get(arrivals.size() - 1));
        }

        /** NaN when everything arrived in one burst: there is no interval to measure. */
        double recordsPerSecondAfterFirst() {
            return firstBurst == records ? Double.NaN : (records - firstBurst) / ((last - firstEnd) / 1e9);
        }
    }

    /**
     * A Kafka Streams setting given different values in turn, round after round, so that an A/B of a setting runs
     * in one JVM against one broker, both sides equally warm ({@code --vary producer.batch.size=16384,262144}).
     */
    record Variation(String key, List<String> values) {
        static Optional<Variation> parse(String option) {
            if (option.isBlank()) {
                return Optional.empty();
            }
            int eq = option.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--vary takes key=value1,value2,…: " + option);
            }
            return Optional.of(new Variation(option.substring(0, eq), List.of(option.substring(eq + 1).split(","))));
        }

        String valueFor(int round) {
            return values.get(round % values.size());
        }
    }

    private IdentityThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, Set.of());
        int warmups = (int) options.number("warmups", 2);
        int rounds = (int) options.number("rounds", 3);
        int commitIntervalMs = (int) options.number("commit-interval-ms",
                ProcessorsConfig.defaults().commitIntervalMs());
        Optional<Variation> variation = Variation.parse(options.text("vary", ""));
        Febrl4 febrl = Febrl4.read(Febrl4.dataDir(options));
        Path logDir = Path.of("benchmarks/target/logs/identity-throughput");
        Files.createDirectories(logDir);
        Machine machine = Machine.now();
        MatchModel model = febrl.estimatedModel();
        List<MappedEvents.Keyed<PatientEvent>> events = patientEvents(febrl);

        List<String> prefixes = new ArrayList<>();
        for (int i = 0; i < warmups + rounds; i++) {
            prefixes.add((i < warmups ? "idwarm" : "idrun") + i + ".");
        }
        List<Round> results = new ArrayList<>();
        try (PlatformProcess platform = PlatformProcess.start(prefixes, 3, logDir)) {
            for (int index = 0; index < prefixes.size(); index++) {
                final int i = index;
                Map<String, String> overrides = variation.map(v -> Map.of(v.key(), v.valueFor(i)))
                        .orElse(Map.of());
                Round round = run(platform, prefixes.get(i), i >= warmups, events, model, commitIntervalMs, overrides,
                        febrl);
                System.err.printf(Locale.ROOT, "%s%s%s: %,.0f records/s (%,.0f after the first commit), stream "
                                + "threads %.0f µs/record, precision %.4f recall %.4f%n", round.prefix(),
                        round.measured() ? "" : " (warm-up)",
                        round.variant().isEmpty() ? "" : " [" + round.variant() + "]", round.recordsPerSecond(),
                        round.afterFirstCommitRecordsPerSecond(), round.streamThreadCpuMicrosPerRecord(),
                        round.precision(), round.recall());
                results.add(round);
            }
        }
        List<Round> measured = results.stream().filter(Round::measured).toList();
        Report report = new Report(options.date(), machine.finished(),
                "FEBRL4 dataset4a (FEBRLA) then dataset4b (FEBRLB) as mapped ADT^A28 patient events, demographics "
                        + "only, written to patient.events (as many partitions as careweave gives it: one) before "
                        + "the identity topology starts; commit interval "
                        + commitIntervalMs + " ms; "
                        + "model estimated by EM on the records (no labels); processors' Streams settings; "
                        + warmups + " unmeasured warm-up rounds in the same JVM, then " + rounds + " measured rounds"
                        + variation.map(v -> "; " + v.key() + " taking the values " + String.join(", ", v.values())
                                + " in turn, round after round").orElse(""),
                results,
                Stats.round(Stats.median(measured.stream().map(Round::recordsPerSecond).toList()), 0),
                medianRate(measured.stream().map(Round::afterFirstCommitRecordsPerSecond).toList()),
                Stats.round(Stats.median(measured.stream().map(Round::streamThreadCpuMicrosPerRecord).toList()), 0),
                mediansByVariant(measured));
        ResultFiles.write(options.out(), "identity-throughput", options.date(), report, markdown(report));
    }

    /**
     * Per variant: median records/s, median µs of stream-thread CPU per record and median records/s after the first
     * commit of its measured rounds.
     */
    private static Map<String, List<Double>> mediansByVariant(List<Round> measured) {
        Map<String, List<Double>> medians = new TreeMap<>();
        measured.stream().map(Round::variant).filter(v -> !v.isEmpty()).distinct().forEach(v -> {
            List<Round> of = measured.stream().filter(r -> r.variant().equals(v)).toList();
            medians.put(v, List.of(Stats.round(Stats.median(of.stream().map(Round::recordsPerSecond).toList()), 0),
                    Stats.round(Stats.median(of.stream().map(Round::streamThreadCpuMicrosPerRecord).toList()), 0),
                    medianRate(of.stream().map(Round::afterFirstCommitRecordsPerSecond).toList())));
        });
        return medians;
    }

    /** The median of the rates that could be measured, rounded; NaN when none could. */
    private static double medianRate(List<Double> rates) {
        return roundedRate(Stats.median(rates.stream().filter(rate -> !Double.isNaN(rate)).toList()));
    }

    /** Rounded to whole records/s; NaN (not measurable) stays NaN, where Stats.round would make it 0. */
    private static double roundedRate(double rate) {
        return Double.isNaN(rate) ? Double.NaN : Stats.round(rate, 0);
    }

    static List<MappedEvents.Keyed<PatientEvent>> patientEvents(Febrl4 febrl) {
        RawMessageMapper mapper = new RawMessageMapper(ZoneId.of("Europe/London"), Map.of());
        List<MappedEvents.Keyed<PatientEvent>> events = new ArrayList<>();
        Instant at = Instant.parse("2026-11-26T09:00:00Z");
        List<FebrlRecord> all = febrl.all();
        for (int i = 0; i < all.size(); i++) {
            String[] source = febrl.identifier(i).split("\\|");
            byte[] message = FebrlMessages.registration(all.get(i), source[0], Integer.parseInt(source[1]), false);
            RawMessage raw = RawRecords.of(message, at.plusMillis(i));
            RawMessageRef ref = RawMessageRef.newBuilder().setMessageId(raw.getMessageId())
                    .setTopic("careweave.hl7.raw").setPartition(0).setOffset((long) i).build();
            List<MappedEvents.Keyed<PatientEvent>> mapped = mapper.map(raw, ref).patients();
            if (mapped.size() != 1) {
                throw new IllegalStateException("record " + i + " mapped to " + mapped.size() + " patient events");
            }
            events.add(mapped.get(0));
        }
        return events;
    }

    private static Round run(PlatformProcess platform, String prefix, boolean measured,
                             List<MappedEvents.Keyed<PatientEvent>> events, MatchModel model,
                             int commitIntervalMs, Map<String, String> streamsOverrides, Febrl4 febrl)
            throws IOException, InterruptedException {
        Map<String, Object> serdeConfig = Map.of("schema.registry.url", platform.schemaRegistryUrl());
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, PatientEvent> producer = new KafkaProducer<>(producerProps,
                new StringSerializer(), AvroSerdes.specific(PatientEvent.class, serdeConfig, false).serializer())) {
            String topic = Topics.PATIENT_EVENTS.name(prefix);
            for (MappedEvents.Keyed<PatientEvent> e : events) {
                producer.send(new ProducerRecord<>(topic, e.key(), e.event()));
            }
            producer.flush();
        }

        // Links are decoded after the round: decoding on the tail's thread would take CPU from the 2 cores measured.
        Set<String> linkedIdentifiers = ConcurrentHashMap.newKeySet();
        AtomicLong firstLink = new AtomicLong();
        AtomicLong lastLink = new AtomicLong();
        AtomicLong running = new AtomicLong();
        Path stateDir = Files.createTempDirectory("careweave-identity-bench-");
        StreamsBuilder builder = new StreamsBuilder();
        KafkaConnection kafka = KafkaConnection.plaintext(platform.bootstrapServers());
        IdentityTopology.addTo(builder, prefix, serdeConfig, new Matcher(model), new SimpleMeterRegistry(),
                IdentityTopology.Input.forPartitions(ProcessorsService.partitions(kafka,
                        Topics.PATIENT_EVENTS.name(prefix))));
        ProcessorsConfig defaults = ProcessorsConfig.defaults();
        ProcessorsConfig config = new ProcessorsConfig("identity-bench-" + prefix, commitIntervalMs,
                defaults.viewsPublishDelayMs(), defaults.maxRecordBytes(), Optional.empty(), Optional.empty(),
                defaults.results(), defaults.rocksDbMemoryBytes());
        Properties props = ProcessorsService.streamsProperties(config, kafka, (short) 1, stateDir);
        props.putAll(streamsOverrides);
        String variant = streamsOverrides.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .sorted().reduce((a, b) -> a + " " + b).orElse("");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long brokerCpu0 = platform.cpuNanos();
        long started = System.nanoTime();
        long streamCpu;
        long linkRecords;
        List<Map.Entry<String, byte[]>> arrived = Collections.synchronizedList(new ArrayList<>());
        List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        try (TopicTail<byte[]> links = TopicTail.bytes(platform.bootstrapServers(),
                Topics.IDENTITY_LINKS.name(prefix), (r, at) -> {
                    firstLink.compareAndSet(0, at);
                    lastLink.set(at);
                    arrived.add(new AbstractMap.SimpleImmutableEntry<>(r.key(), r.value()));
                    arrivals.add(at);
                    if (r.value() == null) {
                        linkedIdentifiers.remove(r.key());
                    } else {
                        linkedIdentifiers.add(r.key());
                    }
                });
             KafkaStreams streams = new KafkaStreams(builder.build(props), props)) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.compareAndSet(0, System.nanoTime());
                }
            });
            streams.start();
            long deadline = System.nanoTime() + ROUND_TIMEOUT.toNanos();
            while (!(linkedIdentifiers.size() >= events.size()
                    && System.nanoTime() - lastLink.get() > QUIET.toNanos())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(prefix + ": only " + linkedIdentifiers.size() + " of "
                            + events.size() + " records linked after " + ROUND_TIMEOUT);
                }
                Thread.sleep(100);
            }
            streamCpu = streamThreadCpu(threads);
            linkRecords = links.records();
        } finally {
            Directories.deleteRecursively(stateDir);
        }
        double brokerCpu = (platform.cpuNanos() - brokerCpu0) / 1e9;
        Map<String, String> personByIdentifier = personByIdentifier(arrived, platform.schemaRegistryUrl(),
                Topics.IDENTITY_LINKS.name(prefix));
        PairScore score = febrl.score(febrl.persons(personByIdentifier));
        int n = events.size();
        double firstToLast = (lastLink.get() - firstLink.get()) / 1e9;
        double runningToLast = (lastLink.get() - running.get()) / 1e9;
        return new Round(prefix, measured, variant, n, personByIdentifier.size(), Stats.round(firstToLast, 2),
                Stats.round(n / runningToLast, 0),
                roundedRate(Bursts.of(List.copyOf(arrivals), BURST_GAP).recordsPerSecondAfterFirst()),
                Stats.round(runningToLast, 2),
                Stats.round((lastLink.get() - started) / 1e9, 2),
                Stats.round(streamCpu / 1e9, 2), Stats.round(streamCpu / 1e3 / n, 0), Stats.round(brokerCpu, 2),
                Stats.round(score.precision(), 4), Stats.round(score.recall(), 4), linkRecords,
                topicOffsets(platform.bootstrapServers(), prefix, config.applicationId()));
    }

    private static Map<String, String> personByIdentifier(List<Map.Entry<String, byte[]>> links, String registryUrl,
                                                          String topic) {
        Map<String, String> personByIdentifier = new HashMap<>();
        try (var values = AvroSerdes.specific(IdentityLink.class, Map.of("schema.registry.url", registryUrl), false)
                .deserializer()) {
            synchronized (links) {
                for (Map.Entry<String, byte[]> link : links) {
                    IdentityLink value = values.deserialize(topic, link.getValue());
                    if (value == null) {
                        personByIdentifier.remove(link.getKey());
                    } else {
                        personByIdentifier.put(link.getKey(), value.getPersonId());
                    }
                }
            }
        }
        return personByIdentifier;
    }

    /** CPU of this application's stream threads; the threads are gone once it closes, so read before closing. */
    private static long streamThreadCpu(ThreadMXBean threads) {
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            if (info != null && info.getThreadName().contains("StreamThread")) {
                long cpu = threads.getThreadCpuTime(id);
                if (cpu > 0) {
                    total += cpu;
                }
            }
        }
        return total;
    }

    /**
     * End offsets summed over partitions of every topic the round wrote: the input, identity's outputs, its
     * repartition topic and its stores' changelogs. Offsets include the transactions' commit markers.
     */
    private static Map<String, Long> topicOffsets(String bootstrap, String prefix, String applicationId) {
        Map<String, Long> offsets = new TreeMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> names = admin.listTopics().names().get();
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (var description : admin.describeTopics(names.stream()
                    .filter(t -> t.startsWith(prefix) || t.startsWith(applicationId + "-")).toList())
                    .allTopicNames().get().values()) {
                description.partitions().forEach(p -> ask.put(new TopicPartition(description.name(), p.partition()),
                        OffsetSpec.latest()));
            }
            admin.listOffsets(ask).all().get().forEach((tp, info) -> offsets.merge(
                    tp.topic().startsWith(applicationId + "-") ? tp.topic().substring(applicationId.length() + 1)
                            : tp.topic().substring(prefix.length()), info.offset(), Long::sum));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the round's topic offsets", e);
        }
        offsets.values().removeIf(offset -> offset == 0); // the prefix's other topics, which identity never writes
        return offsets;
    }

    private static String markdown(Report r) {
        StringBuilder s = new StringBuilder();
        s.append("# Identity topology alone on FEBRL4, ").append(r.date()).append("\n\n")
                .append(r.machine().describe()).append("\n\n").append(r.setup())
                .append(". records/s is 10,000 ÷ (last identity.links record, as a read_committed consumer sees "
                        + "it, − the application reaching RUNNING); \"after the first commit\" counts only the links "
                        + "committed after the first transaction's, over the time from that transaction's links to the "
                        + "last (the rate once running: no task start, no first interval); stream-thread CPU is every "
                        + "thread of the application (stream threads and their producers), read from the JVM just "
                        + "before it closes.\n\n");
        s.append("| round | measured | variant | records/s | after the first commit, records/s "
                + "| RUNNING → last link s | first → last link s | start → last link s | stream threads CPU s "
                + "| µs per record | broker CPU s | precision | recall | link records |\n"
                + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Round x : r.rounds()) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %,.0f | %.2f | %.2f | %.2f | %.2f | %,.0f "
                            + "| %.2f | %.4f | %.4f | %,d |%n", x.prefix(), x.measured() ? "yes" : "warm-up",
                    x.variant(), x.recordsPerSecond(), x.afterFirstCommitRecordsPerSecond(),
                    x.runningToLastSeconds(), x.firstToLastSeconds(), x.startToLastSeconds(),
                    x.streamThreadCpuSeconds(), x.streamThreadCpuMicrosPerRecord(), x.brokerCpuSeconds(),
                    x.precision(), x.recall(), x.linkRecords()));
        }
        s.append(String.format(Locale.ROOT, "%nMedian of the measured rounds: **%,.0f records/s**, %,.0f µs of "
                + "stream-thread CPU per record; %,.0f records/s after the first commit.%n",
                r.medianRecordsPerSecond(), r.medianStreamThreadCpuMicrosPerRecord(),
                r.medianAfterFirstCommitRecordsPerSecond()));
        r.mediansByVariant().forEach((variant, m) -> s.append(String.format(Locale.ROOT,
                "%n- %s: median %,.0f records/s, %,.0f µs per record, %,.0f records/s after the first commit",
                variant, m.get(0), m.get(1), m.get(2))));
        if (!r.mediansByVariant().isEmpty()) {
            s.append('\n');
        }
        Round last = r.rounds().get(r.rounds().size() - 1);
        s.append("\nTopics written by the last round (end offsets, summed over partitions, commit markers included): ")
                .append(last.topicOffsets()).append(".\n");
        return s.toString();
    }
}
