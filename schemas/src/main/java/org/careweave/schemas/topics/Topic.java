package org.careweave.schemas.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

import org.apache.avro.specific.SpecificRecord;

/**
 * One topic of careweave's public contract: its name (without the deployment's prefix), its value type, what its
 * key is, and how long Kafka keeps it. Keys are always strings.
 *
 * @param suffix    the name after the prefix, e.g. {@code hl7.raw}
 * @param key       what the key holds, and therefore what is ordered together
 * @param retention how long records are kept; {@code null} means forever
 * @param partitions the partitions it is created with whatever the deployment's setting; {@code null} means that
 *                   setting ({@code topic.partitions})
 * @param maxMessageBytes the largest record it is created to take ({@code max.message.bytes}); {@code null} means the
 *                   cluster's default (1 MiB unless the broker says otherwise)
 * @param maxCompactionLag for a compacted topic, the longest a superseded record (or one a tombstone removed) may stay
 *                   readable ({@code max.compaction.lag.ms}: the broker rolls the segment and cleans it by then);
 *                   {@code null} means the cluster's default, which leaves it to the segment's size or age (1 GiB, 7
 *                   days) and the cleaner's dirty ratio, months on a large, mostly stable topic
 */
public record Topic<V extends SpecificRecord>(
        String suffix,
        Class<V> valueType,
        Cleanup cleanup,
        Duration retention,
        String key,
        String description,
        Integer partitions,
        Integer maxMessageBytes,
        Duration maxCompactionLag) {

    public Topic {
        if (maxCompactionLag != null && cleanup != Cleanup.COMPACT) {
            throw new IllegalArgumentException(suffix + ": a compaction lag is for a compacted topic");
        }
    }

    /** A topic created with the deployment's number of partitions. */
    public Topic(String suffix, Class<V> valueType, Cleanup cleanup, Duration retention, String key,
                 String description) {
        this(suffix, valueType, cleanup, retention, key, description, null, null);
    }

    /** A topic the cluster compacts when it sees fit, if compacted. */
    public Topic(String suffix, Class<V> valueType, Cleanup cleanup, Duration retention, String key,
                 String description, Integer partitions, Integer maxMessageBytes) {
        this(suffix, valueType, cleanup, retention, key, description, partitions, maxMessageBytes, null);
    }

    /** The partitions to create it with, given the deployment's setting. */
    public int partitionsToCreate(int deploymentSetting) {
        return partitions == null ? deploymentSetting : partitions;
    }

    public enum Cleanup {
        /** Every record is kept until retention removes it. */
        DELETE,
        /** The latest record per key is kept; a null value (tombstone) removes the key. */
        COMPACT
    }

    /** Subject of the value schema under TopicNameStrategy. */
    public String valueSubject(String prefix) {
        return name(prefix) + "-value";
    }

    public String name(String prefix) {
        return prefix + suffix;
    }

    /**
     * The {@code min.insync.replicas} careweave gives the topics it creates (and Kafka Streams the ones it creates for
     * the processors) with this replication factor. Producers write with {@code acks=all}, which waits only for the
     * replicas in sync; with the broker's default of 1, a leader whose followers had fallen behind acknowledges alone,
     * and an AA then rests on one disk. With three replicas or more, two must have a record before it is acknowledged,
     * and one broker may still be down. With two, nothing is set: 2 would stop every write while either broker is down
     * (a rolling restart), and 1 would override a cluster that chose 2; the broker's default stands (docs/topics.md).
     * With one (embedded), there is no second copy to wait for.
     */
    public static OptionalInt minInsyncReplicas(int replicationFactor) {
        return replicationFactor >= 3 ? OptionalInt.of(2) : OptionalInt.empty();
    }

    /** Topic-level configuration set when the topic is created with this replication factor. */
    public Map<String, String> configs(short replicationFactor) {
        String retentionMs = retention == null ? "-1" : Long.toString(retention.toMillis());
        Map<String, String> configs = new HashMap<>(switch (cleanup) {
            case DELETE -> Map.of("cleanup.policy", "delete", "retention.ms", retentionMs);
            case COMPACT -> Map.of("cleanup.policy", "compact", "retention.ms", retentionMs,
                    // Tombstones must outlive the slowest consumer's catch-up, or a consumer could miss a removal.
                    "delete.retention.ms", Long.toString(Duration.ofDays(7).toMillis()));
        });
        if (maxMessageBytes != null) {
            configs.put("max.message.bytes", Integer.toString(maxMessageBytes));
        }
        if (maxCompactionLag != null) {
            configs.put("max.compaction.lag.ms", Long.toString(maxCompactionLag.toMillis()));
        }
        minInsyncReplicas(replicationFactor)
                .ifPresent(replicas -> configs.put("min.insync.replicas", Integer.toString(replicas)));
        return Map.copyOf(configs);
    }
}
