package org.careweave.ingest.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.careweave.ingest.Hl7Fixtures;
import org.careweave.ingest.validation.MessageValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;

class Hl7ParserTest {

    @ParameterizedTest
    @CsvSource({
        "2.2, 2.2",
        "2.3, 2.3",
        "2.3.1, 2.3.1",
        "2.4, 2.4",
        "2.5, 2.5",
        "2.5.1, 2.5.1",
        "2.6, 2.6",
        "2.7, 2.7",
        "2.7.1, 2.7.1",
        "2.8, 2.8",
        "2.8.1, 2.8.1",
        "2.8.2, 2.8.1",
        "' 2.4 ', 2.4",
        "2.3.2, 2.3.1",
        "2.4.1, 2.4",
    })
    void parsesVersionsFrom22To28x(String stated, String hapi) {
        assertThat(Hl7Parser.parseVersion(stated)).contains(hapi);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "2.1", "2.0", "2.9", "2.10", "3.0", "2", "v2.5", "2.8x"})
    void refusesVersionsOutside22To28x(String stated) {
        assertThat(Hl7Parser.parseVersion(stated)).isEmpty();
    }

    @Test
    void nullVersionIsUnsupported() {
        assertThat(Hl7Parser.parseVersion(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"adt_a01.hl7", "adt_a08_explicit_nulls.hl7", "adt_a40_merge.hl7", "oru_r01_hba1c.hl7",
        "oru_r01_v282.hl7", "adt_a28_v23.hl7", "adt_a31_invalid_nhs.hl7", "oru_missing_pid3.hl7"})
    void everyFixtureParses(String name) throws HL7Exception {
        Hl7Message message = parse(Hl7Fixtures.load(name));

        assertThat(message.segments()).isNotEmpty();
        assertThat(message.segments().get(0).getName()).isEqualTo("MSH");
        assertThat(message.first("PID")).isPresent();
    }

    @Test
    void version282And271Parse() throws HL7Exception {
        Hl7Message v282 = parse(Hl7Fixtures.load("oru_r01_v282.hl7"));
        Hl7Message v271 = parse(Hl7Fixtures.load("oru_r01_v282.hl7").replace("|2.8.2|", "|2.7.1|"));

        assertThat(v282.version()).isEqualTo("2.8.1");
        assertThat(v271.version()).isEqualTo("2.7.1");
        Segment obx = v282.all("OBX").get(0);
        assertThat(Hl7Message.value(obx, 5)).isEqualTo("32");
        assertThat(Hl7Message.value(v282.first("PID").orElseThrow(), 5, 0, 2)).isEqualTo("Zo\u00eb");
    }

    @Test
    void keepsSegmentsInTheOrderTheyCameIncludingZSegments() throws HL7Exception {
        Hl7Message message = parse(Hl7Fixtures.load("oru_r01_hba1c.hl7"));

        assertThat(message.segments()).extracting(Segment::getName).containsExactly(
                "MSH", "PID", "PV1", "ORC", "OBR", "NTE", "OBX", "NTE", "OBX", "ORC", "OBR", "OBX", "OBX", "OBX",
                "OBX", "ZPD");
        assertThat(message.all("OBX")).hasSize(6);
        assertThat(message.all("OBR")).hasSize(2);
        assertThat(message.first("ZPD")).isPresent();
        assertThat(message.first("SPM")).isEmpty();
        assertThat(message.all("SPM")).isEmpty();
    }

    @Test
    void decodesEscapeSequences() throws HL7Exception {
        Hl7Message message = parse(msh("2.5")
                + "\rNTE|1|L|a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f~second line");
        Segment nte = message.first("NTE").orElseThrow();

        assertThat(Hl7Message.value(nte, 3)).isEqualTo("a|b^c&d~e\\f");
        assertThat(Hl7Message.repetitions(nte, 3)).isEqualTo(2);
        assertThat(Hl7Message.value(nte, 3, 1, 1)).isEqualTo("second line");
    }

    @Test
    void decodesHexadecimalDataInTheCharsetGivenElseInTheOneMsh18Names() throws HL7Exception {
        String pid = "\rPID|1||M1^^^RHMX1^MR||M\\XDC\\LLER~M\\XC3\\\\X9C\\LLER";
        String latin1 = "MSH|^~\\&|PAS|RHMX1|||20240101||ADT^A08|C1|P|2.5" + pid;
        String utf8 = "MSH|^~\\&|PAS|RHMX1|||20240101||ADT^A08|C1|P|2.5||||||UNICODE UTF-8" + pid;

        Segment byDefault = Hl7Parser.parse(latin1, "2.5").first("PID").orElseThrow();
        Segment byMsh18 = Hl7Parser.parse(utf8, "2.5").first("PID").orElseThrow();
        Segment given = Hl7Parser.parse(latin1, "2.5", StandardCharsets.UTF_8).first("PID").orElseThrow();

        assertThat(Hl7Message.value(byDefault, 5, 0, 1)).isEqualTo("M\u00dcLLER");
        assertThat(Hl7Message.value(byDefault, 5, 1, 1)).as("C3 9C in Latin-1 ends in a control character: as sent")
                .isEqualTo("M\\XC3\\\\X9C\\LLER");
        assertThat(Hl7Message.value(byMsh18, 5, 0, 1)).as("not UTF-8: as sent").isEqualTo("M\\XDC\\LLER");
        assertThat(Hl7Message.value(byMsh18, 5, 1, 1)).isEqualTo("M\u00dcLLER");
        assertThat(Hl7Message.value(given, 5, 1, 1)).isEqualTo("M\u00dcLLER");
    }

    @Test
    void decodesEscapeSequencesWithTheMessagesOwnSeparators() throws HL7Exception {
        Hl7Message message = Hl7Parser.parse("MSH#$*!%#LIMS#RHMX1#CW#CW#20240101##ORU$R01#C1#P#2.5"
                + "\rNTE#1#L#one!F!two!S!three!T!four!R!five!E!six", "2.5");
        Segment nte = message.first("NTE").orElseThrow();

        assertThat(Hl7Message.value(nte, 3)).isEqualTo("one#two$three%four*five!six");
    }

    @Test
    void keepsExplicitNullAsTwoQuotes() throws HL7Exception {
        Hl7Message message = parse(Hl7Fixtures.load("adt_a08_explicit_nulls.hl7"));
        Segment pid = message.first("PID").orElseThrow();

        assertThat(Hl7Message.value(pid, 11)).isEqualTo(Hl7Message.EXPLICIT_NULL);
        assertThat(Hl7Message.value(pid, 13)).isEqualTo("\"\"");
        assertThat(Hl7Message.isExplicitNull(Hl7Message.value(pid, 29))).isTrue();
        assertThat(Hl7Message.isExplicitNull(Hl7Message.value(pid, 8))).isFalse();
        assertThat(Hl7Message.isExplicitNull("")).isFalse();
    }

    @Test
    void readsComponentsSubcomponentsAndRepetitions() throws HL7Exception {
        Hl7Message message = parse(Hl7Fixtures.load("adt_a28_v23.hl7"));
        Segment pid = message.first("PID").orElseThrow();

        assertThat(Hl7Message.repetitions(pid, 3)).isEqualTo(2);
        assertThat(Hl7Message.value(pid, 3)).isEqualTo("9990000069");
        assertThat(Hl7Message.value(pid, 3, 0, 4, 1)).isEmpty();
        assertThat(Hl7Message.value(pid, 3, 0, 4, 2)).isEqualTo("2.16.840.1.113883.2.1.4.1");
        assertThat(Hl7Message.value(pid, 3, 0, 4, 3)).isEqualTo("ISO");
        assertThat(Hl7Message.value(pid, 3, 1, 1)).isEqualTo("G1000069");
        assertThat(Hl7Message.value(pid, 3, 1, 5)).isEqualTo("PI");
        assertThat(Hl7Message.value(pid, 5, 0, 2)).isEqualTo("David");
        assertThat(Hl7Message.value(pid, 5, 0, 5)).isEqualTo("Mr");
    }

    @Test
    void absentFieldsComponentsAndRepetitionsAreEmptyNeverNull() throws HL7Exception {
        Segment pid = parse(Hl7Fixtures.load("adt_a40_merge.hl7")).first("PID").orElseThrow();

        assertThat(Hl7Message.value(pid, 4)).isEmpty();
        assertThat(Hl7Message.value(pid, 99)).isEmpty();
        assertThat(Hl7Message.value(pid, 3, 5, 1)).isEmpty();
        assertThat(Hl7Message.value(pid, 5, 0, 9)).isEmpty();
        assertThat(Hl7Message.repetitions(pid, 4)).isZero();
        assertThat(Hl7Message.repetitions(pid, 99)).isZero();
    }

    @Test
    void segmentSeparatorsMustBeCarriageReturnsForHapi() throws HL7Exception {
        String lf = Hl7Fixtures.load("oru_r01_hba1c.hl7").replace('\r', '\n');

        Hl7Message message = parse(MessageValidator.normaliseSegmentSeparators(lf));

        assertThat(message.all("OBX")).hasSize(6);
    }

    @Test
    void refusesWhatIsNotHl7() {
        assertThatThrownBy(() -> Hl7Parser.parse(Hl7Fixtures.load("garbage.txt"), "2.5"))
                .isInstanceOf(HL7Exception.class);
        assertThatThrownBy(() -> Hl7Parser.parse("", "2.5")).isInstanceOf(HL7Exception.class);
    }

    @Test
    void parsesOnEveryThreadIndependently() throws Exception {
        String text = Hl7Fixtures.load("oru_r01_hba1c.hl7");
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 50; i++) {
                        assertThat(parse(text).all("OBX")).hasSize(6);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
    }

    private static Hl7Message parse(String text) throws HL7Exception {
        String version = MshReader.read(text).orElseThrow().version();
        return Hl7Parser.parse(text, Hl7Parser.parseVersion(version).orElseThrow());
    }

    private static String msh(String version) {
        return "MSH|^~\\&|LIMS|RHMX1|CW|CW|20240101||ORU^R01|C1|P|" + version;
    }
}
