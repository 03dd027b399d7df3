package org.careweave.schemas.topics;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Raises existing topics' largest record ({@code max.message.bytes}) to what careweave writes to them; never lowers
 * it. Topics keep the limit they were created with, so a deployment from before a limit was raised (or a raised
 * setting) would otherwise refuse a large person's view or state, and stop the processors.
 */
public final class RecordLimits {

    /**
     * @param raised  topics whose limit was raised, with the limit they had
     * @param refused topics whose limit could not be read or raised, with why (e.g. no AlterConfigs ACL)
     */
    public record Outcome(Map<String, Integer> raised, Map<String, String> refused) {
    }

    private RecordLimits() {
    }

    public static Outcome raise(Admin admin, Collection<String> topics, int bytes) throws InterruptedException {
        Map<String, Integer> raised = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        if (topics.isEmpty()) {
            return new Outcome(raised, refused);
        }
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, KafkaFuture<Config>> described = admin.describeConfigs(resources).values();
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
        Map<String, Integer> before = new LinkedHashMap<>();
        for (ConfigResource resource : resources) {
            try {
                ConfigEntry entry = described.get(resource).get().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                int current = entry == null || entry.value() == null ? 0 : Integer.parseInt(entry.value());
                if (current < bytes) {
                    before.put(resource.name(), current);
                    changes.put(resource, List.of(new AlterConfigOp(new ConfigEntry(
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(bytes)), AlterConfigOp.OpType.SET)));
                }
            } catch (ExecutionException e) {
                refused.put(resource.name(), describe(e.getCause()));
            }
        }
        if (changes.isEmpty()) {
            return new Outcome(raised, refused);
        }
        for (var altered : admin.incrementalAlterConfigs(changes).values().entrySet()) {
            String topic = altered.getKey().name();
            try {
                altered.getValue().get();
                raised.put(topic, before.get(topic));
            } catch (ExecutionException e) {
                refused.put(topic, describe(e.getCause()));
            }
        }
        return new Outcome(raised, refused);
    }

    /** The command an operator runs where careweave may not change a topic's limit itself. */
    public static String command(String topic, int bytes) {
        return "kafka-configs.sh --bootstrap-server <servers> --alter --entity-type topics --entity-name " + topic
                + " --add-config " + TopicConfig.MAX_MESSAGE_BYTES_CONFIG + "=" + bytes;
    }

    private static String describe(Throwable cause) {
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
