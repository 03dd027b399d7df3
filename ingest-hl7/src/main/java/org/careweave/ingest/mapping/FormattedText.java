package org.careweave.ingest.mapping;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HL7 formatted text (FT, and the TX and NTE text that systems format the same way) as plain text: line breaks and
 * skipped lines become line breaks, spaces stay spaces, and the rest of the formatting commands (highlighting,
 * indentation, fill modes) go. HAPI decodes the escapes that stand for characters (\F\, \S\, \T\, \R\, \E\, and
 * hexadecimal data with {@code Hl7Escaping}) and leaves these commands in the value, where an app would show them to a
 * clinician as {@code \.br\} and {@code \H\}. A line break sent as characters (CR, LF or CR LF, as hexadecimal data
 * {@code \X0D\\X0A\} or HAPI's {@code \X000d\}) is a line break as {@code \.br\} is: "\n". Pure.
 */
final class FormattedText {

    private static final Pattern COMMAND = Pattern.compile(
            "\\\\(?:\\.(br|ce|sp|sk|in|ti|fi|nf)\\s*([+-]?\\d*)|([HN]))\\\\");

    private FormattedText() {
    }

    static String plain(String text) {
        if (text == null) {
            return null;
        }
        String lines = text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n").replace('\r', '\n');
        if (lines.indexOf('\\') < 0) {
            return lines;
        }
        Matcher m = COMMAND.matcher(lines);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replacement(m.group(1), m.group(2))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String replacement(String command, String argument) {
        if (command == null) {
            return ""; // \H\ and \N\: highlighting on and off
        }
        int n = argument.isEmpty() || argument.equals("+") || argument.equals("-") ? 1
                : Math.min(Math.abs(Integer.parseInt(argument)), 20);
        return switch (command) {
            case "br", "ce" -> "\n"; // a centred line starts a line of its own
            case "sp" -> "\n" + "\n".repeat(n); // end the line, then skip n lines
            case "sk" -> " ".repeat(n);
            default -> ""; // indentation and fill modes: layout a plain text has no place for
        };
    }
}
