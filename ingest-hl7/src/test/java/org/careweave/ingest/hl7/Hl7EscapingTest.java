package org.careweave.ingest.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ca.uhn.hl7v2.parser.DefaultEscaping;
import ca.uhn.hl7v2.parser.EncodingCharacters;

class Hl7EscapingTest {

    private static final EncodingCharacters ENCODING = new EncodingCharacters('|', "^~\\&");

    private static String unescape(String text, Charset charset) {
        return new Hl7Escaping(charset).unescape(text, ENCODING);
    }

    @Test
    void hexadecimalDataIsBytesInTheMessagesCharset() {
        assertThat(unescape("M\\XDC\\LLER", StandardCharsets.ISO_8859_1)).isEqualTo("M\u00dcLLER");
        assertThat(unescape("M\\XC39C\\LLER", StandardCharsets.UTF_8)).isEqualTo("M\u00dcLLER");
        assertThat(unescape("\\X4D\\\\x4D\\", StandardCharsets.US_ASCII)).as("HL7's X is upper case")
                .isEqualTo("M" + hapi("\\x4D\\"));
        assertThat(unescape("a\\X3C3e\\b", StandardCharsets.US_ASCII)).isEqualTo("a<>b");
    }

    @Test
    void consecutiveSequencesAreOneRunOfBytes() {
        assertThat(unescape("No effusion.\\X0D\\\\X0A\\Heart normal.", StandardCharsets.ISO_8859_1))
                .isEqualTo("No effusion.\r\nHeart normal.");
        assertThat(unescape("M\\XC3\\\\X9C\\LLER", StandardCharsets.UTF_8)).isEqualTo("M\u00dcLLER");
    }

    @Test
    void whatIsNotHexadecimalDataIsLeftAsSent() {
        for (String sent : new String[] {"\\X0D0\\", "\\XZZ\\", "\\X\\", "\\X0G\\", "\\X\uff10\uff10\\", "a\\X41"}) {
            assertThat(unescape(sent, StandardCharsets.ISO_8859_1)).as(sent)
                    .isEqualTo(hapi(sent));
        }
        assertThat(unescape("\\X0D0\\", StandardCharsets.ISO_8859_1)).isEqualTo("\\X0D0\\");
        assertThat(unescape("M\\XDC\\LLER", StandardCharsets.UTF_8)).as("not UTF-8").isEqualTo("M\\XDC\\LLER");
        assertThat(unescape("M\\XDC\\LLER", StandardCharsets.US_ASCII)).as("not ASCII").isEqualTo("M\\XDC\\LLER");
        assertThat(unescape("M\\XC3\\\\X41\\", StandardCharsets.UTF_8)).as("a run invalid as a whole")
                .isEqualTo("M\\XC3\\\\X41\\");
        assertThat(unescape("a\\X00\\b\\X1B\\c", StandardCharsets.ISO_8859_1)).as("control characters")
                .isEqualTo("a\\X00\\b\\X1B\\c");
        assertThat(unescape("a\\X09\\b", StandardCharsets.ISO_8859_1)).as("a tab is text").isEqualTo("a\tb");
    }

    @Test
    void theOtherEscapesAreHapis() {
        assertThat(unescape("A \\T\\ B\\X41\\\\F\\C \\.br\\ \\H\\x\\N\\ \\Cxxyy\\ \\Mxxyyzz\\ \\Zab\\",
                StandardCharsets.ISO_8859_1)).isEqualTo("A & BA|C \\.br\\ \\H\\x\\N\\ \\Cxxyy\\ \\Mxxyyzz\\ \\Zab\\");
        assertThat(unescape("a\\X000d\\b", StandardCharsets.ISO_8859_1)).as("HAPI's carriage return")
                .isEqualTo("a\rb");
        assertThat(unescape("\\E\\X41\\E\\", StandardCharsets.ISO_8859_1)).as("escaped backslashes are text")
                .isEqualTo("\\X41\\");
        assertThat(unescape("plain", StandardCharsets.ISO_8859_1)).isEqualTo("plain");
    }

    @Test
    void anotherEscapeCharacterIsReadTheSameWay() {
        EncodingCharacters encoding = new EncodingCharacters('|', "^~!&");
        assertThat(new Hl7Escaping(StandardCharsets.ISO_8859_1).unescape("M!XDC!LLER !T! x\\X41\\", encoding))
                .isEqualTo("M\u00dcLLER & x\\X41\\");
    }

    /**
     * Where nothing is hexadecimal data it can decode, the answer is HAPI's, character for character: random values
     * of escape characters, codes HAPI reads (F, E, H, N, ., C, X), its \X000d\, and hex digits that never give text
     * in ASCII (0, C, E, F: control characters or bytes above 7F).
     */
    @Test
    void elsewhereTheAnswerIsHapisOnRandomValues() {
        String[] alphabet = {"\\", "\\", "\\", "X", "X", "E", "F", "H", "N", ".", "C", "0", "q", "#", "\\X000d\\"};
        Random random = new Random(29);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int k = random.nextInt(12); k > 0; k--) {
                value.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String text = value.toString();
            assertThat(unescape(text, StandardCharsets.US_ASCII)).as(text).isEqualTo(hapi(text));
        }
    }

    private static String hapi(String text) {
        return new DefaultEscaping().unescape(text, ENCODING);
    }
}
