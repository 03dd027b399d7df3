package org.careweave.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.careweave.ingest.hl7.Hl7Charsets;
import org.careweave.ingest.hl7.MshReader;

/**
 * The test messages under src/test/resources/messages (see its README.md). They are stored with LF line ends to be
 * readable; HL7 separates segments with CR, so loading turns every line end into CR.
 */
public final class Hl7Fixtures {

    private Hl7Fixtures() {
    }

    /** The message as HL7 text: segments separated (and ended) by CR. */
    public static String load(String name) {
        String text = new String(resource(name), StandardCharsets.UTF_8);
        return text.replace("\r\n", "\n").replace('\n', '\r');
    }

    /** The message as a sender would put it on the wire: in the charset its MSH-18 declares, else ISO-8859-1. */
    public static byte[] bytes(String name) {
        String text = load(name);
        return text.getBytes(charsetOf(text));
    }

    public static Charset charsetOf(String text) {
        return MshReader.read(text).flatMap(msh -> Hl7Charsets.fromMsh18(msh.characterSet()))
                .orElse(StandardCharsets.ISO_8859_1);
    }

    private static byte[] resource(String name) {
        try (InputStream in = Hl7Fixtures.class.getResourceAsStream("/messages/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test message " + name + " under src/test/resources/messages");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
