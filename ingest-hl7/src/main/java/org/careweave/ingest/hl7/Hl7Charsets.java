package org.careweave.ingest.hl7;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the charset of a message from MSH-18 (HL7 table 0211), falling back to the listener's default when MSH-18
 * is empty, and decodes strictly: a payload that is not valid in its declared charset is refused rather than read
 * with replacement characters, which would silently corrupt names.
 */
public final class Hl7Charsets {

    private static final Map<String, Charset> TABLE_0211 = Map.ofEntries(
            Map.entry("ASCII", StandardCharsets.US_ASCII),
            Map.entry("8859/1", StandardCharsets.ISO_8859_1),
            Map.entry("8859/15", Charset.forName("ISO-8859-15")),
            Map.entry("UNICODE UTF-8", StandardCharsets.UTF_8),
            Map.entry("UTF-8", StandardCharsets.UTF_8),
            Map.entry("UNICODE", StandardCharsets.UTF_8));

    private Hl7Charsets() {
    }

    /** The result of decoding: the text, or why it could not be decoded. */
    public record Decoded(String text, Charset charset, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    public static Optional<Charset> fromMsh18(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(TABLE_0211.get(value.trim().toUpperCase(Locale.ROOT)));
    }

    public static Decoded decode(byte[] payload, Charset listenerDefault) {
        // MSH is plain ASCII in every charset HL7 allows here, so reading it as Latin-1 finds MSH-18 safely.
        String asLatin1 = new String(payload, 0, Math.min(payload.length, 4096), StandardCharsets.ISO_8859_1);
        Charset charset = listenerDefault;
        // Validation skips leading blank lines before MSH, so must this: else MSH-18 goes unseen and a UTF-8 message
        // is silently read as the listener default.
        Optional<MshHeader> msh = MshReader.read(asLatin1.stripLeading());
        if (msh.isPresent() && !msh.get().characterSet().isEmpty()) {
            Optional<Charset> declared = fromMsh18(msh.get().characterSet());
            if (declared.isEmpty()) {
                return new Decoded(null, listenerDefault,
                        "unsupported character set in MSH-18: " + msh.get().characterSet());
            }
            charset = declared.get();
        }
        String fast = decodeWithoutDecoder(payload, charset);
        if (fast != null) {
            return new Decoded(fast, charset, null);
        }
        try {
            String text = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
            return new Decoded(text, charset, null);
        } catch (CharacterCodingException e) {
            return new Decoded(null, charset, "payload is not valid " + charset.name());
        }
    }

    /**
     * The text when a strict decoder cannot fail and would give the same characters, without building a decoder:
     * ISO-8859-1 maps every byte, and an ASCII-only payload reads the same in ASCII, UTF-8 and ISO-8859-1 (most
     * messages, whatever MSH-18 says). Null when the full decoder must decide.
     */
    private static String decodeWithoutDecoder(byte[] payload, Charset charset) {
        if (charset.equals(StandardCharsets.ISO_8859_1)) {
            return new String(payload, StandardCharsets.ISO_8859_1);
        }
        if (!charset.equals(StandardCharsets.US_ASCII) && !charset.equals(StandardCharsets.UTF_8)) {
            return null;
        }
        for (byte b : payload) {
            if (b < 0) {
                return null;
            }
        }
        return new String(payload, StandardCharsets.ISO_8859_1);
    }

    /** The MSH-18 value to name a charset in an ACK. */
    public static String msh18(Charset charset) {
        if (charset.equals(StandardCharsets.UTF_8)) {
            return "UNICODE UTF-8";
        }
        if (charset.equals(StandardCharsets.ISO_8859_1)) {
            return "8859/1";
        }
        if (charset.equals(StandardCharsets.US_ASCII)) {
            return "ASCII";
        }
        return "";
    }
}
