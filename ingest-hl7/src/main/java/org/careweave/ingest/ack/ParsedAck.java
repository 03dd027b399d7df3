package org.careweave.ingest.ack;

import java.util.ArrayList;
import java.util.List;

import org.careweave.ingest.hl7.MshHeader;
import org.careweave.ingest.hl7.MshReader;

/**
 * What an original-mode ACK says, read from its text: the code (MSA-1), the control id of the message it answers
 * (MSA-2), the text (MSA-3) and its ERR segments. For senders of messages (the batch intake, {@code careweave send});
 * never throws, an unreadable ACK reads as empty fields.
 */
public record ParsedAck(String code, String controlId, String text, List<ErrSegment> errors) {

    /** The HL7 table 0357 code careweave answers with when a message could not be stored (Kafka unavailable). */
    public static final String COULD_NOT_BE_STORED = "207";

    /**
     * One ERR segment.
     *
     * @param code     ERR-3 (HL7 table 0357), e.g. 101
     * @param severity ERR-4: E, W or I
     * @param location ERR-2 as careweave writes locations, e.g. PID-3 or OBX[2]-11; empty when none
     * @param message  ERR-8, the user message
     */
    public record ErrSegment(String code, String severity, String location, String message) {
    }

    public ParsedAck {
        errors = List.copyOf(errors);
    }

    public static ParsedAck parse(String ack) {
        MshHeader msh = MshReader.read(ack).orElse(null);
        char field = msh == null ? '|' : msh.fieldSeparator();
        String encoding = msh == null ? "^~\\&" : msh.encodingCharacters();
        Separators separators = new Separators(field, encoding);
        String code = "";
        String controlId = "";
        String text = "";
        List<ErrSegment> errors = new ArrayList<>();
        for (String segment : ack.split("[\r\n]+")) {
            String[] fields = split(segment, field);
            if (fields[0].equals("MSA") && code.isEmpty()) {
                code = separators.unescape(fieldAt(fields, 1));
                controlId = separators.unescape(fieldAt(fields, 2));
                text = separators.unescape(fieldAt(fields, 3));
            } else if (fields[0].equals("ERR")) {
                errors.add(new ErrSegment(
                        separators.unescape(split(fieldAt(fields, 3), separators.component)[0]),
                        fieldAt(fields, 4),
                        location(fieldAt(fields, 2), separators),
                        separators.unescape(fieldAt(fields, 8))));
            }
        }
        return new ParsedAck(code, controlId, text, errors);
    }

    /** AA, or CA in enhanced mode. */
    public boolean accepted() {
        return code.equals("AA") || code.equals("CA");
    }

    /**
     * The receiver did not keep the message (it could not write it durably) and asks for it again: not a verdict on
     * the message, so the sender must resend it rather than count it as refused. That is AE with error 207 (CE in
     * enhanced mode). An AR with 207 (a message larger than Kafka's topics take) is a refusal: resent, it would be
     * refused again.
     */
    public boolean couldNotBeStored() {
        return (code.equals("AE") || code.equals("CE"))
                && errors.stream().anyMatch(e -> e.code().equals(COULD_NOT_BE_STORED));
    }

    /**
     * One line for a person: MSA-3 with the location of the first error, e.g. "PID-3: at least one patient identifier
     * is required"; empty for an accepted message (its warnings are not reasons).
     */
    public String reason() {
        ErrSegment first = errors.stream().filter(e -> e.severity().equals("E")).findFirst().orElse(null);
        String why = !text.isEmpty() ? text : first == null ? "" : first.message();
        if (first == null || first.location().isEmpty()) {
            return why;
        }
        return why.isEmpty() ? first.location() : first.location() + ": " + why;
    }

    /** ERR-2 (segment^sequence^field) back into the short form careweave uses: PID-3, OBX[2]-11. */
    private static String location(String erl, Separators separators) {
        if (erl.isEmpty()) {
            return "";
        }
        String[] parts = split(erl, separators.component);
        String segment = separators.unescape(parts[0]);
        String sequence = parts.length > 1 ? parts[1] : "";
        String field = parts.length > 2 ? parts[2] : "";
        StringBuilder b = new StringBuilder(segment);
        if (!sequence.isEmpty() && !sequence.equals("1")) {
            b.append('[').append(sequence).append(']');
        }
        if (!field.isEmpty()) {
            b.append('-').append(field);
        }
        return b.toString();
    }

    private static String fieldAt(String[] fields, int index) {
        return index < fields.length ? fields[index] : "";
    }

    /** String.split without regex, keeping empty fields. */
    private static String[] split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == separator) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts.toArray(String[]::new);
    }

    /** The message's delimiters, to undo the escaping of free text (\F\ \S\ \T\ \R\ \E\). */
    private record Separators(char field, char component, char repetition, char escape, char subcomponent) {
        Separators(char field, String encoding) {
            this(field, encoding.charAt(0), at(encoding, 1, '~'), at(encoding, 2, '\\'), at(encoding, 3, '&'));
        }

        private static char at(String encoding, int i, char fallback) {
            return i < encoding.length() ? encoding.charAt(i) : fallback;
        }

        String unescape(String value) {
            if (value.indexOf(escape) < 0) {
                return value;
            }
            StringBuilder b = new StringBuilder(value.length());
            int i = 0;
            while (i < value.length()) {
                char c = value.charAt(i);
                int close = c == escape ? value.indexOf(escape, i + 1) : -1;
                if (close == i + 2) {
                    Character replaced = switch (value.charAt(i + 1)) {
                        case 'F' -> field;
                        case 'S' -> component;
                        case 'T' -> subcomponent;
                        case 'R' -> repetition;
                        case 'E' -> escape;
                        default -> null;
                    };
                    if (replaced != null) {
                        b.append(replaced.charValue());
                        i = close + 1;
                        continue;
                    }
                }
                b.append(c);
                i++;
            }
            return b.toString();
        }
    }
}
