package org.careweave.ingest.hl7;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.util.ReadOnlyMessageIterator;
import ca.uhn.hl7v2.util.Terser;

/**
 * A message parsed by HAPI into its generic model, seen as what real feeds are: segments in the order they came.
 * HAPI has already decoded escape sequences in field values (hexadecimal data too: {@link Hl7Escaping}); HL7's
 * explicit null ({@code ""}) is kept as the two characters {@code ""} so that callers can tell "clear this" from "not
 * sent".
 */
public final class Hl7Message {

    public static final String EXPLICIT_NULL = "\"\"";

    private final Message message;
    private final List<Segment> segments;

    Hl7Message(Message message) {
        this.message = message;
        List<Segment> ordered = new ArrayList<>();
        ReadOnlyMessageIterator it = new ReadOnlyMessageIterator(message);
        while (it.hasNext()) {
            Structure s = it.next();
            if (s instanceof Segment segment) {
                ordered.add(segment);
            }
        }
        this.segments = List.copyOf(ordered);
    }

    public List<Segment> segments() {
        return segments;
    }

    public Optional<Segment> first(String name) {
        return segments.stream().filter(s -> s.getName().equals(name)).findFirst();
    }

    public List<Segment> all(String name) {
        return segments.stream().filter(s -> s.getName().equals(name)).toList();
    }

    public String version() {
        return message.getVersion();
    }

    /** This message seen through {@link Hl7Segments}, for code that also reads {@link LightMessage}. */
    public Hl7Segments asSegments() {
        return new Hl7Segments() {
            @Override
            public Optional<Hl7Fields> first(String name) {
                return Hl7Message.this.first(name).map(Hl7Message::fields);
            }

            @Override
            public List<Hl7Fields> all(String name) {
                return Hl7Message.this.all(name).stream().map(Hl7Message::fields).toList();
            }

            @Override
            public List<Hl7Fields> segments() {
                return segments.stream().skip(1).map(Hl7Message::fields).toList();
            }
        };
    }

    private static Hl7Fields fields(Segment segment) {
        return new Hl7Fields() {
            /**
             * Each field's repetitions, counted once: HAPI counts them by copying them all into a new array, so a field
             * read repetition by repetition was quadratic in their number.
             */
            private final Map<Integer, Integer> repetitions = new HashMap<>();

            @Override
            public String name() {
                return segment.getName();
            }

            @Override
            public String value(int field, int repetition, int component, int subcomponent) {
                return repetition < repetitions(field) ? read(segment, field, repetition, component, subcomponent)
                        : "";
            }

            @Override
            public int repetitions(int field) {
                return repetitions.computeIfAbsent(field, f -> Hl7Message.repetitions(segment, f));
            }
        };
    }

    /** Component 1, subcomponent 1 of the first repetition. */
    public static String value(Segment segment, int field) {
        return value(segment, field, 0, 1, 1);
    }

    public static String value(Segment segment, int field, int repetition, int component) {
        return value(segment, field, repetition, component, 1);
    }

    /** The decoded value, or "" when absent; never null. */
    public static String value(Segment segment, int field, int repetition, int component, int subcomponent) {
        return repetition < repetitions(segment, field) ? read(segment, field, repetition, component, subcomponent)
                : "";
    }

    /** The value of a repetition the field has (HAPI would add one that it has not). */
    private static String read(Segment segment, int field, int repetition, int component, int subcomponent) {
        try {
            String v = Terser.get(segment, field, repetition, component, subcomponent);
            return v == null ? "" : v;
        } catch (HL7Exception | RuntimeException e) {
            return "";
        }
    }

    public static int repetitions(Segment segment, int field) {
        try {
            return field > segment.numFields() ? 0 : segment.getField(field).length;
        } catch (HL7Exception | RuntimeException e) {
            return 0;
        }
    }

    public static boolean isExplicitNull(String value) {
        return EXPLICIT_NULL.equals(value);
    }
}
