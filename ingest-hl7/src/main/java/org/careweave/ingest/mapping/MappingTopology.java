package org.careweave.ingest.mapping;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.careweave.events.EncounterEvent;
import org.careweave.events.ObservationEvent;
import org.careweave.events.PatientEvent;
import org.careweave.events.RawMessage;
import org.careweave.events.RejectedMessage;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * hl7.raw → patient.events, encounter.events, observation.events; a message that cannot be mapped → hl7.deadletter.
 * Reads top to bottom like the data flow. Run with exactly-once processing, so each raw record's events (and its
 * dead-letter record, if any) are written once, together with the consumer offset.
 */
public final class MappingTopology {

    static final String SOURCE = "raw-messages";
    static final String MAPPER = "map-to-events";
    static final String SEEN_STORE = "seen-raw-messages";
    static final String PATIENTS = "patient-events";
    static final String ENCOUNTERS = "encounter-events";
    static final String OBSERVATIONS = "observation-events";
    static final String DEAD_LETTERS = "dead-letters";

    private MappingTopology() {
    }

    /**
     * @param serdeConfig   at least {@code schema.registry.url}
     * @param resendWindow  how long a verbatim resend is recognised (and produces no new events)
     */
    public static Topology build(String prefix, Map<String, ?> serdeConfig, RawMessageMapper mapper,
                                 Duration resendWindow, MeterRegistry metrics) {
        return build(prefix, prefix, raw -> true, serdeConfig, mapper, resendWindow, metrics);
    }

    /**
     * Replay's form: reads {@code sourcePrefix}'s raw topic, maps only what {@code selected} accepts, and writes to
     * {@code targetPrefix}'s topics (the same prefix to re-derive into the live topics).
     */
    public static Topology build(String sourcePrefix, String targetPrefix, Predicate<RawMessage> selected,
                                 Map<String, ?> serdeConfig, RawMessageMapper mapper, Duration resendWindow,
                                 MeterRegistry metrics) {
        String prefix = targetPrefix;
        var raw = AvroSerdes.specific(RawMessage.class, serdeConfig, false);
        var patients = AvroSerdes.specific(PatientEvent.class, serdeConfig, false);
        var encounters = AvroSerdes.specific(EncounterEvent.class, serdeConfig, false);
        var observations = AvroSerdes.specific(ObservationEvent.class, serdeConfig, false);
        var rejected = AvroSerdes.specific(RejectedMessage.class, serdeConfig, false);
        var keys = Serdes.String();

        Topology topology = new Topology();
        topology.addSource(SOURCE, keys.deserializer(), raw.deserializer(), Topics.HL7_RAW.name(sourcePrefix));
        topology.addProcessor(MAPPER, () -> new MappingProcessor(mapper, resendWindow, selected, metrics), SOURCE);
        FunctionCounter.builder("careweave.mapping.hapi.reads", mapper, RawMessageMapper::hapiReads)
                .description("Messages mapped after a full HAPI parse, because the light reader could not answer for"
                        + " them (escape sequences in values it reads, unusual segments); each costs 5-10 times more")
                .register(metrics);
        // Keyed by message id; the raw topic is keyed by facility, which is part of the id, so every copy of a
        // message meets the same store partition.
        topology.addStateStore(Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(SEEN_STORE, resendWindow, resendWindow, false),
                        Serdes.String(), Serdes.Long()),
                MAPPER);
        topology.addSink(PATIENTS, Topics.PATIENT_EVENTS.name(prefix), keys.serializer(), patients.serializer(),
                MAPPER);
        topology.addSink(ENCOUNTERS, Topics.ENCOUNTER_EVENTS.name(prefix), keys.serializer(),
                encounters.serializer(), MAPPER);
        topology.addSink(OBSERVATIONS, Topics.OBSERVATION_EVENTS.name(prefix), keys.serializer(),
                observations.serializer(), MAPPER);
        topology.addSink(DEAD_LETTERS, Topics.HL7_DEADLETTER.name(prefix), keys.serializer(), rejected.serializer(),
                MAPPER);
        return topology;
    }
}
