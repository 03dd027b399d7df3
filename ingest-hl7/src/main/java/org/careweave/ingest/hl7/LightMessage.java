package org.careweave.ingest.hl7;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A message read with a segment/field tokenizer instead of HAPI's generic model, so that the listener's validation
 * does not pay for a full parse: HAPI builds an object for every field, repetition, component and subcomponent and
 * runs its primitive lookups on each, which was about half the listener's CPU, while the checks read a dozen values.
 * Written by hand because the point is to give exactly the answers HAPI gives; HAPI has no lighter reader.
 *
 * <p>What it mirrors (HAPI 2.6 {@code PipeParser} on the normalised text, generic model): segments are split on CR
 * and come out in the order they were sent; a segment's fields on the field separator (field 0 is the name),
 * repetitions, components and subcomponents on MSH-2's characters; consecutive separators give empty values, trailing
 * separators none; values are not trimmed; an absent value is "". Whatever it cannot be sure of, it does not answer:
 * {@link #read} is empty when the text has anything HAPI reads differently or might refuse (a segment name that is
 * not three capitals or digits, leading whitespace in a segment, a second MSH/BHS/FHS, MSH-2 not exactly four
 * characters, whose trailing characters HAPI would read from MSH-3), and a value holding the escape character throws
 * {@link Unsure} rather than guess HAPI's unescaping. Callers then parse with HAPI.
 */
public final class LightMessage implements Hl7Segments {

    /** The tokenizer cannot promise HAPI's answer for this value; parse with HAPI instead. Carries no stack trace. */
    public static final class Unsure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Unsure() {
            super("not answerable without HAPI", null, false, false);
        }
    }

    private static final Unsure UNSURE = new Unsure();
    private static final int[] NO_SEPARATORS = new int[0];

    private final String text;
    private final char fieldSep;
    private final char componentSep;
    private final char repetitionSep;
    private final char escape;
    private final char subcomponentSep;
    /** Start and end (exclusive) of each segment, MSH first. */
    private final int[] bounds;
    private final int count;

    private LightMessage(String text, String encoding, int[] bounds, int count) {
        this.text = text;
        this.fieldSep = text.charAt(3);
        this.componentSep = encoding.charAt(0);
        this.repetitionSep = encoding.charAt(1);
        this.escape = encoding.charAt(2);
        this.subcomponentSep = encoding.charAt(3);
        this.bounds = bounds;
        this.count = count;
    }

    /**
     * @param text the text as {@code MessageValidator.normaliseSegmentSeparators} gives it (what HAPI is given)
     * @param msh  its header as {@link MshReader} read it
     * @return empty when the text has something this reader cannot answer for as HAPI would
     */
    public static Optional<LightMessage> read(String text, MshHeader msh) {
        String encoding = msh.encodingCharacters();
        if (encoding.length() != 4 || text.length() < 8 || !text.startsWith("MSH")
                || text.charAt(3) != msh.fieldSeparator() || !text.startsWith(encoding, 4)) {
            return Optional.empty();
        }
        char fieldSep = msh.fieldSeparator();
        int[] bounds = new int[32];
        int count = 0;
        int start = 0;
        int length = text.length();
        while (start <= length) {
            int end = text.indexOf('\r', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                if (!plainSegment(text, start, end, fieldSep, count == 0)) {
                    return Optional.empty();
                }
                if (2 * count + 2 > bounds.length) {
                    bounds = Arrays.copyOf(bounds, bounds.length * 2);
                }
                bounds[2 * count] = start;
                bounds[2 * count + 1] = end;
                count++;
            }
            start = end + 1;
        }
        return Optional.of(new LightMessage(text, encoding, bounds, count));
    }

    /** A segment HAPI names by its first three characters and files under that name, with nothing special to it. */
    private static boolean plainSegment(String text, int start, int end, char fieldSep, boolean first) {
        if (end - start < 3 || (end - start > 3 && text.charAt(start + 3) != fieldSep)) {
            return false;
        }
        char a = text.charAt(start);
        char b = text.charAt(start + 1);
        char c = text.charAt(start + 2);
        if (a < 'A' || a > 'Z' || !upperOrDigit(b) || !upperOrDigit(c)) {
            return false;
        }
        // MSH, BHS and FHS define separators, and HAPI numbers their fields differently: only the first may be one.
        boolean delimiterDefining = (a == 'M' && b == 'S' && c == 'H') || (a == 'B' && b == 'H' && c == 'S')
                || (a == 'F' && b == 'H' && c == 'S');
        return first || !delimiterDefining;
    }

    private static boolean upperOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    @Override
    public Optional<Hl7Fields> first(String name) {
        checkName(name);
        for (int i = 1; i < count; i++) {
            if (text.startsWith(name, bounds[2 * i])) {
                return Optional.of(new Segment(bounds[2 * i], bounds[2 * i + 1]));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Hl7Fields> all(String name) {
        checkName(name);
        List<Hl7Fields> out = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (text.startsWith(name, bounds[2 * i])) {
                out.add(new Segment(bounds[2 * i], bounds[2 * i + 1]));
            }
        }
        return out;
    }

    @Override
    public List<Hl7Fields> segments() {
        List<Hl7Fields> out = new ArrayList<>(count);
        for (int i = 1; i < count; i++) {
            out.add(new Segment(bounds[2 * i], bounds[2 * i + 1]));
        }
        return out;
    }

    /** MSH is numbered differently by HAPI (MSH-1 is the separator); callers read it with {@link MshReader}. */
    private static void checkName(String name) {
        if (name.length() != 3 || "MSH".equals(name)) {
            throw UNSURE;
        }
    }

    /** One segment, as positions in the text; values are cut out only when asked for. */
    private final class Segment implements Hl7Fields {
        private final int start;
        private final int end;
        /** Where each field starts (index 0: the name), found on first use: the checks read several fields. */
        private int[] fieldStarts;
        private int fields;
        /**
         * Per field, where its repetition separators stand, found on the field's first use. A field read repetition by
         * repetition was scanned from its start for each: quadratic in its repetitions, and a PID-13 of a megabyte of
         * {@code ~} kept a mapping thread busy for hours.
         */
        private int[][] repetitionSeparators;

        Segment(int start, int end) {
            this.start = start;
            this.end = end;
        }

        @Override
        public String name() {
            return text.substring(start, start + 3);
        }

        @Override
        public String value(int field, int repetition, int component, int subcomponent) {
            if (field < 1 || repetition < 0 || component < 1 || subcomponent < 1) {
                throw UNSURE;
            }
            if (field >= fieldCount()) {
                return "";
            }
            int[] separators = repetitionSeparators(field);
            if (repetition > separators.length) {
                return "";
            }
            int repStart = repetition == 0 ? fieldStarts[field] : separators[repetition - 1] + 1;
            int repEnd = repetition < separators.length ? separators[repetition] : fieldEnd(field);
            int compStart = skip(repStart, repEnd, componentSep, component - 1);
            if (compStart < 0) {
                return "";
            }
            int compEnd = endOf(compStart, repEnd, componentSep);
            int subStart = skip(compStart, compEnd, subcomponentSep, subcomponent - 1);
            if (subStart < 0) {
                return "";
            }
            int subEnd = endOf(subStart, compEnd, subcomponentSep);
            for (int i = subStart; i < subEnd; i++) {
                if (text.charAt(i) == escape) {
                    throw UNSURE;
                }
            }
            return text.substring(subStart, subEnd);
        }

        /** As HAPI counts them: a leading or doubled separator makes an empty repetition, a trailing one none. */
        @Override
        public int repetitions(int field) {
            if (field < 1) {
                throw UNSURE;
            }
            if (field >= fieldCount()) {
                return 0;
            }
            // Each separator ends a repetition, empty or not; what follows the last is one unless it is empty.
            int[] separators = repetitionSeparators(field);
            int last = separators.length == 0 ? fieldStarts[field] : separators[separators.length - 1] + 1;
            return separators.length + (last < fieldEnd(field) ? 1 : 0);
        }

        private int[] repetitionSeparators(int field) {
            if (repetitionSeparators == null) {
                repetitionSeparators = new int[fields][];
            }
            int[] found = repetitionSeparators[field];
            if (found == null) {
                found = NO_SEPARATORS;
                int n = 0;
                for (int i = fieldStarts[field], to = fieldEnd(field); i < to; i++) {
                    if (text.charAt(i) == repetitionSep) {
                        if (n == found.length) {
                            found = Arrays.copyOf(found, Math.max(4, 2 * n));
                        }
                        found[n++] = i;
                    }
                }
                found = n == found.length ? found : Arrays.copyOf(found, n);
                repetitionSeparators[field] = found;
            }
            return found;
        }

        private int fieldEnd(int field) {
            return field + 1 < fields ? fieldStarts[field + 1] - 1 : end;
        }

        private int fieldCount() {
            if (fieldStarts == null) {
                int[] starts = new int[16];
                int n = 0;
                starts[n++] = start;
                for (int i = start; i < end; i++) {
                    if (text.charAt(i) == fieldSep) {
                        if (n == starts.length) {
                            starts = Arrays.copyOf(starts, n * 2);
                        }
                        starts[n++] = i + 1;
                    }
                }
                fieldStarts = starts;
                fields = n;
            }
            return fields;
        }
    }

    /** The position just after the n-th separator in [from, to), from itself for n = 0, or -1 if there are fewer. */
    private int skip(int from, int to, char sep, int n) {
        int at = from;
        for (int k = 0; k < n; k++) {
            int i = indexOf(sep, at, to);
            if (i < 0) {
                return -1;
            }
            at = i + 1;
        }
        return at;
    }

    private int endOf(int from, int to, char sep) {
        int i = indexOf(sep, from, to);
        return i < 0 ? to : i;
    }

    /** Bounded: String.indexOf would run on to the end of the message when the separator is not in this value. */
    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
