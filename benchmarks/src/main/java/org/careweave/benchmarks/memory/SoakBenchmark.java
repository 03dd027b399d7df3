package org.careweave.benchmarks.memory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

import org.careweave.benchmarks.common.CareweaveUp;
import org.careweave.benchmarks.common.Machine;
import org.careweave.benchmarks.common.Options;
import org.careweave.benchmarks.common.ProcessCpu;
import org.careweave.benchmarks.common.PrometheusScrape;
import org.careweave.benchmarks.common.ResultFiles;
import org.careweave.benchmarks.load.AckListener;
import org.careweave.benchmarks.load.GeneratedMessage;
import org.careweave.benchmarks.load.LoadGenerator;
import org.careweave.benchmarks.load.LoadResult;
import org.careweave.benchmarks.load.LoadSettings;

/**
 * A soak: {@code java -jar careweave.jar up} as a user runs it (no JVM options), under a steady rate of the load mix
 * for a long time, sampled every minute for what grows when something leaks or falls behind: the JVM's heap after
 * collections and its GC time, threads, open files, resident memory of careweave and of its children, the data dir
 * on disk, consumer and sink lag, and careweave's own ACK latency (its histogram, per window). A benchmark, not a
 * test: it reports what it saw and the trend of each over the run, and decides nothing.
 *
 * <p>Options: {@code --jar deploy/app/target/careweave.jar --rate 250 --minutes 60 --connections 16
 * --sample-seconds 60 --drain-seconds 300 --out DIR --date D}.
 */
public final class SoakBenchmark {

    private static final double MIB = 1024.0 * 1024.0;

    /** One look at the running instance; counts and times are of the window since the previous sample. */
    public record Sample(double minutes, long acked, long notAa, double messagesPerSecond, double ackP99Ms,
                         double heapUsedMib, double heapAfterGcShare, double gcLiveMib, double gcOverheadShare,
                         double gcPauseSeconds, double threads, double openFiles, long careweaveRssMib,
                         long outsideHeapMib, long registryRssMib, long postgresRssMib, double careweaveCores,
                         long kafkaMib,
                         long streamsMib, long postgresMib, double consumerLag, double sinkLag) {
    }

    public record Trend(String what, String unit, double first, double last, double perHour) {
    }

    public record Report(String date, Machine machine, String command, double rate, int connections,
                         double minutes, LoadResult load, List<Sample> samples, double drainSeconds,
                         boolean drained, List<Trend> trends) {
    }

    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, Set.of());
        Path jar = Path.of(options.text("jar", "deploy/app/target/careweave.jar"));
        double rate = Double.parseDouble(options.text("rate", "250"));
        double minutes = Double.parseDouble(options.text("minutes", "60"));
        int connections = options.integer("connections", 16);
        Duration every = options.seconds("sample-seconds", 60);
        Duration drainLimit = options.seconds("drain-seconds", 300);
        Machine machine = Machine.now();
        Path log = Path.of("benchmarks/target/logs/soak/careweave-up.log");
        try (CareweaveUp up = CareweaveUp.start(jar, log, Duration.ofMinutes(4))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Probe probe = new Probe(up, http);
            Counts counts = new Counts();
            LoadSettings settings = LoadSettings.of(up.mllpPort(), connections, Duration.ZERO,
                    Duration.ofMillis(Math.round(minutes * 60_000)), "SOAK").withRate(rate);
            long start = System.nanoTime();
            CompletableFuture<LoadResult> load = CompletableFuture.supplyAsync(
                    () -> LoadGenerator.run(settings, counts));
            List<Sample> samples = new ArrayList<>();
            probe.start();
            while (!load.isDone()) {
                long next = start + (samples.size() + 1) * every.toNanos();
                while (!load.isDone() && System.nanoTime() < next) {
                    Thread.sleep(200);
                }
                samples.add(probe.sample(minutesSince(start), counts));
                System.out.println(line(samples.get(samples.size() - 1)));
            }
            LoadResult result = load.join();
            long drainStart = System.nanoTime();
            boolean drained = false;
            while (System.nanoTime() - drainStart < drainLimit.toNanos()) {
                Thread.sleep(5_000);
                PrometheusScrape scrape = probe.scrape();
                if (scrape.sum("careweave_consumer_lag") == 0 && scrape.sum("careweave_sink_lag") == 0) {
                    drained = true;
                    break;
                }
            }
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            samples.add(probe.sample(minutesSince(start), counts));
            Report report = new Report(options.date(), machine.finished(), "java -jar " + jar + " up", rate,
                    connections, minutes, result, samples, Math.round(drainSeconds * 10) / 10.0, drained,
                    trends(samples));
            ResultFiles.write(options.out(), "soak", options.date(), report, markdown(report));
        }
    }

    private static double minutesSince(long start) {
        return (System.nanoTime() - start) / 60e9;
    }

    /** ACK codes as they come back, per window. */
    private static final class Counts implements AckListener {
        private final AtomicLong acked = new AtomicLong();
        private final AtomicLong notAa = new AtomicLong();

        @Override
        public void acked(GeneratedMessage message, String code, long ackedAtNanos) {
            acked.incrementAndGet();
            if (!"AA".equals(code)) {
                notAa.incrementAndGet();
            }
        }
    }

    /** Reads the instance: its /metrics, /proc for its processes, the data dir's size. */
    private static final class Probe {
        private final CareweaveUp up;
        private final HttpClient http;
        private final String token;
        private long lastAcked;
        private long lastNotAa;
        private long lastNanos;
        private long lastCpuNanos;
        private double lastGcPause;
        private TreeMap<Double, Double> lastAckBuckets = new TreeMap<>();

        Probe(CareweaveUp up, HttpClient http) {
            this.up = up;
            this.http = http;
            this.token = up.adminToken();
        }

        void start() throws IOException, InterruptedException {
            PrometheusScrape scrape = scrape();
            lastNanos = System.nanoTime();
            lastCpuNanos = ProcessCpu.nanos(up.pid());
            lastGcPause = scrape.sum("jvm_gc_pause_seconds_sum");
            lastAckBuckets = scrape.buckets("careweave_ingest_ack_latency_seconds");
        }

        PrometheusScrape scrape() throws IOException, InterruptedException {
            return PrometheusScrape.fetch(http, up.apiUrl(), token);
        }

        Sample sample(double minutes, Counts counts) throws IOException, InterruptedException {
            PrometheusScrape scrape = scrape();
            long now = System.nanoTime();
            long cpu = ProcessCpu.nanos(up.pid());
            double seconds = (now - lastNanos) / 1e9;
            long acked = counts.acked.get() - lastAcked;
            long notAa = counts.notAa.get() - lastNotAa;
            TreeMap<Double, Double> ackBuckets = scrape.buckets("careweave_ingest_ack_latency_seconds");
            double gcPause = scrape.sum("jvm_gc_pause_seconds_sum");
            List<ProcessMemory> tree = ProcessMemory.tree(ProcessHandle.of(up.pid()).orElseThrow(),
                    up.dataDir().toString());
            Sample sample = new Sample(round(minutes), acked, notAa, round(acked / seconds),
                    round(PrometheusScrape.quantileBetween(lastAckBuckets, ackBuckets, 0.99) * 1000),
                    round(scrape.sum("jvm_memory_used_bytes", Map.of("area", "heap")) / MIB),
                    round(scrape.max("jvm_memory_usage_after_gc")),
                    round(scrape.sum("jvm_gc_live_data_size_bytes") / MIB),
                    round(scrape.sum("jvm_gc_overhead")), round(gcPause - lastGcPause),
                    scrape.sum("jvm_threads_live_threads"), scrape.sum("process_files_open_files"),
                    tree.get(0).rssMib(), outsideHeap(up.pid(), scrape), rss(tree, "schema registry"),
                    rss(tree, "postgres"),
                    round((cpu - lastCpuNanos) / 1e9 / seconds), mib(up.dataDir().resolve("kafka")),
                    mib(up.dataDir().resolve("streams")), mib(up.dataDir().resolve("postgres")),
                    scrape.sum("careweave_consumer_lag"), scrape.sum("careweave_sink_lag"));
            lastAcked += acked;
            lastNotAa += notAa;
            lastNanos = now;
            lastCpuNanos = cpu;
            lastGcPause = gcPause;
            lastAckBuckets = ackBuckets;
            return sample;
        }

        /**
         * careweave's anonymous resident memory less the Java heap's committed size: the JVM's own native memory,
         * RocksDB's caches and memtables, Netty's and Kafka's direct buffers. Kafka's memory-mapped index files are
         * file-backed and not in it.
         */
        private static long outsideHeap(long pid, PrometheusScrape scrape) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("RssAnon:")) {
                        long anonKib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        double heap = scrape.sum("jvm_memory_committed_bytes", Map.of("area", "heap"));
                        return Math.round(anonKib / 1024.0 - heap / MIB);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone, or not Linux
            }
            return -1;
        }

        /** PostgreSQL's processes share their buffers: the sum counts shared memory once per process. */
        private static long rss(List<ProcessMemory> tree, String prefix) {
            return tree.stream().filter(p -> p.command().startsWith(prefix)).mapToLong(ProcessMemory::rssMib).sum();
        }

        /**
         * Disk blocks in use (du), not file sizes: Kafka creates its index files at their full size (10 MiB each) as
         * sparse files, so their sizes add up to gigabytes that are not on the disk.
         */
        private static long mib(Path dir) {
            if (!Files.isDirectory(dir)) {
                return 0;
            }
            try {
                // Its complaints go nowhere: unread, a full stderr pipe would block du and this sample with it.
                Process du = new ProcessBuilder("du", "-sk", dir.toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                du.waitFor();
                // du also complains about files deleted while it walks (segments, SSTs); its total still stands.
                return Math.round(Long.parseLong(out.strip().split("\\s+")[0]) / 1024.0);
            } catch (IOException | RuntimeException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    /**
     * Each quantity's value after the first tenth of the run (start-up and the JIT compiler's work behind it) and at
     * the end of the load, and a least-squares slope per hour over the samples in between.
     */
    static List<Trend> trends(List<Sample> samples) {
        List<Sample> load = samples.subList(0, Math.max(1, samples.size() - 1));
        int from = Math.min(load.size() - 1, Math.max(1, load.size() / 10));
        List<Sample> steady = load.subList(from, load.size());
        List<Trend> trends = new ArrayList<>();
        trends.add(trend("heap live after GC", "MiB", steady, Sample::gcLiveMib));
        trends.add(trend("heap in use after GC (old generation)", "share", steady, Sample::heapAfterGcShare));
        trends.add(trend("careweave RSS", "MiB", steady, s -> s.careweaveRssMib()));
        trends.add(trend("careweave memory outside the heap (anonymous RSS less committed heap)", "MiB", steady,
                s -> s.outsideHeapMib()));
        trends.add(trend("registry RSS", "MiB", steady, s -> s.registryRssMib()));
        trends.add(trend("PostgreSQL RSS (processes summed)", "MiB", steady, s -> s.postgresRssMib()));
        trends.add(trend("threads", "", steady, Sample::threads));
        trends.add(trend("open files", "", steady, Sample::openFiles));
        trends.add(trend("Kafka logs on disk", "MiB", steady, s -> s.kafkaMib()));
        trends.add(trend("stream state on disk", "MiB", steady, s -> s.streamsMib()));
        trends.add(trend("PostgreSQL on disk", "MiB", steady, s -> s.postgresMib()));
        trends.add(trend("consumer lag", "records", steady, Sample::consumerLag));
        trends.add(trend("sink lag", "views", steady, Sample::sinkLag));
        trends.add(trend("ACK p99 (careweave's histogram)", "ms", steady, Sample::ackP99Ms));
        return trends;
    }

    private static Trend trend(String what, String unit, List<Sample> samples,
                               ToDoubleFunction<Sample> value) {
        double n = samples.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Sample s : samples) {
            double x = s.minutes() / 60.0;
            double y = value.applyAsDouble(s);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double denominator = n * sxx - sx * sx;
        double slope = denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
        return new Trend(what, unit, round(value.applyAsDouble(samples.get(0))),
                round(value.applyAsDouble(samples.get(samples.size() - 1))), round(slope));
    }

    private static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : value;
    }

    private static String line(Sample s) {
        return String.format(Locale.ROOT, "%6.1f min: %,7.0f msg/s (%d not AA), ACK p99 %.0f ms, heap live %.0f MiB"
                        + " (%.0f%% after GC), GC %.1f%%, threads %.0f, files %.0f, RSS %d/%d/%d MiB"
                        + " (%d outside the heap), %.2f cores,"
                        + " disk %d/%d/%d MiB, lag %.0f, sink lag %.0f",
                s.minutes(), s.messagesPerSecond(), s.notAa(), s.ackP99Ms(), s.gcLiveMib(),
                s.heapAfterGcShare() * 100, s.gcOverheadShare() * 100, s.threads(), s.openFiles(),
                s.careweaveRssMib(), s.registryRssMib(), s.postgresRssMib(), s.outsideHeapMib(), s.careweaveCores(),
                s.kafkaMib(),
                s.streamsMib(), s.postgresMib(), s.consumerLag(), s.sinkLag());
    }

    private static String markdown(Report r) {
        StringBuilder s = new StringBuilder();
        s.append("# Soak of careweave up, ").append(r.date()).append("\n\n").append(r.machine().describe())
                .append("\n\n");
        LoadResult load = r.load();
        s.append(String.format(Locale.ROOT, "`%s` with default JVM settings, the load mix at a steady %.0f msg/s over"
                        + " %d connections for %.0f minutes: %,d messages, %,d AA, %d AE, %d AR, %d timeouts, %d"
                        + " connection errors; ACK p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.0f ms (the load"
                        + " generator's, from send to ACK). Lags %s %.0f s after the load stopped.%n%n",
                r.command(), r.rate(), r.connections(), r.minutes(), load.messages(), load.aa(), load.ae(), load.ar(),
                load.timeouts(), load.connectionErrors(), load.ack().p50Ms(), load.ack().p99Ms(),
                load.ack().p999Ms(), load.ack().maxMs(), r.drained() ? "were 0" : "were still above 0",
                r.drainSeconds()));
        s.append("Trends over the run after its first tenth (least-squares slope per hour; first and last value):\n\n"
                + "| quantity | first | last | per hour |\n|---|---:|---:|---:|\n");
        for (Trend t : r.trends()) {
            s.append(String.format(Locale.ROOT, "| %s%s | %,.3f | %,.3f | %+,.3f |%n", t.what(),
                    t.unit().isEmpty() ? "" : " (" + t.unit() + ")", t.first(), t.last(), t.perHour()));
        }
        s.append("\nSamples (counts and times per window; RSS careweave/registry/PostgreSQL, disk Kafka/streams/"
                + "PostgreSQL; the last row after the drain):\n\n| min | msg/s | not AA | ACK p99 ms | heap MiB | heap"
                + " live MiB | after GC | GC % | GC pause s | threads | files | RSS MiB | outside heap MiB | cores |"
                + " disk MiB | lag | sink lag |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---:|---:|\n");
        for (Sample x : r.samples()) {
            s.append(String.format(Locale.ROOT, "| %.1f | %,.0f | %d | %.1f | %,.0f | %,.0f | %.2f | %.1f | %.2f |"
                            + " %.0f | %.0f | %d / %d / %d | %,d | %.2f | %,d / %,d / %,d | %,.0f | %,.0f |%n",
                    x.minutes(), x.messagesPerSecond(), x.notAa(), x.ackP99Ms(), x.heapUsedMib(), x.gcLiveMib(),
                    x.heapAfterGcShare(), x.gcOverheadShare() * 100, x.gcPauseSeconds(), x.threads(), x.openFiles(),
                    x.careweaveRssMib(), x.registryRssMib(), x.postgresRssMib(), x.outsideHeapMib(),
                    x.careweaveCores(), x.kafkaMib(),
                    x.streamsMib(), x.postgresMib(), x.consumerLag(), x.sinkLag()));
        }
        s.append(String.format(Locale.ROOT, "%nReproduce: `java -cp $CP org.careweave.benchmarks.memory.SoakBenchmark"
                + " --rate %.0f --minutes %.0f --connections %d`%n", r.rate(), r.minutes(), r.connections()));
        return s.toString();
    }
}
