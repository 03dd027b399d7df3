package org.careweave.schemas.serde;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.careweave.schemas.compat.SchemaCompatibility;
import org.careweave.schemas.registry.SchemaRegistryClient;
import org.careweave.schemas.registry.SchemaRegistryException;

/**
 * Reads records in the Confluent wire format: checks the magic byte, fetches the writer's schema by id (once per
 * id), and decodes into
 * <ul>
 *   <li>the generated class, when built for one ({@link AvroSerdes}) or with {@code specific.avro.reader=true} (the
 *       class named by the writer schema's full name, e.g. {@code org.careweave.events.PatientEvent}): the class's
 *       schema is the reader schema, so records written by older or newer compatible versions read fine;</li>
 *   <li>otherwise a {@link org.apache.avro.generic.GenericRecord} in the writer's schema (logical types as their
 *       underlying long/int, as Confluent's deserializer does by default).</li>
 * </ul>
 * Null data is read as null (a tombstone). Every failure is a {@link SerializationException} naming the topic and
 * schema id, never record content.
 */
public class ConfluentAvroDeserializer<T> implements Deserializer<T> {

    private final Map<Integer, DatumReader<Object>> readersBySchemaId = new ConcurrentHashMap<>();
    private final boolean clientInjected;
    private final Class<? extends SpecificRecord> targetType;
    private SchemaRegistryClient client;
    private boolean specificReader;
    private SpecificData classFinder;

    /** For Kafka to instantiate from {@code value.deserializer}; the registry client is built in {@link #configure}. */
    public ConfluentAvroDeserializer() {
        this.clientInjected = false;
        this.targetType = null;
    }

    /**
     * Shares {@code client}; reads into {@code targetType} when given (whatever {@code specific.avro.reader} says),
     * else as configured. {@link #configure} must still be called.
     */
    public ConfluentAvroDeserializer(SchemaRegistryClient client, Class<? extends SpecificRecord> targetType) {
        this.client = client;
        this.clientInjected = true;
        this.targetType = targetType;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = AvroSerdeConfig.fromConfigs(configs);
        this.specificReader = targetType != null || config.specificAvroReader();
        if (!clientInjected) {
            this.client = SchemaRegistryClient.fromConfigs(configs);
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        this.classFinder = new SpecificData(loader != null ? loader : getClass().getClassLoader());
        readersBySchemaId.clear();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (client == null || classFinder == null) {
            throw new SerializationException("ConfluentAvroDeserializer used before configure(): schema.registry.url unknown");
        }
        int schemaId = WireFormat.schemaId(topic, data);
        DatumReader<Object> reader = readersBySchemaId.get(schemaId);
        if (reader == null) {
            reader = newReader(topic, schemaId);
            readersBySchemaId.putIfAbsent(schemaId, reader);
        }
        try {
            return (T) reader.read(null, DecoderFactory.get()
                    .binaryDecoder(data, WireFormat.HEADER_LENGTH, data.length - WireFormat.HEADER_LENGTH, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not decode a record on topic '" + topic + "' written with schema id "
                    + schemaId + ": " + AvroFailures.describe(e), AvroFailures.withoutContent(e));
        }
    }

    private DatumReader<Object> newReader(String topic, int schemaId) {
        Schema writerSchema;
        try {
            writerSchema = client.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Could not get writer schema id " + schemaId + " for a record on topic '"
                    + topic + "': " + e.getMessage(), e);
        }
        if (!specificReader || writerSchema.getType() != Schema.Type.RECORD) {
            return new GenericDatumReader<>(writerSchema, writerSchema, GenericData.get());
        }
        Class<?> type = targetType != null ? targetType : classFinder.getClass(writerSchema);
        if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
            throw new SerializationException("specific.avro.reader: no generated class " + writerSchema.getFullName()
                    + " on the classpath for schema id " + schemaId + " (topic '" + topic + "')");
        }
        SpecificData model = SpecificData.getForClass(type);
        Schema readerSchema = model.getSchema(type);
        // Checked here, once per id, so that a mismatch reads as an explanation rather than an AvroTypeException per record.
        List<String> problems = SchemaCompatibility.whyCannotRead(readerSchema, writerSchema);
        if (!problems.isEmpty()) {
            throw new SerializationException(type.getName() + " cannot read records on topic '" + topic
                    + "' written with schema id " + schemaId + " (" + writerSchema.getFullName() + "): "
                    + String.join("; ", problems));
        }
        return new SpecificDatumReader<>(writerSchema, readerSchema, model);
    }
}
