package org.careweave.ingest.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.careweave.ingest.Hl7Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Hl7CharsetsTest {

    private static final String NAME = "FAUXNAME^Zo\u00eb";

    @ParameterizedTest
    @CsvSource({
        "ASCII, US-ASCII",
        "8859/1, ISO-8859-1",
        "8859/15, ISO-8859-15",
        "UNICODE UTF-8, UTF-8",
        "unicode utf-8, UTF-8",
        "' UNICODE UTF-8 ', UTF-8",
    })
    void mapsTable0211NamesToCharsets(String msh18, String javaName) {
        assertThat(Hl7Charsets.fromMsh18(msh18)).contains(Charset.forName(javaName));
    }

    @Test
    void emptyOrUnknownMsh18HasNoCharset() {
        assertThat(Hl7Charsets.fromMsh18(null)).isEmpty();
        assertThat(Hl7Charsets.fromMsh18("")).isEmpty();
        assertThat(Hl7Charsets.fromMsh18("  ")).isEmpty();
        assertThat(Hl7Charsets.fromMsh18("ISO IR87")).isEmpty();
        assertThat(Hl7Charsets.fromMsh18("BIG-5")).isEmpty();
    }

    @Test
    void namesCharsetsForAnAck() {
        assertThat(Hl7Charsets.msh18(StandardCharsets.UTF_8)).isEqualTo("UNICODE UTF-8");
        assertThat(Hl7Charsets.msh18(StandardCharsets.ISO_8859_1)).isEqualTo("8859/1");
        assertThat(Hl7Charsets.msh18(StandardCharsets.US_ASCII)).isEqualTo("ASCII");
        assertThat(Hl7Charsets.msh18(StandardCharsets.UTF_16)).isEmpty();
        for (Charset c : new Charset[] {StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1,
            StandardCharsets.US_ASCII}) {
            assertThat(Hl7Charsets.fromMsh18(Hl7Charsets.msh18(c))).contains(c);
        }
    }

    @Test
    void decodesInTheDeclaredCharset() {
        byte[] payload = Hl7Fixtures.bytes("oru_r01_v282.hl7");

        Hl7Charsets.Decoded decoded = Hl7Charsets.decode(payload, StandardCharsets.ISO_8859_1);

        assertThat(decoded.ok()).isTrue();
        assertThat(decoded.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(decoded.text()).contains(NAME).isEqualTo(Hl7Fixtures.load("oru_r01_v282.hl7"));
    }

    @Test
    void withoutMsh18TheListenerDefaultApplies() {
        String text = msh("") + "\rPID|1||X||" + NAME;

        Hl7Charsets.Decoded latin1 = Hl7Charsets.decode(text.getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.ISO_8859_1);
        Hl7Charsets.Decoded utf8 = Hl7Charsets.decode(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);

        assertThat(latin1.ok()).isTrue();
        assertThat(latin1.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(latin1.text()).isEqualTo(text);
        assertThat(utf8.ok()).isTrue();
        assertThat(utf8.text()).isEqualTo(text);
    }

    @Test
    void latin1BytesDeclaredUtf8AreRefusedNotReplaced() {
        String text = msh("UNICODE UTF-8") + "\rPID|1||X||" + NAME;

        Hl7Charsets.Decoded decoded = Hl7Charsets.decode(text.getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.ISO_8859_1);

        assertThat(decoded.ok()).isFalse();
        assertThat(decoded.text()).isNull();
        assertThat(decoded.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(decoded.error()).isEqualTo("payload is not valid UTF-8").doesNotContain("Zo");
    }

    @Test
    void nonAsciiBytesDeclaredAsciiAreRefused() {
        String text = msh("ASCII") + "\rPID|1||X||" + NAME;

        Hl7Charsets.Decoded decoded = Hl7Charsets.decode(text.getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.ISO_8859_1);

        assertThat(decoded.ok()).isFalse();
        assertThat(decoded.charset()).isEqualTo(StandardCharsets.US_ASCII);
    }

    @Test
    void anUnsupportedMsh18IsRefusedWithItsName() {
        Hl7Charsets.Decoded decoded = Hl7Charsets.decode((msh("ISO IR87") + "\rPID|1").getBytes(
                StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);

        assertThat(decoded.ok()).isFalse();
        assertThat(decoded.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(decoded.error()).isEqualTo("unsupported character set in MSH-18: ISO IR87");
    }

    @Test
    void textThatIsNotHl7IsDecodedWithTheDefault() {
        byte[] payload = Hl7Fixtures.load("garbage.txt").getBytes(StandardCharsets.ISO_8859_1);

        Hl7Charsets.Decoded decoded = Hl7Charsets.decode(payload, StandardCharsets.ISO_8859_1);

        assertThat(decoded.ok()).isTrue();
        assertThat(decoded.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    }

    @Test
    void findsMsh18AfterLeadingBlankLines() {
        // Some senders start a message with a blank line; validation skips leading whitespace, so must the charset.
        String text = "\r\n" + msh("UNICODE UTF-8") + "\rPID|1||X||" + NAME;

        Hl7Charsets.Decoded decoded = Hl7Charsets.decode(text.getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);

        assertThat(decoded.ok()).isTrue();
        assertThat(decoded.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(decoded.text()).contains(NAME);
    }

    /** Decoding skips the strict decoder where it cannot fail; the text must be what the decoder would give. */
    @Test
    void decodesAsTheStrictDecoderWouldInEveryCharset() throws Exception {
        String[] bodies = {"\rPID|1||X||PLAIN^ASCII", "\rPID|1||X||" + NAME, "\rPID|1||X||\u20ac uro \u00a4",
            "\rPID|1||X||\u00ff\u0080\u0000\u007f"};
        for (String msh18 : new String[] {"", "ASCII", "8859/1", "8859/15", "UNICODE UTF-8"}) {
            for (String body : bodies) {
                String text = msh(msh18) + body;
                Charset declared = msh18.isEmpty() ? StandardCharsets.ISO_8859_1
                        : Hl7Charsets.fromMsh18(msh18).orElseThrow();
                for (Charset wire : new Charset[] {StandardCharsets.ISO_8859_1, StandardCharsets.UTF_8,
                    Charset.forName("ISO-8859-15")}) {
                    byte[] payload = text.getBytes(wire);
                    String expected;
                    try {
                        expected = declared.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)
                                .decode(ByteBuffer.wrap(payload)).toString();
                    } catch (CharacterCodingException e) {
                        expected = null;
                    }

                    Hl7Charsets.Decoded decoded = Hl7Charsets.decode(payload, StandardCharsets.ISO_8859_1);

                    assertThat(decoded.charset()).isEqualTo(declared);
                    assertThat(decoded.text()).as("%s as %s read as %s", body, wire, declared).isEqualTo(expected);
                    assertThat(decoded.ok()).isEqualTo(expected != null);
                }
            }
        }
    }

    @Test
    void anEmptyPayloadDecodesToEmptyText() {
        Hl7Charsets.Decoded decoded = Hl7Charsets.decode(new byte[0], StandardCharsets.ISO_8859_1);

        assertThat(decoded.ok()).isTrue();
        assertThat(decoded.text()).isEmpty();
    }

    private static String msh(String msh18) {
        return "MSH|^~\\&|LIMS|RHMX2|CW|CW|20250115093000||ORU^R01|C1|P|2.5|||AL|NE|GBR|" + msh18;
    }
}
