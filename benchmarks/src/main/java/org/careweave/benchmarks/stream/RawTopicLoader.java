package org.careweave.benchmarks.stream;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.benchmarks.load.GeneratedMessage;
import org.careweave.benchmarks.load.InventedPeople;
import org.careweave.benchmarks.load.MessageFactory;
import org.careweave.events.RawMessage;
import org.careweave.schemas.serde.ConfluentAvroSerializer;

/**
 * Fills hl7.raw with N generated messages (the load generator's mix and people) as careweave's ingest would have
 * archived them, keyed by sending facility, so that the stream processors can be timed on a rebuild.
 */
final class RawTopicLoader {

    private RawTopicLoader() {
    }

    /** @return seconds it took to produce them */
    static double load(String bootstrap, String registryUrl, String topic, long messages, int population, long seed) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put("schema.registry.url", registryUrl);
        ConfluentAvroSerializer<SpecificRecord> values = new ConfluentAvroSerializer<>();
        values.configure(props, false);
        MessageFactory factory = new MessageFactory(InventedPeople.of(population, seed), seed, 0);
        long t0 = System.nanoTime();
        Instant start = Instant.now();
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(),
                values)) {
            for (long i = 0; i < messages; i++) {
                GeneratedMessage message = factory.next("RB" + i, i);
                // Spread received-at over the run as a live feed would, a millisecond apart.
                RawMessage raw = RawRecords.of(message, start.plusMillis(i));
                producer.send(new ProducerRecord<>(topic, raw.getSendingFacility(), raw));
            }
            producer.flush();
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
