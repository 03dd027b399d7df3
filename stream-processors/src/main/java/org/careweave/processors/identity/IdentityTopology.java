package org.careweave.processors.identity;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.careweave.events.IdentityLink;
import org.careweave.events.IdentityReview;
import org.careweave.events.PatientEvent;
import org.careweave.events.PersonGolden;
import org.careweave.events.ReviewDecision;
import org.careweave.processors.identity.matching.Matcher;
import org.careweave.processors.state.StateSerde;
import org.careweave.processors.state.WriteBehindStore;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * patient.events and identity.decisions → (one partition) → master patient index → identity.links, person.golden,
 * identity.review.
 *
 * <p>Why one partition: "who is this patient?" is a question about all records at once. A record from one hospital
 * must be compared with candidates from every other, and an NHS number or a merge can join persons whose records
 * arrived on different partitions. Splitting the index by key would miss those links or need a distributed
 * protocol; a single ordered writer keeps decisions deterministic and replayable. Everything before it (ingest,
 * mapping) and after it (results, views, keyed by person) scales by partitions.
 *
 * <p>careweave creates patient.events with one partition, and identity then reads it as it is. A deployment whose
 * patient.events has more (created before careweave fixed it at one; careweave never changes an existing topic) is
 * read through a one-partition repartition topic, as before: one more exactly-once hop (50-130 ms more from AA to
 * the view at the median, at 200-400 msg/s) and a second write of every patient event.
 */
public final class IdentityTopology {

    private IdentityTopology() {
    }

    /** How identity reads patient.events. */
    public enum Input {
        /** The topic has one partition: its one task is identity's. */
        DIRECT,
        /** More partitions: their records are first copied to a one-partition repartition topic. */
        REPARTITIONED;

        public static Input forPartitions(int partitions) {
            return partitions == 1 ? DIRECT : REPARTITIONED;
        }
    }

    public static void addTo(StreamsBuilder builder, String prefix, Map<String, ?> serdeConfig, Matcher matcher,
                             MeterRegistry metrics, Input input) {
        addTo(builder, prefix, serdeConfig, matcher, metrics, input, Input.DIRECT);
    }

    /**
     * @param decisionsInput how identity reads identity.decisions: careweave creates it with one partition, read as
     *                       it is; a topic with more (made by hand) is copied to a one-partition topic first, so that
     *                       decisions reach the one task that holds the index
     */
    public static void addTo(StreamsBuilder builder, String prefix, Map<String, ?> serdeConfig, Matcher matcher,
                             MeterRegistry metrics, Input input, Input decisionsInput) {
        Serde<PatientEvent> patients = AvroSerdes.specific(PatientEvent.class, serdeConfig, false);
        Serde<ReviewDecision> decisionSerde = AvroSerdes.specific(ReviewDecision.class, serdeConfig, false);
        Serde<SpecificRecord> outputs = AvroSerdes.anySpecific(serdeConfig);

        int cached = StoreBackedMpiState.CACHED;
        // Every new record's source key, identifiers and blocking keys are looked up before they exist: those stores
        // keep a filter of their keys so that such lookups are answered without RocksDB.
        builder.addStateStore(WriteBehindStore.builderWithKeyFilter(StoreBackedMpiState.SOURCE_RECORDS,
                Serdes.String(), new StateSerde<>(SourceRecord.class), cached));
        builder.addStateStore(WriteBehindStore.builderWithKeyFilter(StoreBackedMpiState.LINKS, Serdes.String(),
                Serdes.String(), cached));
        builder.addStateStore(WriteBehindStore.builder(StoreBackedMpiState.PERSONS, Serdes.String(),
                new StateSerde<>(Person.class), cached));
        builder.addStateStore(WriteBehindStore.builderWithKeyFilter(StoreBackedMpiState.BLOCKS, Serdes.String(),
                new BlockSerde(), StoreBackedMpiState.CACHED_BLOCK_WEIGHT, StoreBackedMpiState::weight));
        builder.addStateStore(WriteBehindStore.builder(StoreBackedMpiState.COUNTERS, Serdes.String(), Serdes.Long(),
                16));
        builder.addStateStore(WriteBehindStore.builder(StoreBackedMpiState.REVIEWS, Serdes.String(), Serdes.Long(),
                1_000));
        builder.addStateStore(WriteBehindStore.builder(StoreBackedMpiState.DECISIONS, Serdes.String(),
                Serdes.String(), 1_000));
        builder.addStateStore(WriteBehindStore.builder(StoreBackedMpiState.REVIEW_PAIRS, Serdes.String(),
                Serdes.String(), 1_000));
        // Looked up for every identifier whose link changes, and nearly always missing.
        builder.addStateStore(WriteBehindStore.builderWithKeyFilter(StoreBackedMpiState.REVIEW_RECORDS,
                Serdes.String(), Serdes.String(), 1_000));
        // Looked up for every new record, and nearly always missing: the key filter answers without RocksDB.
        builder.addStateStore(WriteBehindStore.builderWithKeyFilter(StoreBackedMpiState.DIFFERENT, Serdes.String(),
                Serdes.String(), 1_000));

        // A person decides a review elsewhere and sends the decision to identity.decisions; the queue is every
        // distinct pair raised and not decided yet.
        AtomicLong openReviews = new AtomicLong();
        Gauge.builder("careweave.identity.reviews.open", openReviews, AtomicLong::get)
                .description("Pairs waiting for a person to decide").register(metrics);
        String links = Topics.IDENTITY_LINKS.name(prefix);
        String golden = Topics.PERSON_GOLDEN.name(prefix);
        String review = Topics.IDENTITY_REVIEW.name(prefix);
        KStream<String, PatientEvent> events = inOneTask(builder, Topics.PATIENT_EVENTS.name(prefix), patients, input,
                "identity-input");
        KStream<String, ReviewDecision> decisions = inOneTask(builder, Topics.IDENTITY_DECISIONS.name(prefix),
                decisionSerde, decisionsInput, "identity-decisions");
        // Both one-partition streams feed the one task that holds the index, so a decision is applied in order with
        // the patient events around it.
        KStream<String, SpecificRecord> inputs = events.<SpecificRecord>mapValues(e -> e)
                .merge(decisions.mapValues(d -> d));
        // One index per processor: it keeps recently compared records and is not shared between threads.
        inputs.process(() -> new IdentityProcessor(new MasterPatientIndex(matcher), metrics, openReviews),
                        StoreBackedMpiState.SOURCE_RECORDS, StoreBackedMpiState.LINKS, StoreBackedMpiState.PERSONS,
                        StoreBackedMpiState.BLOCKS, StoreBackedMpiState.COUNTERS, StoreBackedMpiState.REVIEWS,
                        StoreBackedMpiState.DECISIONS, StoreBackedMpiState.DIFFERENT,
                        StoreBackedMpiState.REVIEW_PAIRS, StoreBackedMpiState.REVIEW_RECORDS)
                .to((key, value, context) -> value instanceof IdentityLink ? links
                                : value instanceof PersonGolden ? golden
                                : value instanceof IdentityReview ? review
                                : unexpected(value),
                        Produced.with(Serdes.String(), outputs));
    }

    /** A topic read as it is when it has one partition, otherwise through a one-partition repartition topic. */
    private static <V> KStream<String, V> inOneTask(StreamsBuilder builder, String topic, Serde<V> values, Input input,
                                                    String repartitionName) {
        KStream<String, V> stream = builder.stream(topic, Consumed.with(Serdes.String(), values));
        if (input == Input.DIRECT) {
            return stream;
        }
        return stream.repartition(Repartitioned.<String, V>as(repartitionName).withNumberOfPartitions(1)
                .withKeySerde(Serdes.String()).withValueSerde(values));
    }

    private static String unexpected(Object value) {
        throw new IllegalStateException("identity produced an unexpected record type "
                + (value == null ? "null" : value.getClass().getSimpleName()));
    }
}
