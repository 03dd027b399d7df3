package org.careweave.ingest.hl7;

import java.util.Optional;

/**
 * Reads the MSH segment of a message by hand. HAPI can only give us MSH once it has parsed the whole message, but a
 * message HAPI refuses must still get an ACK that quotes its control id, so this reader works on any text that starts
 * like HL7 and never throws.
 */
public final class MshReader {

    private MshReader() {
    }

    /** @return the header, or empty when the text does not start with a usable MSH segment */
    public static Optional<MshHeader> read(String message) {
        if (message == null || message.length() < 8 || !message.startsWith("MSH")) {
            return Optional.empty();
        }
        char fieldSep = message.charAt(3);
        if (Character.isLetterOrDigit(fieldSep) || fieldSep == '\r' || fieldSep == '\n') {
            return Optional.empty();
        }
        int segmentEnd = segmentEnd(message);
        String segment = message.substring(0, segmentEnd);
        String[] fields = split(segment, fieldSep);
        if (fields.length < 2) {
            return Optional.empty();
        }
        String encoding = fields[1];
        if (!validEncodingCharacters(encoding, fieldSep)) {
            return Optional.empty();
        }
        char componentSep = encoding.charAt(0);
        String type = field(fields, 9);
        String[] typeParts = split(type, componentSep);
        return Optional.of(new MshHeader(fieldSep, encoding,
                firstComponent(field(fields, 3), componentSep),
                hierarchicDesignator(field(fields, 4), componentSep),
                firstComponent(field(fields, 5), componentSep),
                firstComponent(field(fields, 6), componentSep),
                firstComponent(field(fields, 7), componentSep),
                part(typeParts, 0), part(typeParts, 1), part(typeParts, 2),
                field(fields, 10),
                firstComponent(field(fields, 11), componentSep),
                firstComponent(field(fields, 12), componentSep),
                firstRepetition(field(fields, 18), encoding.length() > 1 ? encoding.charAt(1) : '~')));
    }

    /** MSH-n sits at index n-1 because MSH-1 is the separator itself. */
    private static String field(String[] fields, int number) {
        int index = number - 1;
        return index < fields.length ? fields[index].trim() : "";
    }

    private static boolean validEncodingCharacters(String encoding, char fieldSep) {
        if (encoding.length() < 2 || encoding.length() > 5) {
            return false;
        }
        for (int i = 0; i < encoding.length(); i++) {
            char c = encoding.charAt(i);
            if (Character.isLetterOrDigit(c) || c == fieldSep || encoding.indexOf(c) != i || c <= ' ') {
                return false;
            }
        }
        return true;
    }

    static int segmentEnd(String message) {
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\r' || c == '\n') {
                return i;
            }
        }
        return message.length();
    }

    /** HD: the namespace id, or the universal id when only that is sent (e.g. an OID). */
    private static String hierarchicDesignator(String field, char componentSep) {
        String namespace = firstComponent(field, componentSep);
        if (!namespace.isEmpty()) {
            return namespace;
        }
        String[] parts = split(field, componentSep);
        return parts.length > 1 ? parts[1].trim() : "";
    }

    private static String firstComponent(String field, char componentSep) {
        int i = field.indexOf(componentSep);
        return i < 0 ? field : field.substring(0, i);
    }

    private static String firstRepetition(String field, char repetitionSep) {
        int i = field.indexOf(repetitionSep);
        return i < 0 ? field : field.substring(0, i);
    }

    private static String part(String[] parts, int i) {
        return i < parts.length ? parts[i].trim() : "";
    }

    /** String.split without regex and keeping empty trailing fields. */
    static String[] split(String text, char sep) {
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == sep) {
                count++;
            }
        }
        String[] out = new String[count];
        int start = 0;
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == sep) {
                out[n++] = text.substring(start, i);
                start = i + 1;
            }
        }
        out[n] = text.substring(start);
        return out;
    }
}
