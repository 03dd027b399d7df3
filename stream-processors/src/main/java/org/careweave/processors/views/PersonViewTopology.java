package org.careweave.processors.views;

import java.time.Duration;
import java.util.List;
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
import org.careweave.processors.state.StateSerde;
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
     * How much of persons' states and results each store keeps deserialised, per task, by weight (see the weights
     * below). A count could not bound memory, because these values grow with a person's history: 2,000 persons of a
     * renal unit with 10,000 result versions each would hold gigabytes. The weights are set so that about as many of
     * the load generator's people as before (2,000 by count) stay cached: a person with results has about 22 versions
     * (4% of messages are reports of 5 to 40 results), a state about 2 encounters; and at most five persons with
     * 10,000 versions. At 20,000 persons per task by count a 1M-message rebuild exhausted the processors' 1 GiB heap;
     * the write-behind layer's per-commit folding does not depend on the cache.
     */
    static final long CACHED_PERSON_WEIGHT = 50_000;
    static final int STATE_BASE = 20;
    /** A number per person owed a view: small and fixed in size. */
    private static final int CACHED_PENDING = 2_000;
    /** A version and a digest per person: small and fixed in size, so many more fit. */
    private static final int CACHED_PUBLICATIONS = 20_000;

    private PersonViewTopology() {
    }

    public static void addTo(StreamsBuilder builder, KStream<String, PersonInput> routed, String prefix,
                             Map<String, ?> serdeConfig, ResultsConfig resultsConfig, Duration publishInterval,
                             Duration publishDelay, MeterRegistry metrics) {
        builder.addStateStore(WriteBehindStore.builder(PersonViewProcessor.STATES, Serdes.String(),
                AvroSerdes.specific(PersonState.class, serdeConfig, false), CACHED_PERSON_WEIGHT,
                PersonViewTopology::weight));
        builder.addStateStore(WriteBehindStore.builder(PersonViewProcessor.RESULTS, Serdes.String(),
                new StateSerde<>(PersonResults.class), CACHED_PERSON_WEIGHT, PersonViewTopology::weight));
        builder.addStateStore(WriteBehindStore.builder(PersonViewProcessor.PENDING, Serdes.String(), Serdes.Long(),
                CACHED_PENDING));
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

    /**
     * What a person's state weighs in the cache: its golden record and bookkeeping, counted as {@value #STATE_BASE}
     * entries (a golden record is several times an encounter's size), plus its entries, which grow with the person's
     * history.
     */
    static int weight(PersonState state) {
        return STATE_BASE + size(state.getEncounters()) + size(state.getAlerts()) + size(state.getPublishedResultIds())
                + size(state.getMergedPersonIds());
    }

    /** What a person's results weigh in the cache: every version kept, plus one. */
    static int weight(PersonResults results) {
        return 1 + size(results.versions());
    }

    private static int size(List<?> entries) {
        return entries == null ? 0 : entries.size();
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
