package org.careweave.schemas.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the contract's topics that do not exist yet, with their cleanup policy, retention and partitions (the
 * deployment's setting, unless the topic fixes its own: patient.events has one). Existing topics are
 * left as they are: changing a live topic's partitions or policy is an operator's decision, not a startup side effect.
 * The one exception is a limit that only grows: an existing topic that takes records smaller than careweave writes
 * to it (hl7.raw, hl7.deadletter and person.views, created before their limit was raised) gets the larger limit where
 * careweave may set it, and a warning with the command where it may not.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    /** How long new partitions' leaders may take to answer; the admin client's own default for one request. */
    private static final Duration LEADERS_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

    private TopicProvisioner() {
    }

    /** For a cluster reached in plaintext (the embedded broker). @return the names of the topics it created */
    public static List<String> ensureTopics(String bootstrapServers, String prefix, int partitions,
                                            short replicationFactor) {
        return ensureTopics(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), prefix, partitions,
                replicationFactor);
    }

    /**
     * @param kafkaClientConfig the bootstrap servers and whatever else a client needs to reach the cluster (TLS, SASL)
     * @return the names of the topics it created
     */
    public static List<String> ensureTopics(Map<String, ?> kafkaClientConfig, String prefix, int partitions,
                                            short replicationFactor) {
        Object bootstrapServers = kafkaClientConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin admin = Admin.create(new HashMap<>(kafkaClientConfig))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?> topic : Topics.all()) {
                String name = topic.name(prefix);
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, topic.partitionsToCreate(partitions), replicationFactor)
                            .configs(topic.configs(replicationFactor)));
                }
            }
            List<String> created = new ArrayList<>();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get();
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, missing);
            raiseRecordLimits(admin, prefix, existing);
            warnOfFewInsyncReplicas(admin, prefix, existing);
            return created;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot list or create topics at " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }

    /** One request per limit for the existing topics that have one. */
    private static void raiseRecordLimits(Admin admin, String prefix, Set<String> existing)
            throws InterruptedException {
        Map<Integer, List<String>> byLimit = new TreeMap<>();
        for (Topic<?> topic : Topics.all()) {
            if (topic.maxMessageBytes() != null && existing.contains(topic.name(prefix))) {
                byLimit.computeIfAbsent(topic.maxMessageBytes(), b -> new ArrayList<>()).add(topic.name(prefix));
            }
        }
        for (Map.Entry<Integer, List<String>> limit : byLimit.entrySet()) {
            int bytes = limit.getKey();
            RecordLimits.Outcome outcome = RecordLimits.raise(admin, limit.getValue(), bytes);
            outcome.raised().forEach((raised, before) -> log.info("Raised {}'s max.message.bytes from {} to {}",
                    raised, before, bytes));
            outcome.refused().forEach((refused, why) -> log.warn("careweave could not check or raise {}'s"
                    + " max.message.bytes to {} ({}): where it is lower, a record larger than it is refused (a large"
                    + " message answered AR; a large person's view stops the processors). Run: {}", refused,
                    bytes, why, RecordLimits.command(refused, bytes)));
        }
    }

    /**
     * Warns of an existing topic that acknowledges writes on one copy where its replication factor allows two (created
     * before careweave set min.insync.replicas, on brokers keeping the default). Only a warning: changing it is the
     * operator's decision, and careweave starts without it.
     */
    private static void warnOfFewInsyncReplicas(Admin admin, String prefix, Set<String> existing)
            throws InterruptedException {
        List<String> ours = Topics.all().stream().map(t -> t.name(prefix)).filter(existing::contains).toList();
        try {
            Map<String, InsyncReplicas.Found> found = InsyncReplicas.describe(admin, ours);
            for (String topic : InsyncReplicas.tooFew(found)) {
                log.warn("{} has {} replicas but min.insync.replicas={}: a write (an AA, for hl7.raw) may be"
                        + " acknowledged while only one broker has it. Run: {}", topic,
                        found.get(topic).replicationFactor(), found.get(topic).minInsyncReplicas(),
                        InsyncReplicas.command(topic));
            }
        } catch (ExecutionException e) {
            log.warn("careweave could not check its topics' min.insync.replicas ({}); see 'Partitions' in"
                    + " docs/operations.md", e.getCause().toString());
        }
    }

    /**
     * Returns once each new partition's leader answers requests. A topic exists, and is in the metadata producers
     * read, a moment before its leader replica serves writes; an idempotent producer that wrote in that moment was seen
     * to get "not leader", then "out of order sequence" for its first batch until its delivery timeout (so ingest
     * answered AE to the first messages after start). Asking each partition for its end offset goes to the leader.
     * The admin client retries a leader that is not ready, but not a topic missing from the metadata it fetched
     * (that fails at once, and did right after the topic was created); so those are asked again here, until
     * {@link #LEADERS_TIMEOUT}.
     */
    private static void awaitLeaders(Admin admin, List<NewTopic> topics) throws ExecutionException,
            InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (NewTopic topic : topics) {
            for (int partition = 0; partition < topic.numPartitions(); partition++) {
                partitions.put(new TopicPartition(topic.name(), partition), OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + LEADERS_TIMEOUT.toNanos();
        while (true) {
            try {
                admin.listOffsets(partitions).all().get();
                return;
            } catch (ExecutionException e) {
                boolean notYet = e.getCause() instanceof UnknownTopicOrPartitionException
                        || e.getCause() instanceof LeaderNotAvailableException
                        || e.getCause() instanceof NotLeaderOrFollowerException;
                if (!notYet || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(RETRY_PAUSE.toMillis());
            }
        }
    }
}
