package org.careweave.benchmarks.stream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.careweave.benchmarks.common.CareweaveUp;
import org.careweave.benchmarks.common.Latency;
import org.careweave.benchmarks.common.Machine;
import org.careweave.benchmarks.common.Options;
import org.careweave.benchmarks.common.PlatformProcess;
import org.careweave.benchmarks.common.ProcessCpu;
import org.careweave.benchmarks.common.ResultFiles;
import org.careweave.benchmarks.common.Stats;
import org.careweave.benchmarks.load.AckListener;
import org.careweave.benchmarks.load.LoadGenerator;
import org.careweave.benchmarks.load.LoadResult;
import org.careweave.benchmarks.load.LoadSettings;
import org.careweave.events.PersonView;
import org.careweave.schemas.topics.Topics;

/**
 * End-to-end latency at a steady rate (issue 6): messages of the load mix are sent over MLLP at a fixed rate (over
 * {@code --connections} connections, one message in flight each, paced), and for each message the time from its AA
 * is measured to the moment its effect can be seen. Each message carries a marker in the patient's phone number
 * (PID-13, {@code ... #<n>}), which the golden record carries into the person's view.
 *
 * <p>{@code --target api} (default): the whole product as users run it, {@code java -jar
 * deploy/app/target/careweave.jar up} in a child process (no JVM options; free loopback ports, a temporary data dir;
 * a fresh one per rate), with the load sent to its MLLP port. Two figures:
 * <ul>
 * <li>AA → topic, for every message: a read_committed consumer of {@code careweave.person.views} sees the first view
 * showing the marker;</li>
 * <li>AA → API, for every {@code --api-sample}-th marker: from the moment the topic shows it, {@code GET
 * /api/persons/{personId}} with the embedded admin token ({@code <data dir>/admin.token}) is polled until the answer
 * holds that view (version at least the topic record's); the time is when that answer arrived. See
 * {@link ApiPoller} for how the polling is bounded (one request in flight per partition, every
 * {@code --api-interval-ms} or every {@code --api-backoff} × the time since the topic record when longer, at most
 * {@code --api-max-rps} requests/s) and reported (requests/s, the poller's CPU, the resolution, the sink's lag).</li>
 * </ul>
 * A message whose view did not show within {@code --drain} seconds after sending stopped is counted as not seen,
 * never as fast.
 *
 * <p>{@code --target topic}: the earlier measurement, AA → person.views only, with careweave's components (ingest,
 * mapping, processors; no sink or API) in a child JVM of their own on the benchmarks' platform.
 *
 * <p>Command (benchmarks/run.sh latency, quick settings), with
 * {@code CP=benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)}:
 * <pre>
 * java -Xms1g -Xmx1g -cp $CP org.careweave.benchmarks.stream.ViewLatencyBenchmark --target api --rates 1000 \
 *     --connections 16 --preheat 30 --preheat-share 0.2 --seconds 20 --warmup 15 --drain 20 --api-sample 10 \
 *     --api-interval-ms 20 --api-backoff 0.05 --api-max-rps 250
 * </pre>
 * ({@code benchmarks/run.sh --full}: {@code --rates 1000,400,200 --preheat 180 --preheat-share 0.4 --seconds 120
 * --warmup 30 --drain 60}.) Other options:
 * {@code --target topic}, {@code --population 100000}, {@code --jar deploy/app/target/careweave.jar} (build it with
 * {@code mvn -o -pl deploy/app -am package -DskipTests}), {@code --out DIR}, {@code --date D}. careweave up's log:
 * benchmarks/target/logs/latency/careweave-up-RATE.log.
 */
public final class ViewLatencyBenchmark {

    /** What the API sample saw at one rate (null in topic mode). */
    public record ApiSample(int every, long expected, long seen, long notSeen, long notOnTopic, long onTopicNotInApi,
                            long mergedAway, Latency aaToApi, Latency topicToApi, Latency resolution,
                            long visibleAtFirstPoll, long supersededAtVisibility, long requests,
                            double requestsPerSecond, long notFoundAnswers, long olderVersionAnswers, long errors,
                            long sinkLagAfterDrain, double capWaitSeconds,
                            double pollerCpuSeconds, double pollerCpuShareOfOneCore, int pollerThreads,
                            int intervalMs, double backoff, int maxRequestsPerSecond) {
    }

    /**
     * One steady rate. {@code seenInViews}, {@code notSeen} and {@code aaToView} are AA → person.views for every
     * measured message; the CPU is careweave's (topic mode: the pipeline JVM; api mode: careweave up, its registry
     * JVM and PostgreSQL) from the start of the load to the end of the drain, per message sent including warm-up.
     */
    public record RateResult(String target, double targetRate, int connections, LoadResult load, long markedAa,
                             long seenInViews, long notSeen, Latency aaToView, ApiSample api,
                             double pipelineCpuSeconds, double pipelineCpuMicrosPerMessage, long viewRecords,
                             double careweaveJvmCpuSeconds, double harnessCpuSeconds, double cpuWindowSeconds,
                             double startupSeconds) {
    }

    public record Report(String date, Machine machine, String target, String jar, String jarModified,
                         int drainSeconds, long preheatSeconds, double preheatShare, int markEvery,
                         List<RateResult> rates) {
    }

    private ViewLatencyBenchmark() {
    }

    /** Settings shared by every rate. */
    private record Settings(String target, int connections, Duration warmup, Duration duration, Duration drain,
                            int population, int apiSample, Duration apiInterval, double apiBackoff, int apiMaxRps,
                            Path jar, Duration preheat, double preheatShare, int markEvery,
                            Path logDir) {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, Set.of());
        String target = options.text("target", "api");
        if (!target.equals("api") && !target.equals("topic")) {
            throw new IllegalArgumentException("--target is api or topic");
        }
        List<Integer> rates = options.integers("rates", List.of(1000));
        Path logDir = Path.of("benchmarks/target/logs/latency");
        Files.createDirectories(logDir);
        Settings s = new Settings(target, options.integer("connections", 16), options.seconds("warmup", 10),
                options.seconds("seconds", 30), options.seconds("drain", 30), options.integer("population", 100_000),
                Math.max(1, options.integer("api-sample", 10)),
                Duration.ofMillis(Math.max(1, options.integer("api-interval-ms", 20))),
                Double.parseDouble(options.text("api-backoff", "0.05")),
                options.integer("api-max-rps", 250), Path.of(options.text("jar", "deploy/app/target/careweave.jar")),
                options.seconds("preheat", 0), Double.parseDouble(options.text("preheat-share", "0.4")),
                Math.max(1, options.integer("mark-every", 1)), logDir);
        Machine machine = Machine.now();
        List<RateResult> results = new ArrayList<>();
        String jarModified = "-";
        if (target.equals("api")) {
            if (!Files.isRegularFile(s.jar())) {
                throw new IllegalStateException(s.jar() + " is missing: build it with mvn -o -pl deploy/app -am "
                        + "package -DskipTests");
            }
            jarModified = Files.getLastModifiedTime(s.jar()).toInstant().toString();
            for (int rate : rates) {
                results.add(runApi(s, rate));
            }
        } else {
            List<String> prefixes = rates.stream().map(r -> "latency" + r + ".").toList();
            try (PlatformProcess platform = PlatformProcess.start(prefixes, 3, logDir)) {
                for (int i = 0; i < rates.size(); i++) {
                    results.add(runTopic(platform, prefixes.get(i), rates.get(i), s));
                }
            }
        }
        Report report = new Report(options.date(), machine.finished(), target,
                target.equals("api") ? s.jar().toString() : "-", jarModified, (int) s.drain().toSeconds(),
                s.preheat().toSeconds(), s.preheatShare(), s.markEvery(), results);
        ResultFiles.write(options.out(), "view-latency", options.date(), report, markdown(report, s));
    }

    /** Follows person.views and matches each view's marker to its AA. */
    private static final class Matcher {
        final Map<Long, Long> ackedAt = new ConcurrentHashMap<>();
        final Histogram latencies = Latency.newHistogram();
        final AtomicLong sampledAa = new AtomicLong();
        long seen;
        final int sample;
        final ApiPoller poller;

        Matcher(int sample, ApiPoller poller) {
            this.sample = sample;
            this.poller = poller;
        }

        AckListener listener() {
            return (message, code, at) -> {
                if ("AA".equals(code) && message.marker() >= 0) {
                    if (poller != null && message.marker() % sample == 0) {
                        sampledAa.incrementAndGet();
                    }
                    ackedAt.put(message.marker(), at);
                }
            };
        }

        TopicTail.Callback<PersonView> callback() {
            return (record, arrivedAt) -> {
                PersonView view = record.value();
                long marker = marker(view);
                Long acked = marker < 0 ? null : ackedAt.remove(marker);
                if (acked == null) {
                    return;
                }
                synchronized (latencies) {
                    latencies.recordValue(Math.max(1, (arrivedAt - acked) / 1000));
                    seen++;
                }
                if (poller != null && marker % sample == 0) {
                    poller.submit(new ApiPoller.Probe(record.partition(), record.offset(), view.getPersonId(),
                            view.getVersion(), marker, acked, arrivedAt));
                }
            };
        }

        /** Until every AA'd marker was seen on the topic (and, with a poller, in the API), bounded by the deadline. */
        void drain(Duration drain) throws InterruptedException {
            long deadline = System.nanoTime() + drain.toNanos();
            while ((!ackedAt.isEmpty() || (poller != null && poller.pending() > 0))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
    }

    /** careweave up (fresh data dir) at one steady rate, AA → topic for all, AA → API for a sample. */
    private static RateResult runApi(Settings s, int rate) throws Exception {
        Path log = s.logDir().resolve("careweave-up-" + rate + ".log");
        System.err.printf(Locale.ROOT, "%,d msg/s: starting careweave up (log %s)%n", rate, log);
        try (CareweaveUp up = CareweaveUp.start(s.jar(), log, Duration.ofMinutes(5));
             ApiPoller poller = new ApiPoller(up.apiUrl(), up.adminToken(), s.apiInterval(), s.apiBackoff(),
                     s.apiMaxRps())) {
            Matcher matcher = new Matcher(s.apiSample(), poller);
            try (TopicTail<PersonView> views = TopicTail.avro(up.bootstrapServers(), up.schemaRegistryUrl(),
                    Topics.PERSON_VIEWS.name(up.topicPrefix()), PersonView.class, matcher.callback())) {
                preheat(s, rate, up, poller);
                long cpu0 = up.treeCpuNanos();
                long jvm0 = up.careweaveCpuNanos();
                long harness0 = ProcessCpu.ownNanos();
                long t0 = System.nanoTime();
                LoadSettings settings = LoadSettings.of(up.mllpPort(), s.connections(), s.warmup(), s.duration(),
                        "LAT" + rate).withRate(rate).withMarkedPhones(s.markEvery()).withPopulation(s.population());
                LoadResult load = LoadGenerator.run(settings, matcher.listener());
                matcher.drain(s.drain());
                long sinkLag = poller.sinkLag();
                ApiPoller.Result api = poller.finish();
                double cpu = (up.treeCpuNanos() - cpu0) / 1e9;
                double jvm = (up.careweaveCpuNanos() - jvm0) / 1e9;
                double harness = (ProcessCpu.ownNanos() - harness0) / 1e9;
                long expected = matcher.sampledAa.get();
                ApiSample sample = new ApiSample(s.apiSample(), expected, api.visible(), expected - api.visible(),
                        expected - api.submitted(), api.unresolved(), api.mergedAway(), api.aaToApi(),
                        api.topicToApi(), api.resolution(), api.visibleAtFirstPoll(), api.supersededAtVisibility(),
                        api.requests(), api.requestsPerSecond(), api.notFoundAnswers(), api.olderVersionAnswers(),
                        api.errors(), sinkLag,
                        api.capWaitSeconds(), api.pollerCpuSeconds(), api.requestSeconds() > 0
                        ? Stats.round(api.pollerCpuSeconds() / api.requestSeconds(), 3) : 0, api.threads(),
                        api.intervalMs(), api.backoff(), api.maxRequestsPerSecond());
                RateResult result = summarise("api", rate, s, load, matcher, sample, cpu, jvm, views.records(), harness,
                        (System.nanoTime() - t0) / 1e9, up.startupSeconds());
                System.err.printf(Locale.ROOT, "%,d msg/s target: sent %,.0f msg/s, AA->topic p99 %.0f ms (%d not "
                                + "seen), AA->API p50 %.0f ms p99 %.0f ms (%d of %d samples seen), %.0f polls/s%n",
                        rate, load.messagesPerSecond(), result.aaToView().p99Ms(), result.notSeen(),
                        sample.aaToApi().p50Ms(), sample.aaToApi().p99Ms(), sample.seen(), sample.expected(),
                        sample.requestsPerSecond());
                return result;
            }
        }
    }

    /**
     * {@code --preheat S}: before the warm-up, S seconds at {@code --preheat-share} of the rate (unmarked messages,
     * the same invented people), then a wait until every consumer of careweave up has caught up. A JVM that has just
     * started spends a large share of these 2 cores compiling (C2 was still a fifth of the machine 2 minutes in),
     * and a backlog built then is not the steady state the issue asks about. Nothing of it is measured.
     */
    /**
     * The preheat's own sequence of people and message kinds: with the measured run's seed it would send the very
     * messages the measured run then sends, which would restate what careweave up already knows and cost less.
     */
    private static final long PREHEAT_SEED = 7;

    private static void preheat(Settings s, int rate, CareweaveUp up, ApiPoller poller) throws InterruptedException {
        if (s.preheat().isZero()) {
            return;
        }
        double preheatRate = Math.max(1, rate * s.preheatShare());
        System.err.printf(Locale.ROOT, "%,d msg/s: preheating %d s at %,.0f msg/s (other messages, same people)%n", rate, s.preheat().toSeconds(),
                preheatRate);
        LoadGenerator.run(LoadSettings.of(up.mllpPort(), s.connections(), Duration.ZERO, s.preheat(), "HEAT" + rate)
                .withRate(preheatRate).withPopulation(s.population()).withSeed(PREHEAT_SEED), AckListener.NONE);
        // careweave_consumer_lag is measured every 15 s: caught up means two readings at least one refresh apart
        // that both say 0 (the first reading after the load may still be from before it ended).
        long started = System.nanoTime();
        long deadline = started + Duration.ofMinutes(6).toNanos();
        long zeroSince = -1;
        long backlog = -1;
        Thread.sleep(16_000);
        while (System.nanoTime() < deadline) {
            backlog = poller.backlog();
            long now = System.nanoTime();
            if (backlog != 0) {
                zeroSince = -1;
            } else if (zeroSince < 0) {
                zeroSince = now;
            } else if (now - zeroSince >= Duration.ofSeconds(16).toNanos()) {
                break;
            }
            Thread.sleep(2_000);
        }
        System.err.printf(Locale.ROOT, "%,d msg/s: preheated; backlog %d after waiting %.0f s for it%n", rate,
                backlog, (System.nanoTime() - started) / 1e9);
    }

    /** A fresh pipeline (its own topics) at one steady rate, AA → topic only. */
    private static RateResult runTopic(PlatformProcess platform, String prefix, int rate, Settings s)
            throws Exception {
        Matcher matcher = new Matcher(1, null);
        try (PipelineProcess pipeline = PipelineProcess.start(platform, prefix, "ingest,mapping,processors", null,
                     s.logDir().resolve(prefix + "pipeline.log"), List.of());
             TopicTail<PersonView> views = TopicTail.avro(platform.bootstrapServers(), platform.schemaRegistryUrl(),
                     Topics.PERSON_VIEWS.name(prefix), PersonView.class, matcher.callback())) {
            long cpu0 = pipeline.cpuNanos();
            long harness0 = ProcessCpu.ownNanos();
            long t0 = System.nanoTime();
            LoadSettings settings = LoadSettings.of(pipeline.mllpPort(), s.connections(), s.warmup(), s.duration(),
                    "LAT" + rate).withRate(rate).withMarkedPhones(s.markEvery()).withPopulation(s.population());
            LoadResult load = LoadGenerator.run(settings, matcher.listener());
            matcher.drain(s.drain());
            double cpu = (pipeline.cpuNanos() - cpu0) / 1e9;
            double harness = (ProcessCpu.ownNanos() - harness0) / 1e9;
            RateResult result = summarise("topic", rate, s, load, matcher, null, cpu, cpu, views.records(), harness,
                    (System.nanoTime() - t0) / 1e9, 0);
            System.err.printf(Locale.ROOT, "%,d msg/s target: sent %,.0f msg/s, AA->view p50 %.0f ms, p99 %.0f ms, "
                            + "%d not seen%n", rate, load.messagesPerSecond(), result.aaToView().p50Ms(),
                    result.aaToView().p99Ms(), result.notSeen());
            return result;
        }
    }

    private static RateResult summarise(String target, int rate, Settings s, LoadResult load, Matcher matcher,
                                        ApiSample api, double cpu, double jvm, long viewRecords, double harness,
                                        double window, double startup) {
        synchronized (matcher.latencies) {
            return new RateResult(target, rate, s.connections(), load, load.aa(), matcher.seen,
                    matcher.ackedAt.size(), Latency.of(matcher.latencies), api, Stats.round(cpu, 1),
                    Stats.round(cpu * 1e6 / Math.max(1, load.messagesIncludingWarmup()), 0), viewRecords,
                    Stats.round(jvm, 1), Stats.round(harness, 1), Stats.round(window, 1), startup);
        }
    }

    /** The number after '#' in the view's phone (PID-13 of the latest message about the person), or -1. */
    static long marker(PersonView view) {
        if (view == null || view.getPhone() == null) {
            return -1;
        }
        String phone = view.getPhone();
        int hash = phone.lastIndexOf('#');
        if (hash < 0) {
            return -1;
        }
        try {
            return Long.parseLong(phone.substring(hash + 1).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String ms(Latency l, boolean none, double value) {
        return none ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String markdown(Report r, Settings settings) {
        boolean api = r.target().equals("api");
        StringBuilder s = new StringBuilder();
        s.append("# End-to-end latency: AA to ").append(api ? "the query API" : "person.views").append(", ")
                .append(r.date()).append("\n\n").append(r.machine().describe()).append("\n\n");
        int connections = r.rates().isEmpty() ? 0 : r.rates().get(0).connections();
        if (api) {
            s.append(String.format(Locale.ROOT, "Messages of the load mix at a steady rate over %d MLLP connections "
                            + "(one in flight each) to `java -jar %s up` (jar built %s; default JVM settings; Kafka, "
                            + "registry, PostgreSQL, ingest, mapping, identity, results, views, sink and API as users "
                            + "run them), a fresh instance and data dir per rate. Each message carries a marker in "
                            + "PID-13, which the golden record carries into the view. **AA→topic** (every message): "
                            + "from the AA to the first `careweave.person.views` record showing the marker, as a "
                            + "read_committed consumer sees it. **AA→API** (every %d-th marker): from the AA to the "
                            + "first answer of `GET /api/persons/{personId}` (admin bearer token) holding that view "
                            + "(version at least the topic record's), polling the oldest unresolved sample of each "
                            + "partition every %d ms once the topic shows it, or every %.0f%% of the time since then when "
                            + "longer (the sink commits a partition in offset order), at most %d requests/s. \"topic→API\": the same samples, from the topic record "
                            + "to the answer. \"resolution\": answer time minus the latest time the view was known "
                            + "not yet visible. Not seen: not visible %d s after sending stopped (never counted as "
                            + "fast). Careweave CPU: the careweave JVM, its registry JVM and PostgreSQL, from the "
                            + "load's start to the drain's end, per message sent (warm-up included).%n%n",
                    connections, r.jar(), r.jarModified(), settings.apiSample(), settings.apiInterval().toMillis(),
                    settings.apiBackoff() * 100, settings.apiMaxRps(), r.drainSeconds()));
            if (settings.markEvery() > 1) {
                s.append(String.format(Locale.ROOT, "Markers: only every %d-th message carries one (a new phone "
                                + "number, so its view changes); the others are the load mix as it comes, which restate "
                                + "known demographics when the person is known and then change no view. AA→topic is "
                                + "measured on the marked messages.%n%n", settings.markEvery()));
            } else {
                s.append("Markers: every message carries one, so every message changes its person's view (a "
                        + "stress case: real A08/A31 feeds mostly restate what is known).\n\n");
            }
            if (!settings.preheat().isZero()) {
                s.append(String.format(Locale.ROOT, "Preheat (not measured): before the warm-up, %d s at %.0f%% of "
                                + "the rate with unmarked messages for the same invented people (another sequence of them "
                                + "and of message kinds than the measured run's), then a wait until "
                                + "careweave up's consumers and sink had no lag, so that the measured minutes are a "
                                + "warmed-up JVM's (the JIT compiler alone took a fifth of the machine 2 minutes after "
                                + "start).%n%n", settings.preheat().toSeconds(), settings.preheatShare() * 100));
            }
        } else {
            s.append(String.format(Locale.ROOT, "Messages of the load mix at a steady rate over %d MLLP connections "
                            + "(one in flight each) to careweave's pipeline in one JVM (%s: ingest, mapping, identity, "
                            + "results, views; exactly-once, commit interval 100 ms), a fresh pipeline per rate. "
                            + "Latency: from the AA to the first person.views record showing the message (a marker "
                            + "in PID-13, carried by the golden record into the view), as a read_committed consumer "
                            + "sees it. Not through the HTTP API (`--target api` measures that). \"not seen\": AA'd "
                            + "messages whose view had not appeared %d s after sending stopped.%n%n", connections,
                    String.join(" ", PipelineProcess.JVM_ARGS), r.drainSeconds()));
        }
        s.append("| target msg/s | sent msg/s | ACK p50 ms | ACK p99 ms | AA | seen on topic | not seen "
                + "| AA→topic p50 ms | p99 ms | p99.9 ms | max ms | careweave CPU µs/msg |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RateResult x : r.rates()) {
            boolean none = x.seenInViews() == 0;
            s.append(String.format(Locale.ROOT, "| %,.0f | %,.0f | %.2f | %.2f | %,d | %,d | %,d | %s | %s | %s | %s "
                            + "| %,.0f |%n", x.targetRate(), x.load().messagesPerSecond(), x.load().ack().p50Ms(),
                    x.load().ack().p99Ms(), x.markedAa(), x.seenInViews(), x.notSeen(),
                    ms(x.aaToView(), none, x.aaToView().p50Ms()), ms(x.aaToView(), none, x.aaToView().p99Ms()),
                    ms(x.aaToView(), none, x.aaToView().p999Ms()), ms(x.aaToView(), none, x.aaToView().maxMs()),
                    x.pipelineCpuMicrosPerMessage()));
        }
        if (api) {
            s.append("\n| target msg/s | API samples seen / expected | not seen (not on topic, not in API, merged) "
                    + "| AA→API p50 ms | p99 ms | p99.9 ms | max ms | topic→API p50 ms | p99 ms "
                    + "| resolution p99 ms | polls/s | poller CPU (share of a core) | waits on the cap s |\n"
                    + "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (RateResult x : r.rates()) {
                ApiSample a = x.api();
                boolean none = a.seen() == 0;
                s.append(String.format(Locale.ROOT, "| %,.0f | %,d / %,d | %,d (%,d, %,d, %,d) | %s | %s | %s | %s "
                                + "| %s | %s | %s | %,.0f | %.1f s (%.0f%%) | %.1f |%n", x.targetRate(), a.seen(),
                        a.expected(), a.notSeen(), a.notOnTopic(), a.onTopicNotInApi(), a.mergedAway(),
                        ms(a.aaToApi(), none, a.aaToApi().p50Ms()), ms(a.aaToApi(), none, a.aaToApi().p99Ms()),
                        ms(a.aaToApi(), none, a.aaToApi().p999Ms()), ms(a.aaToApi(), none, a.aaToApi().maxMs()),
                        ms(a.topicToApi(), none, a.topicToApi().p50Ms()),
                        ms(a.topicToApi(), none, a.topicToApi().p99Ms()),
                        ms(a.resolution(), none, a.resolution().p99Ms()), a.requestsPerSecond(),
                        a.pollerCpuSeconds(), a.pollerCpuShareOfOneCore() * 100, a.capWaitSeconds()));
            }
            s.append("\n| target msg/s | careweave up ready in s | CPU window s | CPU s: careweave JVM "
                    + "| registry + PostgreSQL | benchmark JVM (load, tail, poller) | polls answered 404 "
                    + "| polls answered an older version | poll errors | sink lag after the drain (records) |\n"
                    + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (RateResult x : r.rates()) {
                s.append(String.format(Locale.ROOT, "| %,.0f | %.1f | %.0f | %.1f | %.1f | %.1f | %,d | %,d | %,d "
                                + "| %,d |%n",
                        x.targetRate(), x.startupSeconds(), x.cpuWindowSeconds(), x.careweaveJvmCpuSeconds(),
                        x.pipelineCpuSeconds() - x.careweaveJvmCpuSeconds(), x.harnessCpuSeconds(),
                        x.api().notFoundAnswers(), x.api().olderVersionAnswers(), x.api().errors(),
                        x.api().sinkLagAfterDrain()));
            }
            s.append("\nCPU window: from the start of the load (warm-up included) to the end of the drain. Sink lag: "
                    + "`careweave_sink_lag` from `/metrics` once the drain ended (-1: not readable).\n");
        }
        r.rates().stream().filter(x -> x.targetRate() == 1000).findFirst().ifPresent(x -> {
            Latency l = api ? x.api().aaToApi() : x.aaToView();
            long seen = api ? x.api().seen() : x.seenInViews();
            long notSeen = api ? x.api().notSeen() : x.notSeen();
            long of = api ? x.api().expected() : x.markedAa();
            s.append(String.format(Locale.ROOT, "%nGoal: p99 <= 1 s from AA to %s at a steady 1,000 messages/s: %s "
                            + "(p99 %s, %,.0f msg/s sent, %,d of %,d %s not seen).%n",
                    api ? "the API" : "the view", l.p99Ms() <= 1000 && x.load().messagesPerSecond() >= 950
                            && notSeen == 0 && seen > 0 ? "MET" : "NOT MET",
                    seen == 0 ? "not measurable: nothing was seen in time"
                            : String.format(Locale.ROOT, "%,.0f ms", l.p99Ms()),
                    x.load().messagesPerSecond(), notSeen, of, api ? "sampled messages" : "messages"));
        });
        return s.toString();
    }
}
