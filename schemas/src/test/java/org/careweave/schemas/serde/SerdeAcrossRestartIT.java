package org.careweave.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.events.PatientEvent;
import org.careweave.platform.EmbeddedPlatform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records written through the serde before the whole embedded platform restarts still decode after it: topics,
 * offsets and, above all, the registry's schema ids survive on the data dir.
 */
class SerdeAcrossRestartIT {

    @TempDir
    Path dataDir;

    @Test
    void recordsWrittenBeforeARestartDecodeAfterIt() {
        PlatformConfig config = EmbeddedPlatformExtension.freshEmbeddedConfig(dataDir);
        String topic = Topics.PATIENT_EVENTS.name(Topics.DEFAULT_PREFIX);
        List<PatientEvent> written = List.of(
                TestEvents.patientEvent("9990000018", "RESTART-1"),
                TestEvents.patientEvent("9990000026", "RESTART-2"),
                TestEvents.patientEvent("9990000034", "RESTART-3"));

        try (EmbeddedPlatform platform = EmbeddedPlatform.start(config, line -> { })) {
            List<String> created = TopicProvisioner.ensureTopics(platform.bootstrapServers(), Topics.DEFAULT_PREFIX,
                    1, (short) 1);
            assertThat(created).hasSize(Topics.all().size());
            try (KafkaProducer<String, PatientEvent> producer = producer(platform)) {
                for (PatientEvent event : written) {
                    producer.send(new ProducerRecord<>(topic, event.getProvenance().getControlId(), event));
                }
                producer.flush();
            }
        }

        try (EmbeddedPlatform platform = EmbeddedPlatform.start(config, line -> { })) {
            assertThat(TopicProvisioner.ensureTopics(platform.bootstrapServers(), Topics.DEFAULT_PREFIX, 1,
                    (short) 1)).as("topics created again after restart").isEmpty();
            try (KafkaConsumer<String, PatientEvent> consumer = consumer(platform, topic)) {
                List<PatientEvent> read = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (read.size() < written.size() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, PatientEvent> r : consumer.poll(Duration.ofMillis(200))) {
                        read.add(r.value());
                    }
                }
                assertThat(read).containsExactlyElementsOf(written);
            }
        }
    }

    private static KafkaProducer<String, PatientEvent> producer(EmbeddedPlatform platform) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        ConfluentAvroSerializer<PatientEvent> values = new ConfluentAvroSerializer<>();
        values.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl()), false);
        return new KafkaProducer<>(p, new StringSerializer(), values);
    }

    private static KafkaConsumer<String, PatientEvent> consumer(EmbeddedPlatform platform, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "serde-restart");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ConfluentAvroDeserializer<PatientEvent> values = new ConfluentAvroDeserializer<>();
        values.configure(Map.of("schema.registry.url", platform.schemaRegistryUrl(), "specific.avro.reader", true),
                false);
        KafkaConsumer<String, PatientEvent> consumer = new KafkaConsumer<>(p, new StringDeserializer(), values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
