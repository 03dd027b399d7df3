package org.careweave.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes out of careweave's stream groups the members that a careweave killed outright left behind, before the new
 * one joins. Kafka keeps a member until its session times out (45 s), and holds the group's partitions for it: after
 * a crash and a restart, mapping and the processors did nothing for about a minute while ingest already accepted
 * messages. Only for `careweave up`: its broker and data dir are its own (the data dir's lock keeps a second careweave
 * out), so every member found at its start is one it left; a shared cluster's groups may hold live members of
 * other instances, and are never touched.
 */
final class AbandonedMembers {

    private static final Logger log = LoggerFactory.getLogger(AbandonedMembers.class);

    private AbandonedMembers() {
    }

    /** @return how many members were taken out of each group that had any */
    static Map<String, Integer> remove(Map<String, Object> adminConfig, List<String> groups) {
        Map<String, Integer> removed = new LinkedHashMap<>();
        try (Admin admin = Admin.create(adminConfig)) {
            Map<String, KafkaFuture<ConsumerGroupDescription>> described = admin.describeConsumerGroups(groups)
                    .describedGroups();
            for (Map.Entry<String, KafkaFuture<ConsumerGroupDescription>> group : described.entrySet()) {
                int members;
                try {
                    members = group.getValue().get(30, TimeUnit.SECONDS).members().size();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof GroupIdNotFoundException) {
                        continue; // never started here: nobody to take out
                    }
                    throw e;
                }
                if (members == 0) {
                    continue;
                }
                // No members named: every member of the group, dynamic ones included (KIP-571).
                admin.removeMembersFromConsumerGroup(group.getKey(), new RemoveMembersFromConsumerGroupOptions())
                        .all().get(30, TimeUnit.SECONDS);
                removed.put(group.getKey(), members);
                log.info("Took {} member(s) left by an earlier run out of group {}", members, group.getKey());
            }
        } catch (ExecutionException | TimeoutException e) {
            // Not worth failing the start over: the members time out on their own within a minute.
            log.warn("Could not look for members left by an earlier run ({}); the stream processors start once they"
                    + " time out", e.getCause() == null ? e.getClass().getSimpleName()
                    : e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return removed;
    }
}
