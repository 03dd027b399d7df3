package org.careweave.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.careweave.platform.KafkaConnection;

/**
 * {@code careweave.consumer.lag{group,topic}}: how many records each Kafka Streams application is behind the end of
 * each topic it reads, from the group's committed offsets, every 15 seconds. Measured from outside the application,
 * so a stuck or crashed processor still shows its lag growing.
 */
final class ConsumerLagMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLagMetrics.class);

    private final Admin admin;
    private final List<String> groups;
    private final MultiGauge lag;
    private final ScheduledExecutorService timer;

    private ConsumerLagMetrics(Admin admin, List<String> groups, MultiGauge lag) {
        this.admin = admin;
        this.groups = List.copyOf(groups);
        this.lag = lag;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "careweave-consumer-lag");
            t.setDaemon(true);
            return t;
        });
    }

    static ConsumerLagMetrics start(KafkaConnection kafka, List<String> groups, MeterRegistry metrics) {
        Admin admin = Admin.create(kafka.clientConfig());
        MultiGauge gauge = MultiGauge.builder("careweave.consumer.lag")
                .description("Records behind the end of each input topic, per Kafka Streams application")
                .register(metrics);
        ConsumerLagMetrics lag = new ConsumerLagMetrics(admin, groups, gauge);
        lag.timer.scheduleWithFixedDelay(lag::measure, 5, 15, TimeUnit.SECONDS);
        return lag;
    }

    private void measure() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (String group : groups) {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                Map<String, Long> byTopic = new HashMap<>();
                admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, end) -> {
                    OffsetAndMetadata c = committed.get(tp);
                    long behind = Math.max(0, end.offset() - (c == null ? 0 : c.offset()));
                    byTopic.merge(tp.topic(), behind, Long::sum);
                });
                byTopic.forEach((topic, behind) -> rows.add(MultiGauge.Row.of(Tags.of("group", group,
                        "topic", topic), behind)));
            } catch (Exception e) {
                log.debug("Consumer lag of {} not measured: {}", group, e.getClass().getSimpleName());
            }
        }
        lag.register(rows, true);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close();
    }
}
