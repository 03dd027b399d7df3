package org.careweave.benchmarks.stream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.careweave.benchmarks.common.JfrProfile;
import org.careweave.benchmarks.common.Machine;
import org.careweave.benchmarks.common.Options;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.benchmarks.common.PlatformProcess;
import org.careweave.benchmarks.common.ResultFiles;
import org.careweave.benchmarks.common.Stats;
import org.careweave.schemas.topics.Topic;
import org.careweave.schemas.topics.Topics;

/**
 * Stream throughput on a rebuild: hl7.raw is filled with N raw messages first (the load generator's mix), then
 * careweave's mapping processor and stream processors (identity, results, views) are started in a child JVM and
 * timed until both have drained their inputs (consumer lag 0). The target: 1M raw messages at >= 20,000
 * raw messages/s on this machine.
 *
 * <p>Options: {@code --messages 100000 --population 100000 --profile --timeout-minutes 30 --out DIR --date D
 * --commit-interval-ms 100} (mapping's and the processors' exactly-once commit interval; their default when absent).
 * With {@code --profile}, the pipeline JVM runs under a flight recording and the hottest frames are reported.
 */
public final class RebuildBenchmark {

    private static final String PREFIX = "rebuild.";

    /** One point of the drain: seconds since the pipeline was started, and the lags. */
    public record Progress(double seconds, long mappingLag, long processorsLag) {
    }

    public record Report(String date, Machine machine, long rawMessages, int population, double produceSeconds,
                         double startupSeconds, double mappingDrainedSeconds, double allDrainedSeconds,
                         double rawMessagesPerSecond, double rawMessagesPerSecondIncludingStartup,
                         double mappingRawMessagesPerSecond, Map<String, Long> outputRecords,
                         double outputEventsPerSecond, double pipelineCpuSeconds, double pipelineCpuMicrosPerRaw,
                         boolean drained, List<Progress> progress, JfrProfile profile, int commitIntervalMs) {
    }

    private RebuildBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, Set.of("profile"));
        long messages = options.number("messages", 100_000);
        int population = options.integer("population", 100_000);
        boolean profile = options.flag("profile");
        int commitIntervalMs = options.integer("commit-interval-ms", ProcessorsConfig.defaults().commitIntervalMs());
        long timeoutNanos = options.integer("timeout-minutes", 30) * 60_000_000_000L;
        Path logDir = Path.of("benchmarks/target/logs/rebuild");
        Files.createDirectories(logDir);
        Machine machine = Machine.now();
        Path recording = logDir.resolve("pipeline.jfr").toAbsolutePath();
        Files.deleteIfExists(recording);

        try (PlatformProcess platform = PlatformProcess.start(List.of(PREFIX), 3, logDir)) {
            String raw = Topics.HL7_RAW.name(PREFIX);
            double produceSeconds = RawTopicLoader.load(platform.bootstrapServers(), platform.schemaRegistryUrl(), raw,
                    messages, population, 42);
            System.err.printf(Locale.ROOT, "%,d raw messages produced in %.1f s%n", messages, produceSeconds);

            List<Progress> progress = new ArrayList<>();
            double startup = -1;
            double mappingDrained = -1;
            double allDrained = -1;
            double cpuSeconds;
            long t0 = System.nanoTime();
            List<String> jvm = new ArrayList<>(List.of(PipelineServer.COMMIT_INTERVAL_PROPERTY + "=" + commitIntervalMs));
            if (profile) {
                jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording);
            }
            try (PipelineProcess pipeline = PipelineProcess.start(platform, PREFIX, "mapping,processors", null,
                    logDir.resolve("pipeline.log"), jvm);
                 ConsumerLag lags = new ConsumerLag(platform.bootstrapServers())) {
                long cpu0 = pipeline.cpuNanos();
                List<String> processorSources = List.of(Topics.PATIENT_EVENTS.name(PREFIX),
                        Topics.OBSERVATION_EVENTS.name(PREFIX), Topics.ENCOUNTER_EVENTS.name(PREFIX),
                        Topics.IDENTITY_LINKS.name(PREFIX), Topics.PERSON_GOLDEN.name(PREFIX));
                int drainedChecks = 0;
                while (System.nanoTime() - t0 < timeoutNanos) {
                    Thread.sleep(500);
                    double now = (System.nanoTime() - t0) / 1e9;
                    ConsumerLag.Lag mapping = lags.of(PREFIX + "mapping", List.of(raw), Set.of(raw));
                    ConsumerLag.Lag processors = lags.of(PREFIX + "processors", processorSources, Set.of());
                    progress.add(new Progress(Stats.round(now, 1), mapping.records(), processors.records()));
                    if (progress.size() % 10 == 0) {
                        System.err.printf(Locale.ROOT, "%6.1f s: mapping lag %,d, processors lag %,d%n", now,
                                mapping.records(), processors.records());
                    }
                    if (startup < 0 && mapping.committed() > 0) {
                        startup = now;
                    }
                    if (mappingDrained < 0 && mapping.drained() && mapping.committed() > 0) {
                        mappingDrained = now;
                    }
                    if (mapping.drained() && processors.drained() && processors.committed() > 0) {
                        if (++drainedChecks == 1) {
                            allDrained = now;
                        }
                        if (drainedChecks >= 3) {
                            break;
                        }
                    } else {
                        drainedChecks = 0;
                        allDrained = -1;
                    }
                }
                cpuSeconds = (pipeline.cpuNanos() - cpu0) / 1e9;
            }
            boolean drained = allDrained > 0;
            Map<String, Long> outputs = new LinkedHashMap<>();
            for (Topic<?> topic : List.of(Topics.PATIENT_EVENTS, Topics.ENCOUNTER_EVENTS, Topics.OBSERVATION_EVENTS,
                    Topics.IDENTITY_LINKS, Topics.PERSON_GOLDEN, Topics.IDENTITY_REVIEW, Topics.RESULTS_CURRENT,
                    Topics.ALERTS_REPEAT_TESTS, Topics.PERSON_VIEWS, Topics.HL7_DEADLETTER)) {
                outputs.put(topic.name(""), TopicCounter.count(platform.bootstrapServers(), topic.name(PREFIX)));
            }
            long events = outputs.values().stream().mapToLong(Long::longValue).sum();
            double end = drained ? allDrained : (System.nanoTime() - t0) / 1e9;
            double working = Math.max(1e-3, end - Math.max(0, startup));
            JfrProfile jfrProfile = profile && Files.exists(recording) ? JfrProfile.read(recording, 20) : null;
            Report report = new Report(options.date(), machine.finished(), messages, population,
                    Stats.round(produceSeconds, 1), Stats.round(startup, 1), Stats.round(mappingDrained, 1),
                    Stats.round(end, 1), Stats.round(messages / working, 0), Stats.round(messages / end, 0),
                    Stats.round(messages / Math.max(1e-3, mappingDrained - Math.max(0, startup)), 0), outputs,
                    Stats.round(events / working, 0), Stats.round(cpuSeconds, 1),
                    Stats.round(cpuSeconds * 1e6 / messages, 1), drained, progress, jfrProfile, commitIntervalMs);
            ResultFiles.write(options.out(), "rebuild", options.date(), report, markdown(report));
        }
    }

    private static String markdown(Report r) {
        StringBuilder s = new StringBuilder();
        s.append("# Stream throughput: rebuild from ").append(String.format(Locale.ROOT, "%,d", r.rawMessages()))
                .append(" raw messages, ").append(r.date()).append("\n\n").append(r.machine().describe())
                .append("\n\n");
        s.append(String.format(Locale.ROOT, "hl7.raw was filled first (%,d messages of the load mix, %,d invented "
                        + "people, produced in %.1f s); then mapping and the stream processors (identity, results, "
                        + "views; exactly-once, commit interval %d ms) were started in one JVM (%s) and timed until "
                        + "every input was drained (consumer lag 0).%s%n%n",
                r.rawMessages(), r.population(), r.produceSeconds(), r.commitIntervalMs(),
                String.join(" ", PipelineProcess.JVM_ARGS),
                r.drained() ? "" : " **Did not drain within the time limit: figures are up to the limit.**"));
        s.append("| raw msg/s (from first commit) | incl. start-up | mapping alone raw msg/s | start-up s "
                + "| mapping drained s | all drained s | output events/s | pipeline CPU s | CPU µs per raw msg |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        s.append(String.format(Locale.ROOT, "| %,.0f | %,.0f | %,.0f | %.1f | %.1f | %.1f | %,.0f | %.1f | %.0f |%n%n",
                r.rawMessagesPerSecond(), r.rawMessagesPerSecondIncludingStartup(), r.mappingRawMessagesPerSecond(),
                r.startupSeconds(), r.mappingDrainedSeconds(), r.allDrainedSeconds(), r.outputEventsPerSecond(),
                r.pipelineCpuSeconds(), r.pipelineCpuMicrosPerRaw()));
        s.append("| output topic | records |\n|---|---:|\n");
        r.outputRecords().forEach((k, v) -> s.append(String.format(Locale.ROOT, "| %s | %,d |%n", k, v)));
        s.append(String.format(Locale.ROOT, "%nGoal: >= 20,000 raw messages/s: %s (%,.0f).%n",
                r.rawMessagesPerSecond() >= 20_000 ? "MET" : "NOT MET", r.rawMessagesPerSecond()));
        if (r.profile() != null) {
            s.append('\n').append(r.profile().markdown("Profile of the pipeline JVM during the rebuild "
                    + "(JFR, jdk.ExecutionSample)"));
        }
        return s.toString();
    }
}
