package org.careweave.schemas.topics;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Finds existing topics whose writes with {@code acks=all} may be acknowledged on fewer copies than careweave would
 * create them with ({@link Topic#minInsyncReplicas}): topics created before careweave set it, or by an operator, on a
 * cluster whose brokers keep the default of 1. careweave does not change them (raising it on a live topic is an
 * operator's decision: with too few brokers up, writes stop); it says so, with the command.
 */
public final class InsyncReplicas {

    /** An existing topic's replication factor and effective {@code min.insync.replicas}. */
    public record Found(int replicationFactor, int minInsyncReplicas) {
    }

    private InsyncReplicas() {
    }

    /** The topics, of those found, that have fewer in-sync replicas than their replication factor calls for. */
    public static List<String> tooFew(Map<String, Found> found) {
        return found.entrySet().stream()
                .filter(e -> Topic.minInsyncReplicas(e.getValue().replicationFactor())
                        .stream().anyMatch(wanted -> e.getValue().minInsyncReplicas() < wanted))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** Reads the topics' replication factor and effective (the topic's, else the broker's) min.insync.replicas. */
    public static Map<String, Found> describe(Admin admin, Collection<String> topics)
            throws ExecutionException, InterruptedException {
        Map<String, Found> found = new LinkedHashMap<>();
        if (topics.isEmpty()) {
            return found;
        }
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get();
        Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get();
        for (var config : configs.entrySet()) {
            String topic = config.getKey().name();
            ConfigEntry entry = config.getValue().get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            TopicDescription description = descriptions.get(topic);
            if (entry == null || entry.value() == null || description == null || description.partitions().isEmpty()) {
                continue;
            }
            found.put(topic, new Found(description.partitions().get(0).replicas().size(),
                    Integer.parseInt(entry.value())));
        }
        return found;
    }

    /** The command an operator runs to require two copies of every acknowledged write. */
    public static String command(String topic) {
        return "kafka-configs.sh --bootstrap-server <servers> --alter --entity-type topics --entity-name " + topic
                + " --add-config " + TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG + "=2";
    }
}
