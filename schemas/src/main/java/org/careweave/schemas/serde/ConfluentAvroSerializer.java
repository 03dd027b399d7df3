package org.careweave.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.careweave.schemas.compat.SchemaCompatibility;
import org.careweave.schemas.registry.RegisteredSchema;
import org.careweave.schemas.registry.SchemaNotFoundException;
import org.careweave.schemas.registry.SchemaRegistryClient;
import org.careweave.schemas.registry.SchemaRegistryException;

/**
 * Writes Avro records ({@link SpecificRecord}s such as the generated {@code org.careweave.events} classes, or
 * {@link org.apache.avro.generic.GenericRecord}s) in the Confluent wire format, with the subject named by
 * TopicNameStrategy: {@code <topic>-value}, or {@code <topic>-key} for keys.
 *
 * <p>Which schema id a record gets, by {@link AvroSerdeConfig}:
 * <ul>
 *   <li>{@code auto.register.schemas=true} (default): the record's schema is registered (the registry refuses it if
 *       it breaks the subject's compatibility rule);</li>
 *   <li>{@code use.latest.version=true}: the subject's latest version, provided it can read the record's schema; the
 *       record is then written as that version;</li>
 *   <li>otherwise: the id of the record's schema, which must already be registered.</li>
 * </ul>
 * Ids are cached per topic and schema, so only the first record of each pays for an HTTP call. A null record is
 * written as null (a tombstone). Every failure is a {@link SerializationException} whose message names the topic,
 * subject and schema, never record content.
 */
public class ConfluentAvroSerializer<T> implements Serializer<T> {

    private record TopicSchema(String topic, Schema schema) {}

    private record WriterKey(Class<?> type, Schema schema) {}

    private record ProjectionKey(WriterKey writer, int targetId) {}

    private static final ThreadLocal<BinaryEncoder> ENCODERS = new ThreadLocal<>();

    private final Map<TopicSchema, Integer> idsByTopicSchema = new ConcurrentHashMap<>();
    private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final Map<ProjectionKey, Projection> projections = new ConcurrentHashMap<>();
    private final boolean clientInjected;
    private SchemaRegistryClient client;
    private AvroSerdeConfig config;
    private boolean isKey;

    /** For Kafka to instantiate from {@code value.serializer}; the registry client is built in {@link #configure}. */
    public ConfluentAvroSerializer() {
        this.clientInjected = false;
    }

    /** Shares {@code client} (and its caches) with other serdes; {@link #configure} must still be called. */
    public ConfluentAvroSerializer(SchemaRegistryClient client) {
        this.client = client;
        this.clientInjected = true;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.fromConfigs(configs);
        this.isKey = isKey;
        if (!clientInjected) {
            this.client = SchemaRegistryClient.fromConfigs(configs);
        }
        idsByTopicSchema.clear();
        projections.clear();
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (config == null) {
            throw new SerializationException("ConfluentAvroSerializer used before configure(): schema.registry.url unknown");
        }
        if (!(data instanceof GenericContainer record)) {
            throw new SerializationException("Cannot write a " + data.getClass().getName() + " to topic '" + topic
                    + "': not an Avro record (SpecificRecord or GenericRecord)");
        }
        Schema schema = record.getSchema();
        WriterKey writerKey = new WriterKey(data.getClass(), schema);
        String subject = subjectName(topic);
        if (config.useLatestVersion()) {
            return writeAsLatest(topic, subject, data, writerKey);
        }
        int id = idFor(topic, subject, schema);
        return encode(topic, id, data, writers.computeIfAbsent(writerKey, ConfluentAvroSerializer::newWriter));
    }

    /** TopicNameStrategy. */
    String subjectName(String topic) {
        return topic + (isKey ? "-key" : "-value");
    }

    private int idFor(String topic, String subject, Schema schema) {
        TopicSchema key = new TopicSchema(topic, schema);
        Integer cached = idsByTopicSchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id;
        try {
            id = config.autoRegisterSchemas() ? client.register(subject, schema) : client.lookup(subject, schema);
        } catch (SchemaNotFoundException e) {
            throw new SerializationException("Schema " + schema.getFullName() + " is not registered under subject '"
                    + subject + "' (topic '" + topic + "') and auto.register.schemas is false: register it first. "
                    + e.getMessage(), e);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Could not get a schema id for " + schema.getFullName() + " on topic '"
                    + topic + "' (subject '" + subject + "'): " + e.getMessage(), e);
        }
        idsByTopicSchema.put(key, id);
        return id;
    }

    private byte[] writeAsLatest(String topic, String subject, T data, WriterKey writerKey) {
        RegisteredSchema latest;
        try {
            latest = client.latest(subject); // cached by the client for latest.cache.ttl.sec
        } catch (SchemaRegistryException e) {
            throw new SerializationException("use.latest.version: could not get the latest schema of subject '" + subject
                    + "' (topic '" + topic + "'): " + e.getMessage(), e);
        }
        if (latest.schema().equals(writerKey.schema())) {
            return encode(topic, latest.id(), data, writers.computeIfAbsent(writerKey, ConfluentAvroSerializer::newWriter));
        }
        Projection projection = projections.computeIfAbsent(new ProjectionKey(writerKey, latest.id()),
                key -> Projection.create(topic, writerKey, latest));
        return encode(topic, latest.id(), projection.toTarget(topic, data), projection.targetWriter());
    }

    private static byte[] encode(String topic, int schemaId, Object data, DatumWriter<Object> writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(WireFormat.header(schemaId));
        writeBody(topic, data, writer, out);
        return out.toByteArray();
    }

    private static void writeBody(String topic, Object data, DatumWriter<Object> writer, ByteArrayOutputStream out) {
        try {
            // Buffered, and reused per thread: the direct encoder wrote byte by byte into the (synchronised) stream,
            // a visible cost in the processors' profile, where every output record passes through here.
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODERS.get());
            ENCODERS.set(encoder);
            writer.write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            String schemaName = data instanceof GenericContainer c ? c.getSchema().getFullName() : "?";
            throw new SerializationException("Could not write a " + schemaName + " record to topic '" + topic + "': "
                    + AvroFailures.describe(e), AvroFailures.withoutContent(e));
        }
    }

    private static DatumWriter<Object> newWriter(WriterKey key) {
        return modelFor(key.type()).createDatumWriter(key.schema());
    }

    /** Generated classes carry their own model, with the conversions for their logical types (Instant, LocalDate). */
    private static GenericData modelFor(Class<?> type) {
        return SpecificRecord.class.isAssignableFrom(type) ? SpecificData.getForClass(type) : GenericData.get();
    }

    /**
     * Rewrites a record as another, compatible schema by Avro schema resolution: written with its own schema, read back
     * as the target. Only used with use.latest.version when the record's schema is not the latest version itself.
     */
    private record Projection(DatumWriter<Object> sourceWriter, GenericDatumReader<Object> reader,
            DatumWriter<Object> targetWriter) {

        static Projection create(String topic, WriterKey source, RegisteredSchema target) {
            List<String> problems = SchemaCompatibility.whyCannotRead(target.schema(), source.schema());
            if (!problems.isEmpty()) {
                throw new SerializationException("use.latest.version: " + source.schema().getFullName()
                        + " records cannot be written as version " + target.version() + " (id " + target.id() + ") of subject '"
                        + target.subject() + "' (topic '" + topic + "'), which cannot read them: " + String.join("; ", problems));
            }
            return new Projection(newWriter(source),
                    new GenericDatumReader<>(source.schema(), target.schema(), GenericData.get()),
                    new GenericDatumWriter<>(target.schema(), GenericData.get()));
        }

        Object toTarget(String topic, Object data) {
            ByteArrayOutputStream own = new ByteArrayOutputStream(256);
            writeBody(topic, data, sourceWriter, own);
            try {
                return reader.read(null, DecoderFactory.get().binaryDecoder(own.toByteArray(), null));
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("use.latest.version: could not convert a record for topic '" + topic
                        + "' to the latest schema: " + AvroFailures.describe(e), AvroFailures.withoutContent(e));
            }
        }
    }
}
