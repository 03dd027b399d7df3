package org.careweave.benchmarks.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.careweave.benchmarks.common.ChildJvm;
import org.careweave.benchmarks.common.JfrProfile;
import org.careweave.benchmarks.common.Machine;
import org.careweave.benchmarks.common.Options;
import org.careweave.benchmarks.common.PlatformProcess;
import org.careweave.benchmarks.common.ResultFiles;
import org.careweave.benchmarks.common.Stats;
import org.careweave.benchmarks.load.LoadGenerator;
import org.careweave.benchmarks.load.LoadResult;
import org.careweave.benchmarks.load.LoadSettings;
import org.careweave.benchmarks.load.AckListener;

/**
 * careweave's MLLP listener against an Apache Camel 4 route (camel-mllp → camel-kafka, same durability), each in its
 * own JVM, on the same broker (the embedded platform, in a third JVM), under the same generated load from this JVM.
 * For each connection count, the sides take turns round by round (the order rotates), and the report gives the
 * median of the rounds and careweave's ratio to each peer. CPU per message is the side's process CPU time over the
 * round ÷ messages acknowledged; the broker's is reported too.
 *
 * <p>Options: {@code --connections 1,16,64,256 --rounds 3 --seconds 4 --warmup 1 --jvm-warmup 8 --profile-seconds 0
 * --profile-connections 64 --out benchmarks/results --date yyyy-mm-dd}. With {@code --profile-seconds N > 0},
 * careweave's listener is run once more under a flight recording (64 connections by default) for N seconds, and the
 * hottest frames are reported.
 */
public final class IngestComparison {

    /** One side in one round at one connection count. */
    public record Round(String side, int connections, int round, LoadResult load, double sideCpuSeconds,
                        double sideCpuMicrosPerMessage, double brokerCpuMicrosPerMessage) {
    }

    /** Medians over the rounds of one side at one connection count. */
    public record Summary(String side, int connections, int rounds, double messagesPerSecond, double p50Ms,
                          double p99Ms, double p999Ms, double maxMs, double sideCpuMicrosPerMessage,
                          double brokerCpuMicrosPerMessage, double generatorCpuShare, long aa, long ae, long ar,
                          long timeouts, long connectionErrors) {
    }

    /** careweave ÷ a peer at one connection count: above 1 is better for throughput, below 1 for CPU. */
    public record Ratio(int connections, String peer, double throughputRatio, double cpuPerMessageRatio,
                        double p99Ratio) {
    }

    public record Report(String date, Machine machine, Map<String, Object> settings, List<Summary> summaries,
                         List<Ratio> ratios, List<String> goals, List<Round> rounds, JfrProfile careweaveProfile) {
    }

    /** How long each side's fresh JVM is driven at 16 connections before anything is measured (--jvm-warmup). */
    private static Duration jvmWarmup = Duration.ofSeconds(8);

    private IngestComparison() {
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args, Set.of());
        List<Integer> connectionCounts = options.integers("connections", List.of(1, 16, 64, 256));
        int rounds = options.integer("rounds", 3);
        Duration duration = options.seconds("seconds", 4);
        Duration warmup = options.seconds("warmup", 1);
        Duration profileSeconds = options.seconds("profile-seconds", 0);
        int profileConnections = options.integer("profile-connections", 64);
        jvmWarmup = options.seconds("jvm-warmup", 8);
        Path logDir = Path.of("benchmarks/target/logs/ingest");
        Files.createDirectories(logDir);
        Machine machine = Machine.now();

        List<Round> all = new ArrayList<>();
        JfrProfile profile = null;
        try (PlatformProcess platform = PlatformProcess.start(List.of(IngestSide.CAREWEAVE_PREFIX), 3, logDir)) {
            Topics.create(platform.bootstrapServers(), IngestSide.CAMEL_TOPIC, 3);
            Map<IngestSide, ChildJvm> children = new EnumMap<>(IngestSide.class);
            try {
                for (IngestSide side : IngestSide.values()) {
                    children.put(side, side.start(platform, logDir, List.of()));
                }
                // A fresh JVM is slow until the JIT has compiled the hot paths: warm every side up first, unmeasured.
                for (IngestSide side : IngestSide.values()) {
                    measure(side, children.get(side), platform, 16, 0, Duration.ZERO, jvmWarmup);
                }
                for (int connections : connectionCounts) {
                    // Warm each side up at this connection count (JIT, connection set-up), unmeasured.
                    for (IngestSide side : IngestSide.values()) {
                        measure(side, children.get(side), platform, connections, 0, Duration.ZERO,
                                warmup.plusSeconds(1));
                    }
                    for (int round = 1; round <= rounds; round++) {
                        for (int i = 0; i < IngestSide.values().length; i++) {
                            IngestSide side = IngestSide.values()[(i + round) % IngestSide.values().length];
                            Round r = measure(side, children.get(side), platform, connections, round, warmup,
                                    duration);
                            all.add(r);
                            System.err.printf(Locale.ROOT, "%-40s %4d conn round %d: %,9.0f msg/s p99 %7.2f ms "
                                            + "cpu %6.0f us/msg (generator %.0f%% of the machine)%n",
                                    r.side(), connections, round, r.load().messagesPerSecond(), r.load().ack().p99Ms(),
                                    r.sideCpuMicrosPerMessage(), r.load().generatorCpuShare() * 100);
                        }
                    }
                }
            } finally {
                children.values().forEach(ChildJvm::close);
            }
            if (!profileSeconds.isZero()) {
                profile = profile(platform, logDir, profileSeconds, profileConnections);
            }
        }
        List<Summary> summaries = summarise(all, connectionCounts);
        List<Ratio> ratios = ratios(summaries, connectionCounts);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("connections", connectionCounts);
        settings.put("rounds", rounds);
        settings.put("secondsPerRound", duration.toMillis() / 1000.0);
        settings.put("warmupSecondsPerRound", warmup.toMillis() / 1000.0);
        settings.put("sideJvmArgs", IngestSide.JVM_ARGS);
        settings.put("jvmWarmupSeconds", jvmWarmup.toSeconds());
        settings.put("profileConnections", profileConnections);
        settings.put("mix", "ADT^A08 47.6%, A31 30%, A04 17%, ORU^R01 4% (5-40 OBX), A01 1%, A28 0.3%, A40 0.1%");
        Report report = new Report(options.date(), machine.finished(), settings, summaries, ratios,
                goals(summaries, ratios), all, profile);
        ResultFiles.write(options.out(), "ingest-comparison", options.date(), report, markdown(report));
    }

    private static Round measure(IngestSide side, ChildJvm child, PlatformProcess platform, int connections,
                                 int round, Duration warmup, Duration duration) {
        String runId = side.name().charAt(0) + side.name().substring(side.name().length() - 1) + connections + "r"
                + round + "t" + (System.currentTimeMillis() % 100_000);
        LoadSettings settings = LoadSettings.of(side.port(child), connections, warmup, duration, runId);
        long sideCpu0 = child.cpuNanos();
        long brokerCpu0 = platform.cpuNanos();
        LoadResult load = LoadGenerator.run(settings, AckListener.NONE);
        double sideCpu = (child.cpuNanos() - sideCpu0) / 1e9;
        double brokerCpu = (platform.cpuNanos() - brokerCpu0) / 1e9;
        // The CPU counters cover warm-up and measured time: divide by the messages of both.
        double messagesCovered = load.messagesIncludingWarmup();
        return new Round(side.label(), connections, round, load, Stats.round(sideCpu, 3),
                Stats.round(messagesCovered == 0 ? 0 : sideCpu * 1e6 / messagesCovered, 1),
                Stats.round(messagesCovered == 0 ? 0 : brokerCpu * 1e6 / messagesCovered, 1));
    }

    private static JfrProfile profile(PlatformProcess platform, Path logDir, Duration seconds, int connections)
            throws IOException {
        Path recording = logDir.resolve("careweave-ingest.jfr").toAbsolutePath();
        Files.deleteIfExists(recording);
        ChildJvm child = IngestSide.CAREWEAVE.start(platform, logDir, List.of(
                "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording));
        try {
            // Warm up as long as the measured sides were, so that the profile is not of the JIT compiler.
            LoadGenerator.run(LoadSettings.of(IngestSide.CAREWEAVE.port(child), connections, jvmWarmup, seconds,
                    "jfr"), AckListener.NONE);
        } finally {
            child.close();
        }
        return JfrProfile.read(recording, 20);
    }

    private static List<Summary> summarise(List<Round> all, List<Integer> connectionCounts) {
        List<Summary> out = new ArrayList<>();
        for (int connections : connectionCounts) {
            for (IngestSide side : IngestSide.values()) {
                List<Round> rs = all.stream().filter(r -> r.connections() == connections
                        && r.side().equals(side.label())).toList();
                if (rs.isEmpty()) {
                    continue;
                }
                out.add(new Summary(side.label(), connections, rs.size(),
                        Stats.round(median(rs, r -> r.load().messagesPerSecond()), 0),
                        median(rs, r -> r.load().ack().p50Ms()), median(rs, r -> r.load().ack().p99Ms()),
                        median(rs, r -> r.load().ack().p999Ms()),
                        rs.stream().mapToDouble(r -> r.load().ack().maxMs()).max().orElse(0),
                        Stats.round(median(rs, Round::sideCpuMicrosPerMessage), 1),
                        Stats.round(median(rs, Round::brokerCpuMicrosPerMessage), 1),
                        Stats.round(median(rs, r -> r.load().generatorCpuShare()), 3),
                        rs.stream().mapToLong(r -> r.load().aa()).sum(), rs.stream().mapToLong(r -> r.load().ae()).sum(),
                        rs.stream().mapToLong(r -> r.load().ar()).sum(),
                        rs.stream().mapToLong(r -> r.load().timeouts()).sum(),
                        rs.stream().mapToLong(r -> r.load().connectionErrors()).sum()));
            }
        }
        return out;
    }

    private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> value) {
        return Stats.median(rounds.stream().map(r -> value.applyAsDouble(r)).toList());
    }

    private static List<Ratio> ratios(List<Summary> summaries, List<Integer> connectionCounts) {
        List<Ratio> out = new ArrayList<>();
        for (int connections : connectionCounts) {
            Summary careweave = find(summaries, IngestSide.CAREWEAVE, connections);
            for (IngestSide peer : List.of(IngestSide.CAMEL_DEFAULTS, IngestSide.CAMEL_TUNED)) {
                Summary p = find(summaries, peer, connections);
                if (careweave != null && p != null) {
                    out.add(new Ratio(connections, peer.label(),
                            Stats.ratio(careweave.messagesPerSecond(), p.messagesPerSecond()),
                            Stats.ratio(careweave.sideCpuMicrosPerMessage(), p.sideCpuMicrosPerMessage()),
                            Stats.ratio(careweave.p99Ms(), p.p99Ms())));
                }
            }
        }
        return out;
    }

    private static Summary find(List<Summary> summaries, IngestSide side, int connections) {
        return summaries.stream().filter(s -> s.side().equals(side.label()) && s.connections() == connections)
                .findFirst().orElse(null);
    }

    private static Ratio ratio(List<Ratio> ratios, int connections, IngestSide peer) {
        return ratios.stream().filter(r -> r.connections() == connections && r.peer().equals(peer.label()))
                .findFirst().orElse(null);
    }

    /** The goals, each with its verdict. */
    private static List<String> goals(List<Summary> summaries, List<Ratio> ratios) {
        List<String> out = new ArrayList<>();
        Summary one = find(summaries, IngestSide.CAREWEAVE, 1);
        Ratio oneDefault = ratio(ratios, 1, IngestSide.CAMEL_DEFAULTS);
        Ratio oneTuned = ratio(ratios, 1, IngestSide.CAMEL_TUNED);
        if (one != null && oneDefault != null && oneTuned != null) {
            out.add(verdict(one.messagesPerSecond() >= 1000 && one.p99Ms() <= 3 && oneDefault.throughputRatio() >= 6
                            && oneTuned.throughputRatio() >= 1.5,
                    String.format(Locale.ROOT, "1 connection: >= 1,000 msg/s with p99 <= 3 ms, >= 6x the default "
                                    + "peer, >= 1.5x the tuned peer: %,.0f msg/s, p99 %.2f ms, %.2fx and %.2fx",
                            one.messagesPerSecond(), one.p99Ms(), oneDefault.throughputRatio(),
                            oneTuned.throughputRatio())));
        }
        Ratio sixtyFourDefault = ratio(ratios, 64, IngestSide.CAMEL_DEFAULTS);
        Ratio sixtyFourTuned = ratio(ratios, 64, IngestSide.CAMEL_TUNED);
        if (sixtyFourDefault != null && sixtyFourTuned != null) {
            double worstThroughput = Math.min(sixtyFourDefault.throughputRatio(), sixtyFourTuned.throughputRatio());
            double worstCpu = Math.max(sixtyFourDefault.cpuPerMessageRatio(), sixtyFourTuned.cpuPerMessageRatio());
            out.add(verdict(worstThroughput >= 1.5 && worstCpu <= 1.0, String.format(Locale.ROOT,
                    "64 connections: >= 1.5x the peer's throughput and CPU per message no higher: throughput "
                            + "%.2fx / %.2fx (defaults / tuned), CPU per message %.2fx / %.2fx",
                    sixtyFourDefault.throughputRatio(), sixtyFourTuned.throughputRatio(),
                    sixtyFourDefault.cpuPerMessageRatio(), sixtyFourTuned.cpuPerMessageRatio())));
        }
        Summary many = find(summaries, IngestSide.CAREWEAVE, 256);
        if (many != null) {
            out.add(verdict(many.timeouts() == 0 && many.connectionErrors() == 0 && many.ae() == 0 && many.ar() == 0,
                    String.format(Locale.ROOT, "256 connections: no timeouts or errors: %d timeouts, %d connection "
                                    + "errors, %d AE, %d AR; p99.9 %.1f ms", many.timeouts(), many.connectionErrors(),
                            many.ae(), many.ar(), many.p999Ms())));
        }
        return out;
    }

    private static String verdict(boolean met, String text) {
        return (met ? "MET: " : "NOT MET: ") + text;
    }

    private static String markdown(Report r) {
        StringBuilder s = new StringBuilder();
        s.append("# Ingest: careweave vs Apache Camel 4 (camel-mllp -> camel-kafka), ").append(r.date())
                .append("\n\n").append(r.machine().describe()).append("\n\n");
        s.append(String.format(Locale.ROOT, "Each side in its own JVM (%s), the broker in a third, the load "
                        + "generator in a fourth; same broker, same load, sides alternating round by round. Each "
                        + "side's JVM is warmed up first (%d s at 16 connections, then one unmeasured run at each "
                        + "connection count). Medians of %s rounds of %s s (after %s s warm-up each). "
                        + "Message mix: %s.%n%n",
                String.join(" ", IngestSide.JVM_ARGS), jvmWarmup.toSeconds(), r.settings().get("rounds"),
                r.settings().get("secondsPerRound"), r.settings().get("warmupSecondsPerRound"),
                r.settings().get("mix")));
        s.append("| connections | side | msg/s | ACK p50 ms | p99 ms | p99.9 ms | max ms | side CPU µs/msg "
                + "| broker CPU µs/msg | generator CPU | AA | AE | AR | timeouts | conn. errors |\n");
        s.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Summary x : r.summaries()) {
            s.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %.2f | %.2f | %.2f | %.1f | %.0f | %.0f "
                            + "| %.0f%% | %,d | %d | %d | %d | %d |%n", x.connections(), x.side(),
                    x.messagesPerSecond(), x.p50Ms(), x.p99Ms(), x.p999Ms(), x.maxMs(), x.sideCpuMicrosPerMessage(),
                    x.brokerCpuMicrosPerMessage(), x.generatorCpuShare() * 100, x.aa(), x.ae(), x.ar(),
                    x.timeouts(), x.connectionErrors()));
        }
        s.append("\n| connections | careweave ÷ | throughput | CPU per message | ACK p99 |\n|---:|---|---:|---:|---:|\n");
        for (Ratio x : r.ratios()) {
            s.append(String.format(Locale.ROOT, "| %d | %s | %.2fx | %.2fx | %.2fx |%n", x.connections(), x.peer(),
                    x.throughputRatio(), x.cpuPerMessageRatio(), x.p99Ratio()));
        }
        s.append("\nGoals:\n\n");
        r.goals().forEach(g -> s.append("- ").append(g).append('\n'));
        s.append("\n\"generator CPU\" is the load generator's own CPU time as a share of the machine (2 cores); "
                + "the generator, both listeners and the broker share the same 2 cores.\n");
        if (r.careweaveProfile() != null) {
            s.append('\n').append(r.careweaveProfile().markdown(
                    "Profile of careweave's listener at " + r.settings().get("profileConnections")
                            + " connections (JFR, jdk.ExecutionSample)"));
        }
        return s.toString();
    }
}
