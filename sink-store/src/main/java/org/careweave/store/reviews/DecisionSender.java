package org.careweave.store.reviews;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.events.ReviewDecision;
import org.careweave.schemas.registry.RegistryClientConfig;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;
import org.careweave.store.StoreEndpoints;

/**
 * Sends people's decisions on review pairs to {@code <prefix>identity.decisions}, for identity to apply. A decision
 * counts as taken only once Kafka has it on all in-sync replicas: {@link #send} waits for that.
 */
public final class DecisionSender implements AutoCloseable {

    private final String topic;
    private final Duration timeout;
    private final KafkaProducer<String, ReviewDecision> producer;

    public DecisionSender(StoreEndpoints endpoints, String topicPrefix, Duration timeout) {
        this.topic = Topics.IDENTITY_DECISIONS.name(topicPrefix);
        this.timeout = timeout;
        Map<String, Object> config = new HashMap<>(endpoints.kafka().clientConfig());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "careweave-api-decisions");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        config.put(RegistryClientConfig.SCHEMA_REGISTRY_URL, endpoints.schemaRegistryUrl());
        this.producer = new KafkaProducer<>(config, new StringSerializer(),
                AvroSerdes.specific(ReviewDecision.class, config, false).serializer());
    }

    public String topic() {
        return topic;
    }

    /**
     * Writes the decision, keyed by its pair id, and waits until Kafka acknowledged it.
     *
     * @throws DecisionNotSent when Kafka or the registry did not take it in time; nothing was decided
     */
    public void send(ReviewDecision decision) {
        try {
            producer.send(new ProducerRecord<>(topic, decision.getPairId(), decision))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DecisionNotSent("interrupted", e);
        } catch (ExecutionException e) {
            throw new DecisionNotSent(e.getCause() == null ? "failed" : e.getCause().getClass().getSimpleName(), e);
        } catch (TimeoutException e) {
            throw new DecisionNotSent("no acknowledgement within " + timeout.toSeconds() + " s", e);
        } catch (RuntimeException e) {
            // The serializer's registry lookup fails here, before the send is under way.
            throw new DecisionNotSent(e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    /** A decision Kafka did not take; the message names the failure's kind, never the decision. */
    public static final class DecisionNotSent extends RuntimeException {

        private static final long serialVersionUID = 1L;

        DecisionNotSent(String why, Throwable cause) {
            super("The decision was not written to Kafka: " + why, cause);
        }
    }
}
