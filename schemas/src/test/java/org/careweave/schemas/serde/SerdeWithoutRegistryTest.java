package org.careweave.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** What the serdes decide before any registry call; with the registry they are tested in SerdeRegistryIT. */
class SerdeWithoutRegistryTest {

    /** Nothing listens there; none of these cases may need to. */
    private static final Map<String, String> CONFIGS = Map.of("schema.registry.url", "http://127.0.0.1:9");

    @Test
    void tombstonesStayNull() {
        try (ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>();
                ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>()) {
            serializer.configure(CONFIGS, false);
            deserializer.configure(CONFIGS, false);

            assertThat(serializer.serialize("t", null)).isNull();
            assertThat(deserializer.deserialize("t", null)).isNull();
        }
    }

    @Test
    void deserializerRefusesDataThatIsNotInTheWireFormat() {
        try (ConfluentAvroDeserializer<Object> deserializer = new ConfluentAvroDeserializer<>()) {
            deserializer.configure(CONFIGS, false);

            assertThatThrownBy(() -> deserializer.deserialize("hl7.raw", "MSH|^~\\&|".getBytes()))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("not in the Confluent wire format")
                    .hasMessageContaining("'hl7.raw'")
                    .hasMessageContaining("0x4d")
                    .hasMessageNotContaining("MSH");
        }
    }

    @Test
    void serializerRefusesWhatIsNotAnAvroRecord() {
        try (ConfluentAvroSerializer<Object> serializer = new ConfluentAvroSerializer<>()) {
            serializer.configure(CONFIGS, false);

            assertThatThrownBy(() -> serializer.serialize("t", "9990000018"))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("not an Avro record")
                    .hasMessageNotContaining("9990000018");
        }
    }

    @Test
    void subjectsFollowTopicNameStrategy() {
        ConfluentAvroSerializer<Object> values = new ConfluentAvroSerializer<>();
        values.configure(CONFIGS, false);
        ConfluentAvroSerializer<Object> keys = new ConfluentAvroSerializer<>();
        keys.configure(CONFIGS, true);

        assertThat(values.subjectName("patient.events")).isEqualTo("patient.events-value");
        assertThat(keys.subjectName("patient.events")).isEqualTo("patient.events-key");
    }

    @Test
    void usingAnUnconfiguredSerializerIsAClearError() {
        GenericData.Record record = new GenericData.Record(Schema.createRecord("R", null, "x", false, List.of()));

        assertThatThrownBy(() -> new ConfluentAvroSerializer<>().serialize("t", record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("configure()");
    }
}
