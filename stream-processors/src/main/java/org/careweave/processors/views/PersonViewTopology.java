package org.careweave.processors.views;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.avro.specific.SpecificRecord;
import org.careweave.events.PersonGolden;
import org.careweave.internal.PersonInput;
import org.careweave.internal.PersonInputKind;
import org.careweave.internal.PersonState;
import org.careweave.internal.PublishedView;
import org.careweave.processors.results.PersonResults;
import org.careweave.processors.results.ResultsConfig;
import org.careweave.processors.state.JsonSerde;
import org.careweave.processors.state.WriteBehindStore;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * person inputs (routed observations and encounters) + person.golden, both keyed by person id →
 * results.current, alerts.repeat-tests, person.views.
 */
public final class PersonViewTopology {

    static final String PROCESSOR = "person-views";
    /**
     * Persons whose state and results each store keeps deserialised, per task. Bounded by count and the values grow
     * with a person's encounters and results, so kept small: at 20,000 per task a 1M-message rebuild exhausted the
     * processors' 1 GiB heap; the write-behind layer's per-commit folding does not depend on it.
     */
    private static final int CACHED_PERSONS = 2_000;
    /** A version and a digest per person: small and fixed in size, so many more fit. */
    private static final int CACHED_PUBLICATIONS = 20_000;

    private PersonViewTopology() {
    }

    public static void addTo(StreamsBuilder builder, KStream<String, PersonInput> routed, String prefix,
                             Map<String, ?> serdeConfig, ResultsConfig resultsConfig, Duration publishInterval,
                             Duration publishDelay, MeterRegistry metrics) {
        builder.addStateStore(WriteBehindStore.builder(PersonViewProcessor.STATES, Serdes.String(),
                AvroSerdes.specific(PersonState.class, serdeConfig, false), CACHED_PERSONS));
        builder.addStateStore(WriteBehindStore.builder(PersonViewProcessor.RESULTS, Serdes.String(),
                new JsonSerde<>(PersonResults.class), CACHED_PERSONS));
        builder.addStateStore(WriteBehindStore.builder(PersonViewProcessor.PENDING, Serdes.String(), Serdes.Long(),
                CACHED_PERSONS));
        builder.addStateStore(WriteBehindStore.builder(PersonViewProcessor.PUBLISHED, Serdes.String(),
                AvroSerdes.specific(PublishedView.class, serdeConfig, false), CACHED_PUBLICATIONS));
        KStream<String, PersonInput> golden = builder.stream(Topics.PERSON_GOLDEN.name(prefix),
                        Consumed.with(Serdes.String(), AvroSerdes.specific(PersonGolden.class, serdeConfig, false)))
                .mapValues(g -> PersonInput.newBuilder().setKind(PersonInputKind.GOLDEN).setGolden(g).build());
        routed.merge(golden)
                .process(() -> new PersonViewProcessor(resultsConfig, publishInterval, publishDelay, metrics), Named.as(PROCESSOR),
                        PersonViewProcessor.STATES, PersonViewProcessor.RESULTS, PersonViewProcessor.PENDING,
                        PersonViewProcessor.PUBLISHED);
    }

    /** The processor forwards to these by name, so that tombstones (null values) still find their topic. */
    public static void addSinks(Topology topology, String prefix, Map<String, ?> serdeConfig) {
        Serializer<SpecificRecord> values = AvroSerdes.anySpecific(serdeConfig).serializer();
        Serializer<String> keys = Serdes.String().serializer();
        topology.addSink(PersonViewProcessor.RESULTS_SINK, Topics.RESULTS_CURRENT.name(prefix), keys, values,
                PROCESSOR);
        topology.addSink(PersonViewProcessor.ALERTS_SINK, Topics.ALERTS_REPEAT_TESTS.name(prefix), keys, values,
                PROCESSOR);
        topology.addSink(PersonViewProcessor.VIEWS_SINK, Topics.PERSON_VIEWS.name(prefix), keys, values, PROCESSOR);
    }
}
