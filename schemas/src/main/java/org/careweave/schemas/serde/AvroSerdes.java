package org.careweave.schemas.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.careweave.schemas.registry.SchemaRegistryClient;

/**
 * Ready-configured {@link Serde}s in the Confluent wire format, e.g. for Kafka Streams:
 * <pre>{@code
 * Serde<PatientEvent> patients = AvroSerdes.specific(PatientEvent.class, streamsConfig, false);
 * }</pre>
 * The serializer and deserializer of one serde share one registry client and so its caches.
 */
public final class AvroSerdes {

    private AvroSerdes() {}

    /** A serde for a generated class; {@code configs} need at least {@code schema.registry.url}. */
    public static <T extends SpecificRecord> Serde<T> specific(Class<T> type, Map<String, ?> configs, boolean isKey) {
        SchemaRegistryClient client = SchemaRegistryClient.fromConfigs(configs);
        Serde<T> serde = Serdes.serdeFrom(new ConfluentAvroSerializer<>(client),
                new ConfluentAvroDeserializer<>(client, type));
        serde.configure(configs, isKey);
        return serde;
    }

    /** A serde for {@link GenericRecord}s, read in the writer's schema. */
    public static Serde<GenericRecord> generic(Map<String, ?> configs, boolean isKey) {
        SchemaRegistryClient client = SchemaRegistryClient.fromConfigs(configs);
        Map<String, Object> genericConfigs = new HashMap<>(configs);
        genericConfigs.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
        Serde<GenericRecord> serde = Serdes.serdeFrom(new ConfluentAvroSerializer<>(client),
                new ConfluentAvroDeserializer<>(client, null));
        serde.configure(genericConfigs, isKey);
        return serde;
    }

    /**
     * One serde for topics or streams that carry several event types: each record is written with its own schema and
     * read back as the generated class its writer schema names.
     */
    public static Serde<SpecificRecord> anySpecific(Map<String, ?> configs) {
        SchemaRegistryClient client = SchemaRegistryClient.fromConfigs(configs);
        Map<String, Object> specificConfigs = new HashMap<>(configs);
        specificConfigs.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        Serde<SpecificRecord> serde = Serdes.serdeFrom(new ConfluentAvroSerializer<>(client),
                new ConfluentAvroDeserializer<>(client, null));
        serde.configure(specificConfigs, false);
        return serde;
    }
}
