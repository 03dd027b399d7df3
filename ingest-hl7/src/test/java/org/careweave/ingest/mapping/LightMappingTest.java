package org.careweave.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.careweave.events.RawMessage;
import org.careweave.ingest.Hl7Fixtures;
import org.careweave.ingest.hl7.LightMessage;
import org.careweave.ingest.hl7.MshReader;
import org.careweave.ingest.validation.MessageValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mapper reads messages with the light reader where it can; its events (or its refusal) must be exactly those
 * of the HAPI parse it replaces, on the fixtures, on hand-made variants and on damaged and reshuffled input.
 */
class LightMappingTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private final RawMessageMapper light = new RawMessageMapper(LONDON, Map.of("LABS", ZoneId.of("UTC")), Map.of("LABS", "RHMX1"), true);
    private final RawMessageMapper hapi = new RawMessageMapper(LONDON, Map.of("LABS", ZoneId.of("UTC")), Map.of("LABS", "RHMX1"), false);

    private static final String ADT = "MSH|^~\\&|PAS|RHMX1|CAREWEAVE|CW|20240715093512||ADT^A01|C1|P|2.5\r"
            + "EVN|A01|20240715093500\r"
            + "PID|1||M100001^^^RHMX1^MR~9990000018^^^NHS^NH~G7^^^&2.16.840.1.113883.2.1.4.1&ISO||FICTIONAL^Alice^B"
            + "^^Dr||19800214|F|||1 High St^Flat 2^Leeds^West Yorks^LS1 1AA^GB||0113 000 0000||||||||||||||||"
            + "20240101120000|Y|||01\r"
            + "PV1|1|I|WARD7^BED2^^RHMX1||||||||||||||||V123^^^RHMX1&1.2.3&ISO|||||||||||||||||||||||||"
            + "20240715090000|20240716100000";
    private static final String ORU = "MSH|^~\\&|WINPATH|LABS|CAREWEAVE|CW|20240612143000||ORU^R01^ORU_R01|C2|P|2.4\r"
            + "PID|1||L300042^^^RHMX1^MR||SAMPLE^Carol||19720905|F\r"
            + "OBR|1|PL1|FL1|HBA1C^HbA1c^WINPATH|||20240612083000||||||||||||||||20240612120000\r"
            + "NTE|1|L|order note~second line\r"
            + "OBX|1|NM|4548-4^HbA1c^LN||53|mmol/mol|20-41|H~A|||F|||20240612090000+0100\r"
            + "NTE|1|L|plain note\r"
            + "OBX|2|SN|2345-7^Glucose^LN|1|<^5.5|mmol/L||||F\r"
            + "OBX|3|CWE|X^Pos^L||POS^Positive^L||||||C\r"
            + "OBX|4|FT|NOTE^Note||line one~line two||||||F\r"
            + "OBX|5|ST|777^Remark^SCT||\"\"||||||F";
    private static final String MERGE = "MSH|^~\\&|PAS|RHMX1|||20240101||ADT^A40^ADT_A39|C3|P|2.3\r"
            + "PID|1||M1^^^RHMX1^MR\rMRG|M2^^^RHMX1^MR~9990000026^^^NHS^NH|||||V9";

    @ParameterizedTest
    @ValueSource(strings = {"adt_a01.hl7", "adt_a08_explicit_nulls.hl7", "adt_a40_merge.hl7", "oru_r01_hba1c.hl7",
        "oru_r01_v282.hl7", "adt_a28_v23.hl7", "adt_a31_invalid_nhs.hl7", "oru_missing_pid3.hl7", "garbage.txt"})
    void fixturesMapToTheSameEvents(String name) {
        assertSameOutcome(Hl7Fixtures.load(name));
    }

    @Test
    void variantsMapToTheSameEvents() {
        List<String> texts = List.of(ADT, ORU, MERGE,
                ADT.replace("20240101120000|Y", "|N"),
                ORU.replace("|||20240612083000||||||||||||||||20240612120000", "")
                        + "\rSPM|1|||BLD^Blood|||||||||||||20240612081500+0100",
                ORU.replace("|||20240612083000||||||||||||||||20240612120000", ""),
                ORU + "\rOBX|6|ED|PDF^Report||^AP^PDF^Base64^JVBERi0xLjQK||||||F"
                        + "\rOBX|7|RP|IMG^Image||https://pacs.example.invalid/1^PACS||||||F",
                ADT.replace("PID|1||", "PID|1|9990000026^^^NHS^NH~X1^^^RXX99|").replace("2.5\r", "2.3\r"),
                ORU.replace("PID|1||L300042^^^RHMX1^MR|", "PID|1|9990000018^^^NHS^NH|L300042^^^RHMX1^MR"
                        + "|9990000026^^^&" + NhsNumbers.OID + "&ISO"),
                ORU + "\rOBX|6|FT|NOTE^Note||line three||||||F\rOBX|7|FT|NOTE^Note||||||||F"
                        + "\rNTE|1|L|after the report\rOBX|8|FT|NOTE^Note||line five||||||F",
                ADT.replace("FICTIONAL^Alice^B", "\"\""),
                ADT.replace("19800214|F", "\"\"|\"\""),
                ADT.replace("1 High St^Flat 2", "\"\""),
                ADT.replace("0113 000 0000", "^PRN^PH^^^^^^^^^0113 000 0001"),
                ADT.replace("V123^^^RHMX1&1.2.3&ISO", "V123^^^&1.2.3&ISO"),
                ADT.replace("WARD7^BED2^^RHMX1", "\"\"^BED2"),
                ADT.replace("20240715090000", "2024071509"),
                ADT.replace("ADT^A01", "ADT^A03"),
                ADT.replace("ADT^A01", "ADT^A13").replace("EVN|A01", "EVN|A13"),
                ADT.replace("ADT^A01", "ADT^A06^ADT_A06")
                        .replace("\rPV1", "\rMRG|M100001^^^RHMX1^MR||||E77^^^RHMX1\rPV1"),
                ADT.replace("ADT^A01", "ADT^A07^ADT_A06")
                        .replace("\rPV1", "\rMRG|M100001||||E\\T\\7^^^&1.2.3&ISO\rPV1"),
                ADT.replace("ADT^A01", "ADT^A06").replace("\rPV1", "\rMRG|M100001||||\"\"\rPV1"),
                ADT.replace("ADT^A01", "ADT^A50^ADT_A50")
                        .replace("\rPV1", "\rMRG|M100001^^^RHMX1^MR||||V99^^^RHMX1\rPV1"),
                ADT.replace("ADT^A01", "ADT^A42^ADT_A39")
                        .replace("\rPV1", "\rMRG|M100001^^^RHMX1^MR||||V99^^^RHMX1\rPV1"),
                ADT.replace("ADT^A01", "ADT^A41^ADT_A39").replace("\rPV1", "\rMRG|M100001^^^RHMX1^MR||ACCT9\rPV1"),
                ADT.replace("ADT^A01", "ADT^A35^ADT_A30").replace("\rPV1", "\rMRG|M100001^^^RHMX1^MR||ACCT9\rPV1"),
                MERGE.replace("ADT^A40^ADT_A39", "ADT^A47^ADT_A30"),
                MERGE.replace("ADT^A40^ADT_A39", "ADT^A18^ADT_A18").replace("|2.5", "|2.3"),
                ADT.replace("FICTIONAL^Alice^B", "FICTIONAL^Al^^^^^A~FICTIONAL^Alice^B^^^^L"),
                ADT.replace("FICTIONAL^Alice^B", "OLDNAME^Alice^^^^^M~FICTIONAL^Alice"),
                ADT.replace("ADT^A01", "ADT^A23^ADT_A21"),
                ADT.replace("19800214|F", "19800214|2"),
                ADT.replace("\rPV1", "\rPD1|||Example Surgery^^Y99999\rPV1"),
                ADT.replace("\rPV1", "\rPD1|||Example \\T\\ Co^^^^^^^^^Y88888\rPV1"),
                ADT.replace("\rPV1", "\rPD1|||\"\"\rPV1"),
                ADT.replace("ADT^A01", "ADT^A17^ADT_A17") + "\rPID|2||M9^^^RHMX1^MR||OTHER^Bea\rPV1|1|I|WARD2^BED1",
                ADT.replace("ADT^A01", "ADT^A54^ADT_A54"),
                ADT.replace("ADT^A01", "ADT^A61^ADT_A61"),
                ADT.replace("ADT^A01", "ADT^A60^ADT_A60"),
                ADT.replace("ADT^A01", "ADT^A51^ADT_A51").replace("\rPV1", "\rMRG|M100001^^^RHMX1^MR||||||||AV1\rPV1"),
                ADT.replace("ADT^A01", "ADT^A48^ADT_A30").replace("\rPV1", "\rMRG|M100001^^^RHMX1^MR|ALT1\rPV1"),
                MERGE.replace("ADT^A40^ADT_A39", "ADT^A46^ADT_A30").replace("|2.5", "|2.3"),
                ADT.replace("ADT^A01", "ADT^A24^ADT_A24") + "\rPID|2||B77^^^RAE01^MR~X9\rPV1|1|I",
                ADT.replace("ADT^A01", "ADT^A37^ADT_A37") + "\rPID|2||B77^^^RAE01^MR",
                ADT.replace("ADT^A01", "ADT^A24^ADT_A24"),
                ADT.replace("ADT^A01", "ADT^A45^ADT_A45").replace("\rPV1", "\rMRG|W1^^^RHMX1^MR||||V9\rPV1"),
                ADT.replace("ADT^A01", "ADT^A45^ADT_A45").replace("\rPV1", "\rMRG|W1^^^RHMX1^MR\rPV1")
                        + "\rMRG|W1^^^RHMX1^MR||||V8\rPV1|1|O",
                ADT.replace("ADT^A01", "ADT^A45^ADT_A45"),
                ADT.replace("ADT^A01", "ADT^A29^ADT_A21"),
                ADT.replace("1 High St^Flat 2", "^^Elsewhere^^^^BDL~1 High St^Flat 2"),
                ADT.replace("0113 000 0000", "^NET^Internet^a@example.invalid~^PRN^PH^^44^113^4960000"),
                ADT.replace("ADT^A01", "ADT^A08").replace(ADT.substring(ADT.indexOf("PV1|")), "PV1|1|N"),
                ADT.replace("ADT^A01", "ADT^A03").replace(ADT.substring(ADT.indexOf("PV1|")), "PV1|1|\"\""),
                ADT.replace("ADT^A01", "ADT^A08").replace("\rPV1", "\rZPV"),
                ADT.replace("FICTIONAL^Alice", "O\\S\\NEIL^Alice"),
                ADT.replace("FICTIONAL^Alice", "M\\XDC\\LLER^Alice").replace("1 High St", "1 M\\XFC\\hlenweg"),
                ORU.replace("line one~line two", "line one\\X0D\\\\X0A\\line two\\XZZ\\"),
                ADT.replace("19800214", "14/02/1980"),
                ORU.replace("4548-4^HbA1c^LN", "4548-4^HbA1c \\T\\ more^LN"),
                ORU.replace("OBX|4|FT|NOTE^Note||line one~line two", "OBX|4|FT|NOTE^Note||line\\.br\\two"),
                ORU.replace("|53|", "|+5.3e2|"),
                ORU.replace("OBR|1|PL1", "ZBR|1|PL1"),
                ORU.replace("OBX|3|CWE|X^Pos^L", "OBX|3|CWE|"),
                ORU.replace("|<^5.5|", "|^5.5^-^7|"),
                MERGE + "\rPID|2||M5^^^RHMX1^MR\rMRG|M6^^^RHMX1^MR",
                ORU + "\rPID|2||L300043^^^RHMX1^MR||OTHER^Dora\rOBR|1|PL2|FL2|FBC\rOBX|1|NM|718-7^Hb^LN||131|g/L||||F",
                MERGE.replace("MRG|M2^^^RHMX1^MR~9990000026^^^NHS^NH", "MRG|\"\""),
                MERGE.replace("\rMRG|M2^^^RHMX1^MR~9990000026^^^NHS^NH|||||V9", ""),
                ADT.replace("PID|", "pid|"),
                ADT.replace("\rPV1", "\rMSH|^~\\&|X\rPV1"),
                ADT.replace("^~\\&", "^~\\&#").replace("|2.5", "|2.7"),
                ADT.replace("|2.5", "|2.9"),
                ADT.replace('\r', '\n'),
                "\r\n" + ORU + "\r\r\n ");
        for (String text : texts) {
            assertSameOutcome(text);
        }
    }

    @Test
    void theLightReaderMapsOrdinaryMessages() {
        // Not a behaviour, but the point of it: ordinary messages must not all fall back to HAPI.
        for (String text : List.of(ADT, ORU, MERGE)) {
            String normalised = MessageValidator.normaliseSegmentSeparators(text);
            LightMessage message = LightMessage.read(normalised, MshReader.read(normalised).orElseThrow())
                    .orElseThrow();
            assertThat(message.segments()).isNotEmpty();
        }
    }

    @Test
    void onlyMessagesTheLightReaderCannotAnswerForAreCountedAsHapiReads() {
        RawMessageMapper mapper = new RawMessageMapper(LONDON, Map.of());
        for (String text : List.of(ADT, ORU, MERGE)) {
            mapper.map(RawMessageMapperTest.raw(text), RawMessageMapperTest.ref(RawMessageMapperTest.raw(text)));
        }
        assertThat(mapper.hapiReads()).isZero();

        // An escape sequence in a value the mapping reads: HAPI unescapes it, so HAPI reads the message.
        String escaped = ADT.replace("FICTIONAL^Alice^B", "FICTIONAL\\T\\JONES^Alice^B");
        mapper.map(RawMessageMapperTest.raw(escaped), RawMessageMapperTest.ref(RawMessageMapperTest.raw(escaped)));
        assertThat(mapper.hapiReads()).isEqualTo(1);
    }

    @Test
    void damagedMessagesMapToTheSameEvents() {
        Random random = new Random(17);
        List<String> seeds = new ArrayList<>(List.of(ADT, ORU, MERGE));
        for (String name : List.of("oru_r01_hba1c.hl7", "adt_a01.hl7", "oru_r01_v282.hl7", "adt_a40_merge.hl7",
                "adt_a28_v23.hl7", "adt_a08_explicit_nulls.hl7")) {
            seeds.add(Hl7Fixtures.load(name));
        }
        String noise = "|^~\\&\r\n\"0A-+. PIDOBXMRG";
        for (int i = 0; i < 4_000; i++) {
            char[] text = seeds.get(i % seeds.size()).toCharArray();
            for (int k = 0, damage = 1 + random.nextInt(5); k < damage; k++) {
                text[random.nextInt(text.length)] = noise.charAt(random.nextInt(noise.length()));
            }
            assertSameOutcome(new String(text));
            assertSameOutcome(new String(Arrays.copyOf(text, random.nextInt(text.length + 1))));
        }
    }

    /** Segments dropped, repeated and moved: the OBR/OBX/NTE context and "first of" rules. */
    @Test
    void reshuffledSegmentsMapToTheSameEvents() {
        Random random = new Random(23);
        String[] seeds = {Hl7Fixtures.load("oru_r01_hba1c.hl7"), ADT, ORU, MERGE};
        for (int i = 0; i < 2_000; i++) {
            List<String> segments = new ArrayList<>(Arrays.asList(seeds[i % seeds.length].split("\r")));
            for (int k = 0; k < 1 + random.nextInt(3) && segments.size() > 2; k++) {
                int from = 1 + random.nextInt(segments.size() - 1);
                int to = 1 + random.nextInt(segments.size() - 1);
                switch (random.nextInt(3)) {
                    case 0 -> segments.remove(from);
                    case 1 -> segments.add(to, segments.get(from));
                    default -> segments.add(to, segments.remove(from));
                }
            }
            assertSameOutcome(String.join("\r", segments));
        }
    }

    private void assertSameOutcome(String text) {
        RawMessage raw;
        try {
            raw = RawMessageMapperTest.raw(text);
        } catch (RuntimeException e) {
            return; // not something ingest could have archived (no charset for it)
        }
        assertThat(outcome(light, raw)).as(text.replace('\r', '\n')).isEqualTo(outcome(hapi, raw));
    }

    /** The events, or the refusal's type and reason. */
    private static Object outcome(RawMessageMapper mapper, RawMessage raw) {
        try {
            return mapper.map(raw, RawMessageMapperTest.ref(raw));
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
