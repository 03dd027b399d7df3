package org.careweave.benchmarks.stream;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a Kafka Streams application is behind on its input topics: end offset minus committed offset, per
 * partition. Its source topics are the named ones plus its own repartition topics. A topic written transactionally
 * ends each transaction with a marker that the application never "processes", so there a lag of 1 means drained.
 */
final class ConsumerLag implements AutoCloseable {

    /** Total lag, and whether every partition counts as drained. */
    record Lag(long records, boolean drained, long committed) {
    }

    private final Admin admin;

    ConsumerLag(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * @param sources           the application's source topics (besides its repartition topics)
     * @param nonTransactional  source topics written without transactions, where drained means lag 0
     */
    Lag of(String applicationId, List<String> sources, Set<String> nonTransactional)
            throws ExecutionException, InterruptedException {
        Set<String> topics = admin.listTopics().names().get().stream()
                .filter(t -> sources.contains(t) || (t.startsWith(applicationId + "-") && t.endsWith("-repartition")))
                .collect(Collectors.toSet());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
                description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()),
                        OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get();
        long total = 0;
        long committedTotal = 0;
        boolean drained = true;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
            long end = e.getValue().offset();
            OffsetAndMetadata c = committed.get(e.getKey());
            long at = c == null ? 0 : c.offset();
            long lag = Math.max(0, end - at);
            total += lag;
            committedTotal += at;
            long allowed = nonTransactional.contains(e.getKey().topic()) ? 0 : 1;
            if (lag > allowed) {
                drained = false;
            }
        }
        return new Lag(total, drained, committedTotal);
    }

    @Override
    public void close() {
        admin.close();
    }
}
