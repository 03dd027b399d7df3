package org.careweave.optout;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.events.OptOut;
import org.careweave.kafka.TopicSnapshot;
import org.careweave.platform.Platform;
import org.careweave.schemas.registry.RegistryClientConfig;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;

/**
 * Makes the compacted optout topic hold exactly the list in a file: reads the topic as a table, then, in one
 * transaction, adds the new numbers, updates changed dates and tombstones the numbers no longer listed (which
 * re-admits those people to the secondary-use stream). Loading the same file twice changes nothing.
 */
public final class OptOutLoader {

    /** The loader's transactional id: this and the list's topic name. */
    public static final String TRANSACTIONAL_ID_PREFIX = "careweave-optout-load-";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final Platform platform;
    private final String topic;
    private final Map<String, Object> serdeConfig;

    public OptOutLoader(Platform platform, String topicPrefix) {
        this.platform = platform;
        this.topic = Topics.OPTOUT.name(topicPrefix);
        this.serdeConfig = Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
    }

    /** What the topic holds now: NHS number → recorded date (null when none), tombstones applied. */
    public Map<String, LocalDate> current() {
        Map<String, LocalDate> current = new HashMap<>();
        // Read committed: an unfinished load is not read half-way.
        for (ConsumerRecord<String, OptOut> r : TopicSnapshot.read(platform.kafka().clientConfig(), topic,
                new StringDeserializer(), AvroSerdes.specific(OptOut.class, serdeConfig, false).deserializer(),
                READ_TIMEOUT)) {
            if (r.value() == null) {
                current.remove(r.key());
            } else {
                current.put(r.key(), r.value().getRecordedDate());
            }
        }
        return current;
    }

    /**
     * Applies the changes in one transaction: consumers reading committed records see the old list or the new one,
     * never half of it, and a second loader running at the same time is fenced off.
     *
     * @param removals whether to send the removals (false keeps everyone currently listed)
     */
    public void apply(OptOutChanges changes, Map<String, LocalDate> list, boolean removals, Instant loadedAt) {
        Properties p = new Properties();
        p.putAll(platform.kafka().clientConfig());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID_PREFIX + topic);
        try (KafkaProducer<String, OptOut> producer = new KafkaProducer<>(p, new StringSerializer(),
                AvroSerdes.specific(OptOut.class, serdeConfig, false).serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            try {
                List<String> upserts = new ArrayList<>(changes.added());
                upserts.addAll(changes.updated());
                for (String nhsNumber : upserts) {
                    OptOut optOut = OptOut.newBuilder().setNhsNumber(nhsNumber)
                            .setRecordedDate(list.get(nhsNumber)).setLoadedAt(loadedAt).build();
                    producer.send(new ProducerRecord<>(topic, nhsNumber, optOut));
                }
                if (removals) {
                    for (String nhsNumber : changes.removed()) {
                        producer.send(new ProducerRecord<>(topic, nhsNumber, null));
                    }
                }
                producer.commitTransaction();
            } catch (RuntimeException e) {
                producer.abortTransaction();
                throw e;
            }
        }
    }
}
