package org.careweave.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro binary encoding of
 * the record.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id: where the Avro body starts. */
    public static final int HEADER_LENGTH = 5;

    private WireFormat() {}

    /** The 5 bytes that precede the Avro body of a record written with schema {@code schemaId}. */
    public static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /**
     * The schema id of a record in the wire format.
     *
     * @throws SerializationException when {@code data} is not in the wire format; the message names the topic and the
     *     first byte only, never the content
     */
    public static int schemaId(String topic, byte[] data) {
        if (data.length == 0) {
            throw new SerializationException("Record on topic '" + topic
                    + "' is empty: not in the Confluent wire format (magic byte 0, 4-byte schema id, Avro body)");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Record on topic '%s' is not in the Confluent wire format: first byte is 0x%02x, expected magic byte 0x00",
                    topic, data[0] & 0xff));
        }
        if (data.length < HEADER_LENGTH) {
            throw new SerializationException("Record on topic '" + topic + "' is too short for the Confluent wire format: "
                    + data.length + " bytes, the header alone is " + HEADER_LENGTH);
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }
}
