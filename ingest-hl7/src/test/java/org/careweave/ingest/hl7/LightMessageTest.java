package org.careweave.ingest.hl7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.careweave.ingest.Hl7Fixtures;
import org.careweave.ingest.validation.MessageValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ca.uhn.hl7v2.HL7Exception;

/**
 * The light reader must give exactly HAPI's values, or give up. Every message here is read both ways and every value
 * the validator could ask for is compared.
 */
class LightMessageTest {

    private static final String MSH = "MSH|^~\\&|PAS|RHMX1|CW|CW|20240101||ADT^A01|C1|P|2.5";

    @ParameterizedTest
    @ValueSource(strings = {"adt_a01.hl7", "adt_a08_explicit_nulls.hl7", "adt_a40_merge.hl7", "oru_r01_hba1c.hl7",
        "oru_r01_v282.hl7", "adt_a28_v23.hl7", "adt_a31_invalid_nhs.hl7", "oru_missing_pid3.hl7"})
    void readsTheFixturesAsHapiDoes(String name) throws HL7Exception {
        assertSameAsHapi(Hl7Fixtures.load(name));
    }

    @Test
    void readsRepetitionsComponentsAndSubcomponentsAsHapiDoes() throws HL7Exception {
        String text = MSH + "\rPID|1||A^B^C~D&E^F~~^G~&H~ ||x||19800101\rPV1|1|I";
        LightMessage light = assertSameAsHapi(text);
        Hl7Fields pid = light.first("PID").orElseThrow();

        assertThat(pid.repetitions(3)).isEqualTo(6);
        assertThat(pid.value(3, 0, 1)).isEqualTo("A");
        assertThat(pid.value(3, 0, 3)).isEqualTo("C");
        assertThat(pid.value(3, 1, 1)).isEqualTo("D");
        assertThat(pid.value(3, 1, 2)).isEqualTo("F");
        assertThat(pid.value(3, 2, 1)).isEmpty();
        assertThat(pid.value(3, 3, 1)).isEmpty();
        assertThat(pid.value(3, 4, 1)).isEmpty();
        // Values are not trimmed: a space is a value.
        assertThat(pid.value(3, 5, 1)).isEqualTo(" ");
        assertThat(pid.value(3, 6, 1)).isEmpty();
    }

    @Test
    void countsRepetitionsAsHapiDoes() throws HL7Exception {
        for (String pid3 : List.of("", "~", "~~", "X~", "~X", "X~~", "~~X~", "X~Y", "^~&", "\"\"")) {
            LightMessage light = assertSameAsHapi(MSH + "\rPID|1||" + pid3 + "|x");
            assertThat(light.first("PID").orElseThrow().repetitions(3)).as(pid3)
                    .isEqualTo(Hl7Message.repetitions(hapiSegment(MSH + "\rPID|1||" + pid3 + "|x", "PID"), 3));
        }
    }

    /** Every repetition of a long field, read before its repetitions are counted, as HAPI reads it. */
    @Test
    void readsEachRepetitionOfALongFieldAsHapiDoes() throws HL7Exception {
        String pid3 = "~A^1~~B&2^C~ ~".repeat(500) + "~D";
        String text = MSH + "\rPID|1||" + pid3 + "|x";
        Hl7Fields light = LightMessage.read(text, msh(text)).orElseThrow().first("PID").orElseThrow();
        Hl7Fields hapi = hapi(text).asSegments().first("PID").orElseThrow();

        for (int rep = 0; rep < 2_505; rep++) {
            for (int component = 1; component <= 2; component++) {
                assertThat(light.value(3, rep, component, 1)).as("repetition %d component %d", rep, component)
                        .isEqualTo(hapi.value(3, rep, component, 1));
            }
            assertThat(light.value(3, rep, 1, 2)).isEqualTo(hapi.value(3, rep, 1, 2));
        }
        assertThat(light.repetitions(3)).isEqualTo(hapi.repetitions(3)).isEqualTo(2_502);
        assertThat(light.value(3, 2_501, 1)).isEqualTo("D");
    }

    @Test
    void emptyAndAbsentFieldsAreEmpty() throws HL7Exception {
        LightMessage light = assertSameAsHapi(MSH + "\rPID|1||||||\rPV1\rMRG|");
        Hl7Fields pid = light.first("PID").orElseThrow();

        assertThat(pid.value(3)).isEmpty();
        assertThat(pid.value(99)).isEmpty();
        assertThat(pid.repetitions(3)).isZero();
        assertThat(light.first("PV1").orElseThrow().value(1)).isEmpty();
        assertThat(light.first("MRG").orElseThrow().value(1)).isEmpty();
        assertThat(light.first("OBX")).isEmpty();
        assertThat(light.all("OBX")).isEmpty();
    }

    @Test
    void keepsExplicitNullAsTwoQuotes() throws HL7Exception {
        LightMessage light = assertSameAsHapi(MSH + "\rPID|1||\"\"||x||\"\"");

        assertThat(light.first("PID").orElseThrow().value(3)).isEqualTo(Hl7Message.EXPLICIT_NULL);
        assertThat(light.first("PID").orElseThrow().value(7)).isEqualTo(Hl7Message.EXPLICIT_NULL);
    }

    @Test
    void usesTheMessagesOwnSeparators() throws HL7Exception {
        String text = "MSH#$*!%#LIMS#RHMX1#CW#CW#20240101##ORU$R01#C1#P#2.5"
                + "\rPID#1##A$B%C$D*E$F##x\rOBX#1#NM#code$text##5###";
        LightMessage light = assertSameAsHapi(text);
        Hl7Fields pid = light.first("PID").orElseThrow();

        assertThat(pid.repetitions(3)).isEqualTo(2);
        assertThat(pid.value(3)).isEqualTo("A");
        assertThat(pid.value(3, 0, 2)).isEqualTo("B");
        assertThat(pid.value(3, 1, 1)).isEqualTo("E");
        assertThat(light.first("OBX").orElseThrow().value(3)).isEqualTo("code");
        // With these separators | and ^ are plain text.
        assertSameAsHapi("MSH#$*!%#LIMS#RHMX1#CW#CW#20240101##ORU$R01#C1#P#2.5\rPID#1##A|B^C~D&E");
    }

    @Test
    void keepsSegmentsInTheOrderTheyCame() throws HL7Exception {
        String text = MSH + "\rPID|1||P1\rOBR|1\rOBX|1|NM|a\rNTE|1\rOBX|2|NM|b\rPID|2||P2\rOBX|3|||v\rZZZ|1"
                + "\rOBR|2\rOBX|4";
        LightMessage light = assertSameAsHapi(text);

        assertThat(light.all("OBX")).extracting(s -> s.value(1)).containsExactly("1", "2", "3", "4");
        assertThat(light.all("OBR")).hasSize(2);
        assertThat(light.first("PID").orElseThrow().value(3)).isEqualTo("P1");
    }

    @Test
    void readsNonAsciiText() throws HL7Exception {
        String text = "MSH|^~\\&|LIMS|RHMX1|CW|CW|20240101||ORU^R01|C1|P|2.5|||||||UNICODE UTF-8"
                + "\rPID|1||Ünïcødé^^^Łódź||Zoë\rOBX|1|ST|Größe||ß😀|||||F";
        LightMessage light = assertSameAsHapi(text);

        assertThat(light.first("PID").orElseThrow().value(3)).isEqualTo("Ünïcødé");
        assertThat(light.first("OBX").orElseThrow().value(5)).isEqualTo("ß😀");
    }

    @Test
    void givesUpOnAValueWithAnEscapeSequence() throws HL7Exception {
        String text = MSH + "\rPID|1||\\F\\A~B||x||\\H\\19800101\\N\\\rNTE|1|L|a\\.br\\b";
        LightMessage light = LightMessage.read(text, msh(text)).orElseThrow();
        Hl7Fields pid = light.first("PID").orElseThrow();

        assertThatThrownBy(() -> pid.value(3)).isInstanceOf(LightMessage.Unsure.class);
        assertThatThrownBy(() -> pid.value(7)).isInstanceOf(LightMessage.Unsure.class);
        // Values without one are still read, and escapes elsewhere do not matter.
        assertThat(pid.value(3, 1, 1)).isEqualTo("B");
        assertThat(pid.value(5)).isEqualTo("x");
        assertThat(pid.value(3, 1, 1)).isEqualTo(Hl7Message.value(hapiSegment(text, "PID"), 3, 1, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "pid|1||X",             // not capitals: HAPI files it under its own name
        "PIDX|1||X",            // HAPI calls this PID
        "PI|1||X",              // HAPI calls this PI
        "P D|1||X",
        "1ID|1||X",
        " PID|1||X",            // HAPI strips leading whitespace
        "\u001cPID|1||X",
        "PI",                   // too short: HAPI skips it
        "MSH|^~\\&|X",          // a second MSH is numbered differently
        "BHS|^~\\&|X",
        "FHS|^~\\&|X",
    })
    void givesUpOnSegmentsHapiReadsDifferently(String segment) {
        String text = MSH + "\rPID|1||Y\r" + segment + "\rOBX|1";

        assertThat(LightMessage.read(text, msh(text))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "MSH|^~|PAS|RHMX1|CW|CW|20240101||ADT^A01|C1|P|2.2",        // HAPI would take "|P" as escape and subcomponent
        "MSH|^~\\|PAS|RHMX1|CW|CW|20240101||ADT^A01|C1|P|2.2",
        "MSH|^~\\&#|PAS|RHMX1|CW|CW|20240101||ADT^A01|C1|P|2.7",
    })
    void givesUpUnlessThereAreExactlyFourEncodingCharacters(String header) {
        String text = header + "\rPID|1||X";

        assertThat(LightMessage.read(text, msh(text))).isEmpty();
    }

    @Test
    void neverAnswersForMsh() {
        String text = MSH + "\rPID|1||X";
        LightMessage light = LightMessage.read(text, msh(text)).orElseThrow();

        assertThatThrownBy(() -> light.first("MSH")).isInstanceOf(LightMessage.Unsure.class);
    }

    /** Random damage to real messages: whatever the light reader still answers for, it answers as HAPI. */
    @Test
    void answersAsHapiOnDamagedMessages() throws HL7Exception {
        Random random = new Random(7);
        String[] seeds = {Hl7Fixtures.load("oru_r01_hba1c.hl7"), Hl7Fixtures.load("adt_a01.hl7"),
            Hl7Fixtures.load("adt_a28_v23.hl7"), Hl7Fixtures.load("adt_a40_merge.hl7")};
        String noise = "|^~\\&\r\"0A- .é";
        int read = 0;
        for (int i = 0; i < 3_000; i++) {
            StringBuilder b = new StringBuilder(seeds[i % seeds.length]);
            int mshEnd = b.indexOf("\r");
            for (int k = 0; k < 1 + random.nextInt(6); k++) {
                // Leave MSH alone: a damaged MSH is refused before either reader runs.
                int at = mshEnd + 1 + random.nextInt(b.length() - mshEnd - 1);
                b.setCharAt(at, noise.charAt(random.nextInt(noise.length())));
            }
            String text = MessageValidator.normaliseSegmentSeparators(b.toString());
            Optional<MshHeader> msh = MshReader.read(text);
            if (msh.isEmpty() || LightMessage.read(text, msh.get()).isEmpty()) {
                continue;
            }
            read++;
            assertSameAsHapi(text);
        }
        assertThat(read).as("damaged messages the light reader still read").isGreaterThan(1_000);
    }

    /** Reads the text both ways and compares every value the validator could ask for. */
    private static LightMessage assertSameAsHapi(String original) throws HL7Exception {
        String text = MessageValidator.normaliseSegmentSeparators(original);
        LightMessage light = LightMessage.read(text, msh(text)).orElseThrow();
        Hl7Segments hapi = hapi(text).asSegments();
        assertThat(light.segments()).extracting(Hl7Fields::name).as("segments in order in %s", text)
                .containsExactlyElementsOf(hapi.segments().stream().map(Hl7Fields::name).toList());
        for (String name : List.of("PID", "PV1", "MRG", "OBR", "OBX", "NTE", "ORC", "ZPD", "ZZZ", "EVN")) {
            assertThat(light.first(name).isPresent()).as("%s present in %s", name, text)
                    .isEqualTo(hapi.first(name).isPresent());
            List<Hl7Fields> lights = light.all(name);
            List<Hl7Fields> hapis = hapi.all(name);
            assertThat(lights).as("%s segments", name).hasSameSizeAs(hapis);
            for (int s = 0; s < lights.size(); s++) {
                for (int field = 1; field <= 16; field++) {
                    String at = name + "[" + (s + 1) + "]-" + field + " in " + text;
                    assertThat(lights.get(s).repetitions(field)).as(at).isEqualTo(hapis.get(s).repetitions(field));
                    for (int rep = 0; rep < 3; rep++) {
                        for (int component = 1; component <= 5; component++) {
                            for (int sub = 1; sub <= 3; sub++) {
                                String value;
                                try {
                                    value = lights.get(s).value(field, rep, component, sub);
                                } catch (LightMessage.Unsure e) {
                                    continue;
                                }
                                assertThat(value).as("%s rep %d component %d subcomponent %d", at, rep, component,
                                        sub).isEqualTo(hapis.get(s).value(field, rep, component, sub));
                            }
                        }
                    }
                }
            }
        }
        return light;
    }

    private static Hl7Message hapi(String text) throws HL7Exception {
        return Hl7Parser.parse(text, Hl7Parser.parseVersion(msh(text).version()).orElseThrow());
    }

    private static ca.uhn.hl7v2.model.Segment hapiSegment(String text, String name) throws HL7Exception {
        return hapi(text).first(name).orElseThrow();
    }

    private static MshHeader msh(String text) {
        return MshReader.read(text).orElseThrow();
    }

    @Test
    void fixturesAreReadInTheirCharset() {
        // The UTF-8 fixture is the non-ASCII case: its text, decoded as MSH-18 says, reads as HAPI reads it.
        byte[] bytes = Hl7Fixtures.bytes("oru_r01_v282.hl7");
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(LightMessage.read(MessageValidator.normaliseSegmentSeparators(text), msh(text))).isPresent();
    }
}
