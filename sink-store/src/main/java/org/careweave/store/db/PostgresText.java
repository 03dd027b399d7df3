package org.careweave.store.db;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Text as PostgreSQL can hold it. PostgreSQL stores no NUL character (U+0000): a text column refuses it (SQLSTATE
 * 22021) and a JSONB document its escape {@code \u0000} (22P05), so one NUL anywhere in a record, from a garbled
 * message, would stop the sink that writes it. The sinks store each NUL as U+FFFD, the replacement character, which
 * shows where something was that could not be kept; removing it instead would join the text around it silently ("A",
 * NUL, "B" would become another name, "AB").
 */
public final class PostgresText {

    public static final char NUL = '\u0000';
    public static final char REPLACEMENT = '\uFFFD';

    private PostgresText() {
    }

    /** The text with each NUL replaced; the same instance when it has none. */
    public static String withoutNul(String text) {
        return text == null || text.indexOf(NUL) < 0 ? text : text.replace(NUL, REPLACEMENT);
    }

    /**
     * The record with each NUL in its text (at any depth: nested records, lists, maps) replaced; the same instance
     * when it has none, which is nearly always, so a record is copied only when it must be changed.
     */
    public static <T extends IndexedRecord> T withoutNul(T record) {
        if (record == null || !holdsNul(record)) {
            return record;
        }
        Schema schema = record.getSchema();
        T copy = SpecificData.getForSchema(schema).deepCopy(schema, record);
        replaceIn(copy);
        return copy;
    }

    private static boolean holdsNul(Object value) {
        if (value instanceof CharSequence text) {
            return text.toString().indexOf(NUL) >= 0;
        }
        if (value instanceof IndexedRecord record) {
            for (int i = 0; i < record.getSchema().getFields().size(); i++) {
                if (holdsNul(record.get(i))) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Collection<?> items) {
            for (Object item : items) {
                if (holdsNul(item)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (holdsNul(e.getKey()) || holdsNul(e.getValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Replaces NULs within a copy of Avro data (its lists and maps are mutable); returns the value to keep. */
    @SuppressWarnings("unchecked")
    private static Object replaceIn(Object value) {
        if (value instanceof CharSequence text) {
            return withoutNul(text.toString());
        }
        if (value instanceof IndexedRecord record) {
            for (int i = 0; i < record.getSchema().getFields().size(); i++) {
                record.put(i, replaceIn(record.get(i)));
            }
        } else if (value instanceof List<?> items) {
            List<Object> list = (List<Object>) items;
            for (int i = 0; i < list.size(); i++) {
                list.set(i, replaceIn(list.get(i)));
            }
        } else if (value instanceof Map<?, ?> map) {
            Map<Object, Object> replaced = new LinkedHashMap<>();
            map.forEach((k, v) -> replaced.put(replaceIn(k), replaceIn(v)));
            Map<Object, Object> target = (Map<Object, Object>) map;
            target.clear();
            target.putAll(replaced);
        }
        return value;
    }
}
