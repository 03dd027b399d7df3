package org.careweave.processors.identity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.careweave.processors.state.JsonSerde;

/**
 * Blocks in a compact binary form: a format byte, the entry count, then each entry's source key and NHS number
 * (empty: none) as length-prefixed strings.
 *
 * <p>Written by hand rather than as JSON because a block is a list of up to 200 entries rewritten whenever a record
 * joins it: in the rebuild profile, serialising blocks with Jackson was the largest single cost of committing the
 * index's state. Blocks written as JSON by earlier versions (they start with '{') are still read.
 */
final class BlockSerde implements Serde<StoreBackedMpiState.Block> {

    private static final byte FORMAT = 1;
    private static final JsonSerde<StoreBackedMpiState.Block> JSON = new JsonSerde<>(StoreBackedMpiState.Block.class);

    @Override
    public Serializer<StoreBackedMpiState.Block> serializer() {
        return (topic, block) -> {
            if (block == null) {
                return null;
            }
            List<String> keys = block.sourceKeys();
            List<String> numbers = block.nhsNumbers();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + keys.size() * 32);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT);
                out.writeInt(keys.size());
                for (int i = 0; i < keys.size(); i++) {
                    out.writeUTF(keys.get(i));
                    String nhs = numbers == null ? null : numbers.get(i);
                    out.writeUTF(nhs == null ? "" : nhs);
                }
            } catch (IOException e) {
                throw new SerializationException("Cannot write a block", e);
            }
            return bytes.toByteArray();
        };
    }

    @Override
    public Deserializer<StoreBackedMpiState.Block> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            if (data.length > 0 && data[0] == '{') {
                return JSON.deserializer().deserialize(topic, data);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                byte format = in.readByte();
                if (format != FORMAT) {
                    throw new SerializationException("Unknown block format " + format);
                }
                int size = in.readInt();
                List<String> keys = new ArrayList<>(size);
                List<String> numbers = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    keys.add(in.readUTF());
                    String nhs = in.readUTF();
                    numbers.add(nhs.isEmpty() ? null : nhs);
                }
                return new StoreBackedMpiState.Block(keys, numbers);
            } catch (IOException e) {
                throw new SerializationException("Cannot read a block", e);
            }
        };
    }
}
