package org.careweave.review;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.events.IdentityReview;
import org.careweave.events.ReviewDecision;
import org.careweave.events.ReviewVerdict;
import org.careweave.kafka.TopicSnapshot;
import org.careweave.platform.Platform;
import org.careweave.schemas.keys.ReviewPairIds;
import org.careweave.schemas.registry.RegistryClientConfig;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;

/**
 * The identity review queue as a person works it: the pairs identity.review holds open, and a decision on one (or a
 * separation of two records linked by mistake) sent to identity.decisions for identity to apply.
 */
public final class ReviewQueue {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Platform platform;
    private final String reviewTopic;
    private final String decisionTopic;
    private final Map<String, Object> serdeConfig;

    public ReviewQueue(Platform platform, String topicPrefix) {
        this.platform = platform;
        this.reviewTopic = Topics.IDENTITY_REVIEW.name(topicPrefix);
        this.decisionTopic = Topics.IDENTITY_DECISIONS.name(topicPrefix);
        this.serdeConfig = Map.of(RegistryClientConfig.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
    }

    /** Every pair's latest review (the topic read as a table), oldest raised first. */
    public List<IdentityReview> reviews() {
        Map<String, IdentityReview> latest = new LinkedHashMap<>();
        for (ConsumerRecord<String, IdentityReview> r : TopicSnapshot.read(platform.kafka().clientConfig(),
                reviewTopic, new StringDeserializer(),
                AvroSerdes.specific(IdentityReview.class, serdeConfig, false).deserializer(), TIMEOUT)) {
            if (r.value() == null) {
                latest.remove(r.key());
            } else {
                latest.put(r.key(), r.value());
            }
        }
        return latest.values().stream().sorted(Comparator.comparing(IdentityReview::getRaisedAt)).toList();
    }

    public List<IdentityReview> open() {
        return reviews().stream().filter(IdentityReview::getOpen).toList();
    }

    public Optional<IdentityReview> review(String pairId) {
        return reviews().stream().filter(r -> r.getPairId().equals(pairId)).findFirst();
    }

    /** Sends the decision on an open review; returns it as sent. Identity applies it, or logs why it refused. */
    public ReviewDecision decide(IdentityReview review, ReviewVerdict verdict, String decidedBy, String note,
                                 Instant at) {
        return send(review.getPairId(), review.getLeftIdentifier(), review.getRightIdentifier(), verdict, decidedBy,
                note, at);
    }

    /**
     * Sends a decision that two records found on one person are different patients: identity moves {@code record}
     * to a person of its own, or logs why it refused.
     */
    public ReviewDecision separate(String record, String other, String decidedBy, String note, Instant at) {
        return send(separationPairId(record, other), record, other, ReviewVerdict.DIFFERENT_PERSONS, decidedBy, note,
                at);
    }

    /**
     * Sends a decision that two records on different persons are one patient, where no review named them (matching
     * missed them): identity merges their persons, the younger into the older, or logs why it refused.
     */
    public ReviewDecision link(String record, String other, String decidedBy, String note, Instant at) {
        return send(ReviewPairIds.link(record, other), record, other, ReviewVerdict.SAME_PERSON, decidedBy, note, at);
    }

    private ReviewDecision send(String pairId, String left, String right, ReviewVerdict verdict, String decidedBy,
                                String note, Instant at) {
        ReviewDecision decision = ReviewDecision.newBuilder()
                .setPairId(pairId)
                .setLeftIdentifier(left)
                .setRightIdentifier(right)
                .setVerdict(verdict)
                .setDecidedBy(decidedBy)
                .setDecidedAt(at)
                .setNote(note)
                .build();
        Properties p = new Properties();
        p.putAll(platform.kafka().clientConfig());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, ReviewDecision> producer = new KafkaProducer<>(p, new StringSerializer(),
                AvroSerdes.specific(ReviewDecision.class, serdeConfig, false).serializer())) {
            producer.send(new ProducerRecord<>(decisionTopic, pairId, decision))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending the decision", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The decision could not be written to " + decisionTopic + ": "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
        return decision;
    }

    /**
     * The pair id of a decision no review asked for (separating two records found linked by mistake): stable, so
     * that sending it twice is one decision, and apart from the ids identity gives the pairs it raises.
     */
    public static String separationPairId(String record, String other) {
        return ReviewPairIds.separation(record, other);
    }
}
