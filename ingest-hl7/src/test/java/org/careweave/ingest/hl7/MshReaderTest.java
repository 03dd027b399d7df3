package org.careweave.ingest.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Random;

import org.careweave.ingest.Hl7Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MshReaderTest {

    @Test
    void readsTheHeaderFieldsOfAnAdmission() {
        MshHeader msh = MshReader.read(Hl7Fixtures.load("adt_a01.hl7")).orElseThrow();

        assertThat(msh.fieldSeparator()).isEqualTo('|');
        assertThat(msh.encodingCharacters()).isEqualTo("^~\\&");
        assertThat(msh.componentSeparator()).isEqualTo('^');
        assertThat(msh.sendingApplication()).isEqualTo("PAS");
        assertThat(msh.sendingFacility()).isEqualTo("RHMX1");
        assertThat(msh.receivingApplication()).isEqualTo("CAREWEAVE");
        assertThat(msh.receivingFacility()).isEqualTo("CW");
        assertThat(msh.messageTime()).isEqualTo("20240715093512");
        assertThat(msh.messageCode()).isEqualTo("ADT");
        assertThat(msh.triggerEvent()).isEqualTo("A01");
        assertThat(msh.messageStructure()).isEqualTo("ADT_A01");
        assertThat(msh.messageType()).isEqualTo("ADT^A01");
        assertThat(msh.controlId()).isEqualTo("RHMX1-ADT-000101");
        assertThat(msh.processingId()).isEqualTo("P");
        assertThat(msh.version()).isEqualTo("2.5");
        assertThat(msh.characterSet()).isEmpty();
    }

    @Test
    void readsTheCharacterSetAndAVersionWithPatchLevel() {
        MshHeader msh = MshReader.read(Hl7Fixtures.load("oru_r01_v282.hl7")).orElseThrow();

        assertThat(msh.version()).isEqualTo("2.8.2");
        assertThat(msh.characterSet()).isEqualTo("UNICODE UTF-8");
        assertThat(msh.messageStructure()).isEqualTo("ORU_R01");
    }

    @Test
    void aMessageTypeWithoutTriggerIsJustTheCode() {
        MshHeader msh = MshReader.read("MSH|^~\\&|APP|FAC|||20240101||ACK|C1|P|2.5").orElseThrow();

        assertThat(msh.messageType()).isEqualTo("ACK");
        assertThat(msh.triggerEvent()).isEmpty();
        assertThat(msh.messageStructure()).isEmpty();
    }

    @Test
    void takesTheFirstComponentOfHierarchicDesignatorsAndVersion() {
        String text = "MSH|^~\\&|PAS^1.2.3^ISO|RHMX1^2.16.840.1.113883.2.1.3.2.4.18.24^ISO|CW^x|CWF^y|20240101||"
                + "ADT^A08|C9|P^T|2.4^GBR^2.4.1||||||8859/1~UNICODE UTF-8";
        MshHeader msh = MshReader.read(text).orElseThrow();

        assertThat(msh.sendingApplication()).isEqualTo("PAS");
        assertThat(msh.sendingFacility()).isEqualTo("RHMX1");
        assertThat(msh.receivingApplication()).isEqualTo("CW");
        assertThat(msh.receivingFacility()).isEqualTo("CWF");
        assertThat(msh.processingId()).isEqualTo("P");
        assertThat(msh.version()).isEqualTo("2.4");
        // MSH-18 repeats; the first repetition is the charset of the message.
        assertThat(msh.characterSet()).isEqualTo("8859/1");
    }

    @Test
    void honoursTheSeparatorsTheMessageDeclares() {
        String text = "MSH#$*\\!#PAS#RHMX1#CW#CW#20240101##ORU$R01$ORU_R01#C7#P#2.5\rPID#1";
        MshHeader msh = MshReader.read(text).orElseThrow();

        assertThat(msh.fieldSeparator()).isEqualTo('#');
        assertThat(msh.encodingCharacters()).isEqualTo("$*\\!");
        assertThat(msh.componentSeparator()).isEqualTo('$');
        assertThat(msh.messageType()).isEqualTo("ORU^R01");
        assertThat(msh.messageStructure()).isEqualTo("ORU_R01");
        assertThat(msh.controlId()).isEqualTo("C7");
    }

    @Test
    void readsOnlyTheMshSegmentWhateverTheSegmentSeparator() {
        for (String eol : new String[] {"\r", "\n", "\r\n"}) {
            MshHeader msh = MshReader.read("MSH|^~\\&|PAS|RHMX1|||20240101||ADT^A01|C1|P|2.5" + eol
                    + "PID|1||X|||||||||||||||||PID-20").orElseThrow();
            assertThat(msh.version()).isEqualTo("2.5");
            assertThat(msh.characterSet()).isEmpty();
        }
    }

    @Test
    void missingTrailingFieldsAreEmptyNeverNull() {
        MshHeader msh = MshReader.read("MSH|^~\\&").orElseThrow();

        assertThat(msh.sendingFacility()).isEmpty();
        assertThat(msh.messageCode()).isEmpty();
        assertThat(msh.triggerEvent()).isEmpty();
        assertThat(msh.controlId()).isEmpty();
        assertThat(msh.version()).isEmpty();
        assertThat(msh.characterSet()).isEmpty();
    }

    @Test
    void trimsSpacesAroundFieldValues() {
        MshHeader msh = MshReader.read("MSH|^~\\&|PAS| RHMX1 |||20240101|| ADT ^ A01 | C1 |P| 2.5 ").orElseThrow();

        assertThat(msh.sendingFacility()).isEqualTo("RHMX1");
        assertThat(msh.messageCode()).isEqualTo("ADT");
        assertThat(msh.triggerEvent()).isEqualTo("A01");
        assertThat(msh.controlId()).isEqualTo("C1");
        assertThat(msh.version()).isEqualTo("2.5");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "MSH",
        "MSH|^~\\",
        "PID|1||123",
        "msh|^~\\&|PAS|RHMX1",
        "MSHA^~\\&|PAS",
        "MSH1^~\\&|PAS",
        "MSH\r^~\\&|PAS",
        "MSH||PAS|RHMX1|||20240101||ADT^A01|C1|P|2.5",
        "MSH|^|PAS|RHMX1|||20240101||ADT^A01|C1|P|2.5",
        "MSH|^^\\&|PAS|RHMX1|||20240101||ADT^A01|C1|P|2.5",
        "MSH|A~\\&|PAS|RHMX1|||20240101||ADT^A01|C1|P|2.5",
        "MSH|^ \\&|PAS|RHMX1|||20240101||ADT^A01|C1|P|2.5",
        "MSH|^~\\&#!$|PAS|RHMX1",
        "This is not an HL7 message at all.",
    })
    void refusesTextThatDoesNotStartWithAUsableMsh(String text) {
        assertThat(MshReader.read(text)).isEmpty();
    }

    @Test
    void leadingWhitespaceIsNotAnMsh() {
        // Callers strip leading whitespace first; the reader itself insists on MSH at the very start.
        assertThat(MshReader.read("\r\nMSH|^~\\&|PAS|RHMX1|||20240101||ADT^A01|C1|P|2.5")).isEmpty();
    }

    @Test
    void acceptsTwoToFiveEncodingCharacters() {
        assertThat(MshReader.read("MSH|^~|PAS|RHMX1|||20240101||ADT^A01|C1|P|2.2")).isPresent();
        // HL7 2.7 adds the truncation character.
        assertThat(MshReader.read("MSH|^~\\&#|PAS|RHMX1|||20240101||ADT^A01|C1|P|2.7").orElseThrow()
                .encodingCharacters()).isEqualTo("^~\\&#");
    }

    @Test
    void neverThrowsOnArbitraryInput() {
        Random random = new Random(20240715L);
        String alphabet = "MSH|^~\\&#\r\n \t0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\u0000\u00ff\u20ac";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(i % 3 == 0 ? "MSH" : i % 3 == 1 ? "MSH|^~\\&" : "");
            int length = random.nextInt(80);
            for (int j = 0; j < length; j++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = b.toString();
            assertThatCode(() -> MshReader.read(text)).as("input #%d", i).doesNotThrowAnyException();
        }
    }

    @Test
    void nullIsNotAMessage() {
        assertThat(MshReader.read(null)).isEmpty();
    }
}
