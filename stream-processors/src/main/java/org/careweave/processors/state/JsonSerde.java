package org.careweave.processors.state;

import java.io.IOException;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON for the processors' internal state stores. These are not part of the public contract (topics carry Avro),
 * so a self-describing format that follows the record types is enough, and unknown fields are ignored so that a
 * state type can grow a field without a migration.
 */
public final class JsonSerde<T> implements Serde<T> {

    // Instants as epoch milliseconds (careweave's precision everywhere): Jackson's default, decimal seconds with
    // nanoseconds, is parsed through BigDecimal and showed up as a hot spot in the rebuild profile.
    //
    // Field names are not canonicalised: state maps are keyed by result ids and identifiers, each seen once or twice,
    // and Jackson's symbol table filled with them (adding names was a fifth of the secondary-use stream's reading in
    // the careweave up profile).
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                    .build())
            .findAndAddModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .build();

    private final Class<T> type;

    public JsonSerde(Class<T> type) {
        this.type = type;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                return MAPPER.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new SerializationException("Cannot write " + type.getSimpleName() + " state", e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return MAPPER.readValue(bytes, type);
            } catch (IOException e) {
                throw new SerializationException("Cannot read " + type.getSimpleName() + " state", e);
            }
        };
    }
}
