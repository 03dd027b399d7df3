package org.careweave.processors.routing;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.careweave.internal.PersonInput;
import org.careweave.internal.SourceHistory;
import org.careweave.processors.state.WriteBehindStore;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;

/**
 * identity.links + observation.events + encounter.events (all keyed by source identifier, so co-partitioned) →
 * person inputs keyed by person id.
 */
public final class SourceRoutingTopology {

    /** Histories each task keeps deserialised: an identifier's person and event count, a few dozen bytes each. */
    private static final int CACHED_HISTORIES = 20_000;
    /** Kept events are read back only when their identifier is relinked, by a scan that reads RocksDB. */
    private static final int CACHED_EVENTS = 0;

    private SourceRoutingTopology() {
    }

    public static KStream<String, PersonInput> addTo(StreamsBuilder builder, String prefix,
                                                     Map<String, ?> serdeConfig) {
        builder.addStateStore(WriteBehindStore.builder(SourceRoutingProcessor.HISTORIES, Serdes.String(),
                AvroSerdes.specific(SourceHistory.class, serdeConfig, false), CACHED_HISTORIES));
        Serde<PersonInput> inputs = AvroSerdes.specific(PersonInput.class, serdeConfig, false);
        builder.addStateStore(WriteBehindStore.builder(SourceRoutingProcessor.EVENTS, Serdes.String(), inputs,
                CACHED_EVENTS));
        List<String> sources = List.of(Topics.IDENTITY_LINKS.name(prefix), Topics.OBSERVATION_EVENTS.name(prefix),
                Topics.ENCOUNTER_EVENTS.name(prefix));
        return builder.stream(sources, Consumed.with(Serdes.String(), AvroSerdes.anySpecific(serdeConfig)))
                .process(SourceRoutingProcessor::new, SourceRoutingProcessor.HISTORIES, SourceRoutingProcessor.EVENTS)
                .repartition(Repartitioned.<String, PersonInput>as("person-inputs")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(inputs));
    }
}
