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
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;

/**
 * The processors' internal state values that are Java records (identity's source records and persons, the views'
 * results, the secondary-use stream's claims and statuses), in Smile: Jackson's binary form of JSON. These are not
 * part of the public contract (topics carry Avro), so a self-describing format that follows the record types is
 * enough, and unknown fields are ignored so that a state type can grow a field without a migration.
 *
 * <p>Smile rather than JSON text: it names each field once per value and refers back to it after, and writes numbers
 * and lengths in binary. A person's results state, the largest value careweave keeps (one entry per result version,
 * each with about twenty fields), is 2.5× smaller and reads twice as fast ({@code StateSerdeTest},
 * docs/benchmarks.md). Values written as JSON text before this format (every Smile value starts with its ":)\n"
 * header, no JSON text does) are still read, so existing state stores and changelogs need no migration.
 */
public final class StateSerde<T> implements Serde<T> {

    // Instants as epoch milliseconds (careweave's precision everywhere): Jackson's default, decimal seconds with
    // nanoseconds, is parsed through BigDecimal and showed up as a hot spot in the rebuild profile.
    //
    // Field names are not canonicalised: state maps are keyed by result ids and identifiers, each seen once or twice,
    // and Jackson's symbol table filled with them (adding names was a fifth of the secondary-use stream's reading in
    // the careweave up profile).
    private static final ObjectMapper SMILE = configured(SmileMapper.builder(SmileFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build()));
    private static final ObjectMapper JSON_TEXT = configured(JsonMapper.builder(JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build()));
    private static final byte[] SMILE_HEADER = {':', ')', '\n'};

    private final Class<T> type;

    public StateSerde(Class<T> type) {
        this.type = type;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                return SMILE.writeValueAsBytes(value);
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
                return (isSmile(bytes) ? SMILE : JSON_TEXT).readValue(bytes, type);
            } catch (IOException e) {
                throw new SerializationException("Cannot read " + type.getSimpleName() + " state", e);
            }
        };
    }

    static boolean isSmile(byte[] bytes) {
        return bytes.length >= SMILE_HEADER.length && bytes[0] == SMILE_HEADER[0] && bytes[1] == SMILE_HEADER[1]
                && bytes[2] == SMILE_HEADER[2];
    }

    private static ObjectMapper configured(MapperBuilder<?, ?> builder) {
        return builder.findAndAddModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
                .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
                .build();
    }
}
