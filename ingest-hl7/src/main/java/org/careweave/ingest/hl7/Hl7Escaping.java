package org.careweave.ingest.hl7;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.HexFormat;

import ca.uhn.hl7v2.parser.DefaultEscaping;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.Escaping;

/**
 * HAPI's unescaping, and HL7's hexadecimal data ({@code \Xhh..\}) decoded too. HAPI decodes {@code \F\ \S\ \T\ \R\
 * \E\} and its own {@code \X000d\} (a carriage return) and leaves any other {@code \X..\} in the value: a name sent as
 * {@code M\XDC\LLER} was stored and matched as those characters, and a report's {@code \X0D\\X0A\} line break showed
 * to a clinician as them. HL7 defines the sequence as bytes; they are read in the message's character set (MSH-18, as
 * {@link Hl7Charsets} decoded the payload), consecutive sequences as one run, so that CR LF or a character of several
 * UTF-8 bytes may span them.
 *
 * <p>What is not hexadecimal data is left as sent, as before: a sequence of odd length or with a character that is
 * not a hex digit, a run that is not valid in the charset, and a run that would give a control character other than
 * tab, CR and LF (not text anyone can read; NUL cannot even be stored in PostgreSQL). {@code \C..\}, {@code \M..\} and
 * {@code \Z..\} (character set switches, locally defined escapes) stay as HAPI leaves them.
 *
 * <p>Everything else is HAPI's, and stays so: the value is cut where HAPI's own scan finds an escape sequence (mirrored
 * in {@link #sequenceEnd}), and the text between decoded runs is unescaped by HAPI. Decoding here, in the one pass
 * that reads escapes, rather than on HAPI's output, keeps {@code \E\X41\E\} (an escaped backslash either side) the
 * text {@code \X41\}.
 */
final class Hl7Escaping implements Escaping {

    private static final Escaping HAPI = new DefaultEscaping();
    /** HAPI's fixed sequence for a carriage return, matched before any other reading of an X sequence. */
    private static final String HAPI_CARRIAGE_RETURN = "\\X000d\\";
    /** HAPI's fixed sequences {@code \F\ \S\ \T\ \R\ \E\}: the separators and the escape character. */
    private static final String HAPI_DELIMITER_CODES = "FSTRE";

    private final Charset charset;

    Hl7Escaping(Charset charset) {
        this.charset = charset;
    }

    @Override
    public String escape(String text, EncodingCharacters encoding) {
        return HAPI.escape(text, encoding);
    }

    @Override
    public String unescape(String text, EncodingCharacters encoding) {
        char escape = encoding.getEscapeCharacter();
        int i = text.indexOf(escape);
        if (i < 0) {
            return text;
        }
        StringBuilder out = null;
        int handedOver = 0; // text before this has been given to HAPI or decoded
        int length = text.length();
        while (i < length) {
            if (text.charAt(i) != escape) {
                i++;
                continue;
            }
            int end = sequenceEnd(text, i, escape);
            if (!isHex(text, i, end, escape)) {
                i = end;
                continue;
            }
            int runEnd = end;
            while (runEnd < length && text.charAt(runEnd) == escape) {
                int next = sequenceEnd(text, runEnd, escape);
                if (!isHex(text, runEnd, next, escape)) {
                    break;
                }
                runEnd = next;
            }
            String decoded = decode(text, i, runEnd, escape);
            if (decoded != null) {
                if (out == null) {
                    out = new StringBuilder(length);
                }
                out.append(HAPI.unescape(text.substring(handedOver, i), encoding)).append(decoded);
                handedOver = runEnd;
            }
            i = runEnd;
        }
        if (out == null) {
            return HAPI.unescape(text, encoding);
        }
        return out.append(HAPI.unescape(text.substring(handedOver), encoding)).toString();
    }

    /**
     * Where what HAPI 2.6's {@code DefaultEscaping.unescape} reads at escape character {@code at} ends: its fixed
     * sequences ({@code \F\} .. {@code \E\}, the truncation character's, {@code \X000d\}) first; then a sequence
     * starting {@code .}, {@code C}, {@code M}, {@code X} or {@code Z} runs to the next escape character, and
     * {@code \H\} and {@code \N\} are three characters; anything else, the escape character alone (HAPI drops it).
     */
    static int sequenceEnd(String text, int at, char escape) {
        int length = text.length();
        if (at + 2 < length && text.charAt(at + 2) == escape
                && HAPI_DELIMITER_CODES.indexOf(text.charAt(at + 1)) >= 0) {
            return at + 3;
        }
        if (escape == '#') {
            return at + 1; // HAPI's sequence for the truncation character is "#" itself, whatever follows
        }
        if (text.startsWith(HAPI_CARRIAGE_RETURN, at)) {
            return at + HAPI_CARRIAGE_RETURN.length();
        }
        if (at + 1 >= length) {
            return length;
        }
        char code = text.charAt(at + 1);
        int close = text.indexOf(escape, at + 1);
        if (".CMXZ".indexOf(code) >= 0) {
            return close > 0 ? close + 1 : at + 1;
        }
        if (code == 'H' || code == 'N') {
            return close == at + 2 ? at + 3 : at + 1;
        }
        return at + 1;
    }

    /** Whether [from, to) is X, an even number of hex digits (at least two), between escape characters. */
    private static boolean isHex(String text, int from, int to, char escape) {
        int digits = to - from - 3;
        if (digits < 2 || digits % 2 != 0 || text.charAt(from + 1) != 'X' || text.charAt(to - 1) != escape
                || text.startsWith(HAPI_CARRIAGE_RETURN, from)) {
            return false;
        }
        for (int i = from + 2; i < to - 1; i++) {
            if (!hexDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    }

    /** The run of hex sequences in [from, to) as text in the charset; null where it is to be left as sent. */
    private String decode(String text, int from, int to, char escape) {
        StringBuilder hex = new StringBuilder(to - from);
        for (int i = from, end; i < to; i = end) {
            end = sequenceEnd(text, i, escape);
            hex.append(text, i + 2, end - 1);
        }
        byte[] bytes = HexFormat.of().parseHex(hex);
        String decoded;
        try {
            decoded = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\r' && c != '\n') {
                return null;
            }
        }
        return decoded;
    }
}
