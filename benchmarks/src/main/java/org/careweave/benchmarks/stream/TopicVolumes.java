package org.careweave.benchmarks.stream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.careweave.benchmarks.common.Options;
import org.careweave.benchmarks.common.ResultFiles;

/**
 * What a running careweave has written to Kafka, per topic: records (the partitions' end offsets, which include the
 * transaction markers of every commit that wrote to the partition) and bytes on the broker's disks, each also per raw
 * message (per record of {@code <prefix>hl7.raw}). Shows where the write amplification of the pipeline is: which
 * changelogs, repartitions and outputs each message costs.
 *
 * <p>Run against a careweave that has been under load: {@code java -cp $CP
 * org.careweave.benchmarks.stream.TopicVolumes --bootstrap 127.0.0.1:9092 [--prefix careweave.] [--label L]}; writes
 * {@code topic-volumes-L-<date>.{md,json}} under {@code --out} (default benchmarks/results) when a label is given.
 * Compacted topics may have been cleaned: bytes are what is on disk now, records what was ever written.
 */
public final class TopicVolumes {

    /** One topic's volume. */
    public record Volume(String topic, int partitions, long records, long bytes) {
    }

    private TopicVolumes() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, Set.of());
        String bootstrap = options.text("bootstrap", "127.0.0.1:9092");
        String prefix = options.text("prefix", "careweave.");
        String label = options.text("label", "");
        List<Volume> volumes = measure(bootstrap);
        long raw = volumes.stream().filter(v -> v.topic().equals(prefix + "hl7.raw")).mapToLong(Volume::records)
                .findFirst().orElse(0);
        String table = table(volumes, raw);
        System.out.print(table);
        if (!label.isBlank()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("rawMessages", raw);
            json.put("topics", volumes);
            ResultFiles.write(options.out(), "topic-volumes-" + label, options.date(), json,
                    "# What careweave wrote to Kafka, per topic (" + label + ")\n\n" + table);
        }
    }

    static List<Volume> measure(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(30, TimeUnit.SECONDS);
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            topics.forEach((name, d) -> d.partitions()
                    .forEach(p -> ends.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<String, Long> records = new HashMap<>();
            admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS)
                    .forEach((tp, info) -> records.merge(tp.topic(), info.offset(), Long::sum));
            List<Integer> brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id)
                    .toList();
            Map<String, Long> bytes = new HashMap<>();
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions()
                    .get(30, TimeUnit.SECONDS).values()) {
                for (LogDirDescription dir : dirs.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                        bytes.merge(replica.getKey().topic(), replica.getValue().size(), Long::sum);
                    }
                }
            }
            List<Volume> volumes = new ArrayList<>();
            topics.forEach((name, d) -> volumes.add(new Volume(name, d.partitions().size(),
                    records.getOrDefault(name, 0L), bytes.getOrDefault(name, 0L))));
            volumes.sort(Comparator.comparingLong(Volume::bytes).reversed().thenComparing(Volume::topic));
            return volumes;
        }
    }

    private static String table(List<Volume> volumes, long raw) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%,d raw messages (records of hl7.raw)%n%n", raw));
        out.append("| topic | partitions | records | per raw message | MiB on disk | bytes per raw message |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        long totalRecords = 0;
        long totalBytes = 0;
        for (Volume v : volumes) {
            totalRecords += v.records();
            totalBytes += v.bytes();
            out.append(String.format(Locale.ROOT, "| %s | %d | %,d | %s | %,.1f | %s |%n", v.topic(), v.partitions(),
                    v.records(), perRaw(v.records(), raw, "%.2f"), v.bytes() / 1048576.0,
                    perRaw(v.bytes(), raw, "%,.0f")));
        }
        out.append(String.format(Locale.ROOT, "| **all topics** | | %,d | %s | %,.1f | %s |%n", totalRecords,
                perRaw(totalRecords, raw, "%.2f"), totalBytes / 1048576.0, perRaw(totalBytes, raw, "%,.0f")));
        return out.toString();
    }

    private static String perRaw(long amount, long raw, String format) {
        return raw == 0 ? "" : String.format(Locale.ROOT, format, amount / (double) raw);
    }
}
