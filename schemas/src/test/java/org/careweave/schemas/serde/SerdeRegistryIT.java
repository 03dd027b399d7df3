package org.careweave.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.events.PatientEvent;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.registry.IncompatibleSchemaException;
import org.careweave.schemas.registry.RegisteredSchema;
import org.careweave.schemas.registry.RegistryUnreachableException;
import org.careweave.schemas.registry.SchemaNotFoundException;
import org.careweave.schemas.registry.SchemaRegistryClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The serdes against the real broker and the real registry (Apicurio's Confluent-compatible API, global
 * compatibility BACKWARD_TRANSITIVE). Every test uses its own topics and subjects: the platform is shared.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class SerdeRegistryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL_LIMIT = Duration.ofSeconds(30);

    private static Platform platform;

    @BeforeAll
    static void start(Platform shared) {
        platform = shared;
    }

    @Test
    void generatedRecordsTravelThroughTheBrokerAndReadBackAsSpecificAndGeneric() throws Exception {
        String topic = uniqueTopic("patient.events");
        createTopic(topic);
        List<PatientEvent> sent = List.of(
                TestEvents.patientEvent("9990000018", "MSG0001"),
                TestEvents.patientEvent("9990000026", "MSG0002"),
                TestEvents.patientEvent("9990000034", "MSG0003"));

        Map<String, Object> producerConfigs = new HashMap<>(registryConfigs());
        producerConfigs.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        producerConfigs.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfigs.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        // As an application would configure it: Kafka instantiates and configures the serializer.
        producerConfigs.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ConfluentAvroSerializer.class);
        try (KafkaProducer<String, PatientEvent> producer = new KafkaProducer<>(producerConfigs)) {
            for (PatientEvent event : sent) {
                producer.send(new ProducerRecord<>(topic, event.getNhsNumber(), event)).get();
            }
            producer.send(new ProducerRecord<>(topic, "9990000018", null)).get();
        }

        Map<String, Object> specificConfigs = new HashMap<>(registryConfigs());
        specificConfigs.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ConfluentAvroDeserializer.class);
        specificConfigs.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        List<ConsumerRecord<String, Object>> specific = consumeAll(topic, specificConfigs, null, 4);
        assertThat(specific).extracting(ConsumerRecord::value)
                .containsExactly(sent.get(0), sent.get(1), sent.get(2), null);

        Serde<GenericRecord> genericSerde = AvroSerdes.generic(registryConfigs(), false);
        List<ConsumerRecord<String, Object>> generic = consumeAll(topic, registryConfigs(), genericSerde.deserializer(),
                4);
        GenericRecord first = (GenericRecord) generic.get(0).value();
        assertThat(first).isInstanceOf(GenericData.Record.class);
        assertThat(first.getSchema().getFullName()).isEqualTo("org.careweave.events.PatientEvent");
        assertThat(first.get("nhsNumber").toString()).isEqualTo("9990000018");
        assertThat(((GenericRecord) first.get("provenance")).get("controlId").toString()).isEqualTo("MSG0001");
        assertThat(first.get("birthDate")).as("date as its underlying int, as Confluent does").isEqualTo(1);
        assertThat(generic.get(3).value()).isNull();

        SchemaRegistryClient client = SchemaRegistryClient.fromConfigs(registryConfigs());
        int registeredId = client.lookup(topic + "-value", PatientEvent.getClassSchema());
        byte[] firstValue = rawValues(topic, 1).get(0);
        assertThat(firstValue[0]).isEqualTo(WireFormat.MAGIC_BYTE);
        assertThat(ByteBuffer.wrap(firstValue, 1, 4).getInt()).isEqualTo(registeredId);
    }

    @Test
    void clientsRegisteringTheFirstSchemaOfASubjectAtOnceAllGetItsId() throws Exception {
        // Several stream threads serialising the first record of a new changelog topic do this; Apicurio answers 409
        // ("already exists") to the losers of the race, which must not fail them.
        for (int round = 0; round < 5; round++) {
            String subject = uniqueTopic("person-states-changelog") + "-value";
            int clients = 8;
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(clients);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
            try {
                List<java.util.concurrent.Future<Integer>> ids = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    SchemaRegistryClient own = SchemaRegistryClient.fromConfigs(registryConfigs());
                    ids.add(pool.submit(() -> {
                        start.await();
                        return own.register(subject, PatientEvent.getClassSchema());
                    }));
                }
                java.util.Set<Integer> distinct = new java.util.HashSet<>();
                for (java.util.concurrent.Future<Integer> id : ids) {
                    distinct.add(id.get(30, java.util.concurrent.TimeUnit.SECONDS));
                }
                assertThat(distinct).hasSize(1);
                assertThat(SchemaRegistryClient.fromConfigs(registryConfigs())
                        .lookup(subject, PatientEvent.getClassSchema())).isEqualTo(distinct.iterator().next());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void onlyTheFirstRecordOfATopicCostsRegistryCalls() {
        String topic = uniqueTopic("patient.events");
        SchemaRegistryClient client = SchemaRegistryClient.fromConfigs(registryConfigs());
        Serde<PatientEvent> serde = AvroSerdes.specific(PatientEvent.class, registryConfigs(), false);
        ConfluentAvroSerializer<PatientEvent> serializer = new ConfluentAvroSerializer<>(client);
        ConfluentAvroDeserializer<PatientEvent> deserializer = new ConfluentAvroDeserializer<>(client, PatientEvent.class);
        serializer.configure(registryConfigs(), false);
        deserializer.configure(registryConfigs(), false);

        byte[] firstBytes = serializer.serialize(topic, TestEvents.patientEvent("9990000042", "MSG0100"));
        assertThat(deserializer.deserialize(topic, firstBytes).getNhsNumber()).isEqualTo("9990000042");
        long warm = client.requestsSent();
        for (int i = 0; i < 100; i++) {
            PatientEvent event = TestEvents.patientEvent("9990000042", "MSG1" + i);
            assertThat(deserializer.deserialize(topic, serializer.serialize(topic, event))).isEqualTo(event);
        }

        assertThat(warm).as("one register; the deserializer finds the id in the shared client's cache").isEqualTo(1);
        assertThat(client.requestsSent()).isEqualTo(warm);
        assertThat(serde.deserializer().deserialize(topic, firstBytes)).isEqualTo(
                TestEvents.patientEvent("9990000042", "MSG0100"));
    }

    @Test
    void unknownSchemaIdIsAClearError() {
        ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>();
        deserializer.configure(registryConfigs(), false);
        byte[] data = ByteBuffer.allocate(7).put(WireFormat.MAGIC_BYTE).putInt(2_000_000_001).put((byte) 2)
                .put((byte) 4).array();

        assertThatThrownBy(() -> deserializer.deserialize("some.topic", data))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 2000000001")
                .hasMessageContaining("'some.topic'")
                .hasMessageContaining("404")
                .hasCauseInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void unreachableRegistryIsAClearErrorNamingTheUrlAndNotTheRecord() {
        String closed = "http://127.0.0.1:" + EmbeddedPlatformExtension.freePort();
        ConfluentAvroSerializer<PatientEvent> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", closed), false);

        assertThatThrownBy(() -> serializer.serialize("patient.events",
                TestEvents.patientEvent("9990000050", "MSG0200")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unreachable")
                .hasMessageContaining(closed)
                .hasMessageNotContaining("9990000050")
                .hasMessageNotContaining("Testpatient")
                .hasCauseInstanceOf(RegistryUnreachableException.class);
    }

    @Test
    void nextUrlIsTriedWhenOneIsUnreachable() {
        String closed = "http://127.0.0.1:" + EmbeddedPlatformExtension.freePort();
        ConfluentAvroSerializer<PatientEvent> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", closed + "," + platform.schemaRegistryUrl()), false);

        byte[] bytes = serializer.serialize(uniqueTopic("patient.events"), TestEvents.patientEvent("9990000069", "M1"));

        assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
    }

    @Test
    void incompatibleSchemaIsRefusedNamingTheSubject() {
        String topic = uniqueTopic("patient.events");
        ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(registryConfigs(), false);
        serializer.serialize(topic, TestEvents.patientEvent("9990000077", "MSG0300"));
        // Same record name, but trigger is now an int: old data (a string) could not be read.
        Schema incompatible = new Schema.Parser().parse("""
                {"type": "record", "name": "PatientEvent", "namespace": "org.careweave.events",
                  "fields": [{"name": "trigger", "type": "int"}]}""");
        GenericRecord record = new GenericRecordBuilder(incompatible).set("trigger", 8).build();

        assertThatThrownBy(() -> serializer.serialize(topic, record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("409")
                .hasMessageContaining("Incompatible")
                .hasMessageContaining("'" + topic + "-value'")
                .cause().isInstanceOfSatisfying(IncompatibleSchemaException.class,
                        e -> assertThat(e.subject()).isEqualTo(topic + "-value"));
    }

    @Test
    void withoutAutoRegistrationOnlyRegisteredSchemasAreWritten() {
        String topic = uniqueTopic("patient.events");
        Map<String, Object> configs = new HashMap<>(registryConfigs());
        configs.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
        ConfluentAvroSerializer<PatientEvent> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(configs, false);
        PatientEvent event = TestEvents.patientEvent("9990000085", "MSG0400");

        assertThatThrownBy(() -> serializer.serialize(topic, event))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not registered under subject '" + topic + "-value'")
                .hasMessageContaining("auto.register.schemas is false")
                .hasCauseInstanceOf(SchemaNotFoundException.class);

        int id = SchemaRegistryClient.fromConfigs(registryConfigs()).register(topic + "-value",
                PatientEvent.getClassSchema());
        assertThat(ByteBuffer.wrap(serializer.serialize(topic, event), 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void useLatestVersionWritesRecordsAsTheLatestRegisteredVersion() {
        String topic = uniqueTopic("patient.events");
        String subject = topic + "-value";
        SchemaRegistryClient admin = SchemaRegistryClient.fromConfigs(registryConfigs());
        admin.register(subject, PatientEvent.getClassSchema());
        Schema v2 = withField(PatientEvent.getClassSchema(), field -> {
            field.put("name", "preferredLanguage");
            field.putArray("type").add("null").add("string");
            field.putNull("default");
        });
        int v2Id = admin.register(subject, v2);

        Map<String, Object> configs = new HashMap<>(registryConfigs());
        configs.put(AvroSerdeConfig.USE_LATEST_VERSION, true);
        ConfluentAvroSerializer<PatientEvent> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(configs, false);
        PatientEvent event = TestEvents.patientEvent("9990000093", "MSG0500");

        byte[] bytes = serializer.serialize(topic, event);

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(v2Id);
        ConfluentAvroDeserializer<Object> generic = new ConfluentAvroDeserializer<>();
        generic.configure(registryConfigs(), false);
        GenericRecord asV2 = (GenericRecord) generic.deserialize(topic, bytes);
        assertThat(asV2.getSchema().getField("preferredLanguage")).isNotNull();
        assertThat(asV2.get("preferredLanguage")).isNull();
        assertThat(asV2.get("nhsNumber").toString()).isEqualTo("9990000093");
        Deserializer<PatientEvent> specific = AvroSerdes.specific(PatientEvent.class, registryConfigs(), false)
                .deserializer();
        assertThat(specific.deserialize(topic, bytes)).isEqualTo(event);
    }

    @Test
    void useLatestVersionRefusesALatestVersionThatCannotHoldTheRecord() {
        String topic = uniqueTopic("patient.events");
        Schema needsWard = withField(PatientEvent.getClassSchema(), field -> field.put("name", "ward").put("type",
                "string"));
        SchemaRegistryClient.fromConfigs(registryConfigs()).register(topic + "-value", needsWard);
        Map<String, Object> configs = new HashMap<>(registryConfigs());
        configs.put(AvroSerdeConfig.USE_LATEST_VERSION, "true");
        ConfluentAvroSerializer<PatientEvent> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(configs, false);

        assertThatThrownBy(() -> serializer.serialize(topic, TestEvents.patientEvent("9990000107", "MSG0600")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("use.latest.version")
                .hasMessageContaining("PatientEvent.ward")
                .hasMessageNotContaining("9990000107");
    }

    @Test
    void clientAnswersAndErrorsFromTheRealRegistry() {
        SchemaRegistryClient client = SchemaRegistryClient.fromConfigs(registryConfigs());
        String subject = uniqueTopic("client") + "-value";

        assertThatThrownBy(() -> client.latest(subject))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.isUnknownSubject()).isTrue())
                .hasMessageContaining(subject);
        assertThatThrownBy(() -> client.lookup(subject, PatientEvent.getClassSchema()))
                .isInstanceOf(SchemaNotFoundException.class);

        int id = client.register(subject, PatientEvent.getClassSchema());
        SchemaRegistryClient fresh = SchemaRegistryClient.fromConfigs(registryConfigs());
        assertThat(fresh.schemaById(id)).isEqualTo(PatientEvent.getClassSchema());
        assertThat(fresh.lookup(subject, PatientEvent.getClassSchema())).isEqualTo(id);
        RegisteredSchema latest = fresh.latest(subject);
        assertThat(latest.id()).isEqualTo(id);
        assertThat(latest.version()).isEqualTo(1);
        assertThat(latest.schema()).isEqualTo(PatientEvent.getClassSchema());
    }

    private static Map<String, Object> registryConfigs() {
        return Map.of("schema.registry.url", platform.schemaRegistryUrl());
    }

    private static String uniqueTopic(String prefix) {
        return "it." + prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", platform.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    /** Reads at least {@code count} records from the start of {@code topic} with a fresh consumer group. */
    private static List<ConsumerRecord<String, Object>> consumeAll(String topic, Map<String, Object> configs,
            Deserializer<?> valueDeserializer, int count) {
        Map<String, Object> consumerConfigs = new HashMap<>(configs);
        consumerConfigs.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        consumerConfigs.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        consumerConfigs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfigs.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        @SuppressWarnings("unchecked")
        Deserializer<Object> values = (Deserializer<Object>) valueDeserializer;
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfigs, new StringDeserializer(),
                values)) {
            return poll(consumer, topic, count);
        }
    }

    private static List<byte[]> rawValues(String topic, int count) {
        Map<String, Object> consumerConfigs = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfigs, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return poll(consumer, topic, count).stream().map(ConsumerRecord::value).toList();
        }
    }

    private static <K, V> List<ConsumerRecord<K, V>> poll(KafkaConsumer<K, V> consumer, String topic, int count) {
        consumer.subscribe(List.of(topic));
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + POLL_LIMIT.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        assertThat(records).as("records read from %s within %s", topic, POLL_LIMIT).hasSizeGreaterThanOrEqualTo(count);
        return records;
    }

    /** {@code schema} with one more field, as {@code describe} fills it in. */
    private static Schema withField(Schema schema, Consumer<ObjectNode> describe) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(schema.toString());
            describe.accept(((ArrayNode) root.get("fields")).addObject());
            return new Schema.Parser().parse(JSON.writeValueAsString(root));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
