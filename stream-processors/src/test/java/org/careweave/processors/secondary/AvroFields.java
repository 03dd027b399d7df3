package org.careweave.processors.secondary;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/** Every value of an Avro record, found generically over all fields, recursively, as text with its path. */
public final class AvroFields {

    public record Leaf(String path, String text) {
    }

    private AvroFields() {
    }

    public static List<Leaf> leaves(IndexedRecord record) {
        List<Leaf> out = new ArrayList<>();
        walk(record.getSchema().getName(), record, out);
        return out;
    }

    private static void walk(String path, Object value, List<Leaf> out) {
        if (value == null) {
            return;
        }
        if (value instanceof IndexedRecord record) {
            for (Schema.Field field : record.getSchema().getFields()) {
                walk(path + "." + field.name(), record.get(field.pos()), out);
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.add(new Leaf(path + "{key}", String.valueOf(e.getKey())));
                walk(path + "{" + e.getKey() + "}", e.getValue(), out);
            }
        } else if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(path + "[" + i++ + "]", item, out);
            }
        } else if (value instanceof ByteBuffer bytes) {
            out.add(new Leaf(path, StandardCharsets.UTF_8.decode(bytes.duplicate()).toString()));
        } else {
            // Strings, numbers, booleans, enums, dates and instants: their text is what a reader would see.
            out.add(new Leaf(path, value.toString()));
        }
    }
}
