package org.careweave.benchmarks.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.benchmarks.common.ChildJvm;
import org.careweave.benchmarks.common.Machine;
import org.careweave.benchmarks.common.Options;
import org.careweave.benchmarks.common.ProcessCpu;
import org.careweave.benchmarks.common.ResultFiles;
import org.careweave.events.PersonView;
import org.careweave.platform.Directories;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;

/**
 * Throughput of the view sink alone: fill {@code person.views} with N views, then time sink-store's
 * {@code SinkService} (in a JVM of its own) from start until its stored positions reach the end of the topic.
 *
 * <pre>
 * mvn -o -q -pl benchmarks package -DskipTests
 * mvn -o -q -pl sink-store dependency:build-classpath -Dmdep.outputFile=target/runtime-classpath.txt \
 *     -Dmdep.includeScope=runtime
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt):sink-store/target/classes:$(cat \
 *     sink-store/target/runtime-classpath.txt) org.careweave.benchmarks.store.SinkThroughput \
 *     --views 50000 --persons 20000 [--partitions 3] [--poll-records 500] [--label before]
 * </pre>
 *
 * <p>The benchmarks module does not depend on sink-store, so the sink under test is the one compiled in
 * sink-store/target/classes (put on the class path as above). The platform (Kafka, registry, PostgreSQL) runs in a
 * child JVM; views/s is N over the time from the sink's start (after its schema migration) to caught up. CPU is the
 * sink JVM's and PostgreSQL's (the postmaster and its backends, which include the sink's connections).
 */
public final class SinkThroughput {

    private static final String PREFIX = "bench.";
    private static final Duration CATCH_UP = Duration.ofMinutes(5);

    private SinkThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, Set.of());
        int views = options.integer("views", 50_000);
        int persons = options.integer("persons", 20_000);
        int partitions = options.integer("partitions", 3);
        int pollRecords = options.integer("poll-records", 500);
        String label = options.text("label", "run");
        // An experiment: drop these indexes (comma-separated) as soon as the sink has migrated, to measure their cost.
        String dropIndexes = options.text("drop-indexes", "");
        // Extra options for the sink's JVM, e.g. a JFR recording: --sink-jvm-args -XX:StartFlightRecording=...
        String sinkJvmArgs = options.text("sink-jvm-args", "");
        Path logs = Path.of("benchmarks/target/logs");
        try {
            Class.forName("org.careweave.store.views.SinkService");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("sink-store is not on the class path: see SinkThroughput's javadoc");
        }
        Machine machine = Machine.now();
        Path dataDir = Files.createTempDirectory("careweave-sink-bench-");
        String topic = Topics.PERSON_VIEWS.name(PREFIX);
        try (ChildJvm platform = ChildJvm.start(StorePlatformServer.class.getName(),
                List.of("-Xms512m", "-Xmx1g", "-XX:+UseG1GC"),
                List.of(dataDir.toString(), PREFIX, Integer.toString(partitions)), logs.resolve("sink-platform.log"),
                Duration.ofMinutes(3))) {
            String bootstrap = platform.readyValues().get(0);
            String registry = platform.readyValues().get(1);
            String serverUrl = platform.readyValues().get(2);
            String user = platform.readyValues().get(3);

            List<ThroughputViews.Record> records = ThroughputViews.generate(20_260_101L, persons, views);
            long results = records.stream().filter(r -> r.view() != null)
                    .mapToLong(r -> r.view().getResults().size()).sum();
            long tombstones = records.stream().filter(r -> r.view() == null).count();
            long produceStart = System.nanoTime();
            produce(bootstrap, registry, topic, records);
            double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
            System.out.printf(Locale.ROOT, "Produced %d records (%d tombstones, %.1f results per view) in %.1f s%n",
                    views, tombstones, results / (double) (views - tombstones), produceSeconds);

            String jdbcUrl = freshDatabase(serverUrl, user, "sinkbench");
            long postmaster = postmasterPid(dataDir.resolve("postgres"));
            long pgCpuBefore = treeCpuNanos(postmaster);
            long start = System.nanoTime();
            double seconds;
            long sinkCpu;
            long pgCpu;
            Map<String, Long> rows;
            List<String> jvmArgs = new java.util.ArrayList<>(List.of("-Xms256m", "-Xmx512m"));
            if (!sinkJvmArgs.isBlank()) {
                jvmArgs.addAll(List.of(sinkJvmArgs.split(" ")));
            }
            try (ChildJvm sink = ChildJvm.start(SinkChild.class.getName(), jvmArgs,
                    List.of(bootstrap, registry, jdbcUrl, user, PREFIX, Integer.toString(pollRecords)),
                    logs.resolve("sink-" + label + ".log"), Duration.ofMinutes(2))) {
                if (!dropIndexes.isBlank()) {
                    try (Connection c = DriverManager.getConnection(jdbcUrl, user, "");
                         Statement st = c.createStatement()) {
                        for (String index : dropIndexes.split(",")) {
                            st.execute("DROP INDEX " + index.strip());
                        }
                    }
                }
                long ready = System.nanoTime();
                long sinkCpuAtReady = sink.cpuNanos();
                long pgCpuAtReady = treeCpuNanos(postmaster);
                awaitCaughtUp(jdbcUrl, user, topic, views);
                seconds = (System.nanoTime() - ready) / 1e9;
                sinkCpu = sink.cpuNanos() - sinkCpuAtReady;
                pgCpu = treeCpuNanos(postmaster) - pgCpuAtReady;
                System.out.printf(Locale.ROOT, "Sink started in %.1f s (migration included)%n", (ready - start) / 1e9);
                rows = counts(jdbcUrl, user);
            }
            double rate = views / seconds;
            machine = machine.finished();
            String md = String.format(Locale.ROOT, """
                    ## Sink throughput (%s)

                    %d person.views records for %d persons over %d partitions (%d tombstones, %.1f results per view),
                    written by SinkService (poll records %d) into an empty embedded PostgreSQL%s.

                    | views/s | seconds | sink CPU s | PostgreSQL CPU s | CPU ms per 1,000 views (sink + PG) |
                    |---:|---:|---:|---:|---:|
                    | %.0f | %.1f | %.1f | %.1f | %.0f |

                    Rows at the end: %s

                    Machine: %s
                    """, label, views, persons, partitions, tombstones, results / (double) (views - tombstones),
                    pollRecords, dropIndexes.isBlank() ? "" : " without the indexes " + dropIndexes, rate, seconds, sinkCpu / 1e9, pgCpu / 1e9,
                    (sinkCpu + pgCpu) / 1e6 / (views / 1000.0), rows, machine.describe());
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("label", label);
            raw.put("views", views);
            raw.put("persons", persons);
            raw.put("partitions", partitions);
            raw.put("pollRecords", pollRecords);
            raw.put("droppedIndexes", dropIndexes);
            raw.put("tombstones", tombstones);
            raw.put("results", results);
            raw.put("seconds", seconds);
            raw.put("viewsPerSecond", rate);
            raw.put("sinkCpuSeconds", sinkCpu / 1e9);
            raw.put("postgresCpuSeconds", pgCpu / 1e9);
            raw.put("rows", rows);
            raw.put("machine", machine);
            ResultFiles.write(options.out(), "sink-throughput-" + label, options.date(), raw, md);
            if (pgCpuBefore < 0) {
                System.out.println("(PostgreSQL CPU could not be read)");
            }
        } finally {
            Directories.deleteQuietly(dataDir);
        }
    }

    private static void produce(String bootstrap, String registry, String topic, List<ThroughputViews.Record> records)
            throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                "schema.registry.url", registry);
        try (KafkaProducer<String, PersonView> producer = new KafkaProducer<>(config, new StringSerializer(),
                AvroSerdes.specific(PersonView.class, config, false).serializer())) {
            for (ThroughputViews.Record r : records) {
                producer.send(new ProducerRecord<>(topic, r.key(), r.view()));
            }
            producer.flush();
        }
    }

    private static String freshDatabase(String serverUrl, String user, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(serverUrl, user, ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
        int slash = serverUrl.lastIndexOf('/');
        int query = serverUrl.indexOf('?', slash);
        return serverUrl.substring(0, slash + 1) + name + (query < 0 ? "" : serverUrl.substring(query));
    }

    private static void awaitCaughtUp(String jdbcUrl, String user, String topic, long total) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, "")) {
            while (System.nanoTime() < deadline) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT coalesce(sum(next_offset), 0) FROM sink_position WHERE topic = '"
                             + topic + "'")) {
                    rs.next();
                    if (rs.getLong(1) >= total) {
                        return;
                    }
                } catch (SQLException e) {
                    // The sink has not created its tables yet.
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the sink did not catch up within " + CATCH_UP);
    }

    private static Map<String, Long> counts(String jdbcUrl, String user) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, ""); Statement s = c.createStatement()) {
            for (String table : List.of("person_view", "person_identifier", "encounter", "result", "result_source",
                    "person_redirect", "person_removed", "sink_skipped_record")) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private static long postmasterPid(Path pgData) {
        try {
            return Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).strip());
        } catch (Exception e) {
            return -1;
        }
    }

    /** CPU of a process and its live descendants (PostgreSQL: the postmaster, its backends and workers). */
    private static long treeCpuNanos(long pid) {
        if (pid < 0) {
            return -1;
        }
        return ProcessHandle.of(pid).map(p -> ProcessCpu.nanos(p.pid())
                + p.descendants().mapToLong(d -> ProcessCpu.nanos(d.pid())).sum()).orElse(-1L);
    }
}
