package org.careweave.store.testing;

import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.events.PersonView;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.store.StoreEndpoints;

/** Writes person.views records as the processors would: key person id, value PersonView, null for a tombstone. */
public final class ViewProducer implements AutoCloseable {

    private final String topic;
    private final KafkaProducer<String, PersonView> views;
    private final KafkaProducer<String, byte[]> raw;

    public ViewProducer(StoreEndpoints endpoints, String topic) {
        this.topic = topic;
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                "schema.registry.url", endpoints.schemaRegistryUrl());
        this.views = new KafkaProducer<>(config, new StringSerializer(),
                AvroSerdes.specific(PersonView.class, config, false).serializer());
        this.raw = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    public RecordMetadata send(PersonView view) {
        return send(view.getPersonId(), view);
    }

    public RecordMetadata send(String key, PersonView view) {
        try {
            return views.send(new ProducerRecord<>(topic, key, view)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("send failed", e);
        }
    }

    public RecordMetadata tombstone(String personId) {
        return send(personId, null);
    }

    /** Bytes that are not a PersonView in the wire format. */
    public RecordMetadata sendRaw(String key, byte[] value) {
        try {
            return raw.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("send failed", e);
        }
    }

    @Override
    public void close() {
        views.close();
        raw.close();
    }
}
