package org.careweave.processors.identity;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Block chunks in a compact binary form: a format byte, the entry count, then each entry's source key and NHS number
 * (empty: none) as UTF-8 strings with a 4-byte length before each.
 *
 * <p>Written by hand rather than as JSON because a block is a list of up to 200 entries rewritten whenever a record
 * joins it: in the rebuild profile, serialising blocks with Jackson was the largest single cost of committing the
 * index's state. (Blocks that earlier builds wrote as JSON live under bare keys, which chunks never use: see
 * StoreBackedMpiState.)
 */
final class BlockSerde implements Serde<StoreBackedMpiState.Block> {

    private static final byte FORMAT = 2;
    private static final byte[] EMPTY = new byte[0];

    @Override
    public Serializer<StoreBackedMpiState.Block> serializer() {
        return (topic, block) -> {
            if (block == null) {
                return null;
            }
            List<String> keys = block.sourceKeys();
            List<String> numbers = block.nhsNumbers();
            byte[][] parts = new byte[keys.size() * 2][];
            int size = 1 + 4;
            for (int i = 0; i < keys.size(); i++) {
                String nhs = numbers.get(i);
                parts[2 * i] = keys.get(i).getBytes(StandardCharsets.UTF_8);
                parts[2 * i + 1] = nhs == null ? EMPTY : nhs.getBytes(StandardCharsets.UTF_8);
                size += 4 + parts[2 * i].length + 4 + parts[2 * i + 1].length;
            }
            ByteBuffer out = ByteBuffer.allocate(size);
            out.put(FORMAT).putInt(keys.size());
            for (byte[] part : parts) {
                out.putInt(part.length).put(part);
            }
            return out.array();
        };
    }

    @Override
    public Deserializer<StoreBackedMpiState.Block> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                ByteBuffer in = ByteBuffer.wrap(data);
                byte format = in.get();
                if (format != FORMAT) {
                    throw new SerializationException("Unknown block format " + format);
                }
                int size = in.getInt();
                List<String> keys = new ArrayList<>(size);
                List<String> numbers = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    keys.add(string(in));
                    String nhs = string(in);
                    numbers.add(nhs.isEmpty() ? null : nhs);
                }
                return new StoreBackedMpiState.Block(keys, numbers);
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                throw new SerializationException("Cannot read a block", e);
            }
        };
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }
}
