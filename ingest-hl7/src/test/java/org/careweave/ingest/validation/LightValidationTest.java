package org.careweave.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.careweave.events.AckCode;
import org.careweave.ingest.Hl7Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The validator reads supported messages with the light reader where it can; its verdicts must be exactly those of
 * the HAPI parse it replaces, on good messages, on every kind of refusal and on damaged input.
 */
class LightValidationTest {

    private static final MessageValidator.Rules RULES = MessageValidator.Rules.defaults();
    private static final MessageValidator.Rules ARCHIVING = new MessageValidator.Rules(StandardCharsets.ISO_8859_1,
            true, ZoneId.of("Europe/London"));

    private final MessageValidator light = new MessageValidator(RULES);
    private final MessageValidator hapi = new MessageValidator(RULES, false);
    private final MessageValidator lightArchiving = new MessageValidator(ARCHIVING);
    private final MessageValidator hapiArchiving = new MessageValidator(ARCHIVING, false);

    private static final String ADT = "MSH|^~\\&|PAS|RHMX1|CAREWEAVE|CW|20240715093512||ADT^A01|C1|P|2.5\r"
            + "EVN|A01|20240715093500\r"
            + "PID|1||M100001^^^RHMX1^MR~9990000018^^^NHS^NH||FICTIONAL^Alice||19800214|F\r"
            + "PV1|1|I|WARD7";
    private static final String ORU = "MSH|^~\\&|WINPATH|RHMX1|CAREWEAVE|CW|20240612143000||ORU^R01^ORU_R01|C2|P|2.4\r"
            + "PID|1||L300042^^^RHMX1^MR||SAMPLE^Carol||19720905|F\r"
            + "OBR|1|PL1|FL1|HBA1C^HbA1c^WINPATH|||20240612083000\r"
            + "OBX|1|NM|4548-4^HbA1c^LN||53|mmol/mol|20-41|H|||F\r"
            + "NTE|1|L|see \\T\\ note\r"
            + "OBX|2|FT|NOTE^Note||line\\.br\\two||||||F|||20240612090000+0100";
    private static final String MERGE = "MSH|^~\\&|PAS|RHMX1|||20240101||ADT^A40^ADT_A39|C3|P|2.3\r"
            + "PID|1||M1^^^RHMX1^MR\rMRG|M2^^^RHMX1^MR";

    @ParameterizedTest
    @ValueSource(strings = {"adt_a01.hl7", "adt_a08_explicit_nulls.hl7", "adt_a40_merge.hl7", "oru_r01_hba1c.hl7",
        "oru_r01_v282.hl7", "adt_a28_v23.hl7", "adt_a31_invalid_nhs.hl7", "oru_missing_pid3.hl7", "garbage.txt"})
    void fixturesGetTheSameVerdict(String name) {
        assertSameVerdict(Hl7Fixtures.bytes(name));
    }

    @Test
    void contentErrorsGetTheSameVerdict() {
        List<String> texts = List.of(ADT, ORU, MERGE,
                ADT.replace("M100001^^^RHMX1^MR~9990000018^^^NHS^NH", ""),
                ADT.replace("M100001^^^RHMX1^MR~9990000018^^^NHS^NH", "\"\"~^X~&Y"),
                ADT.replace("M100001^^^RHMX1^MR~9990000018^^^NHS^NH", "~ "),
                ADT.replace("M100001^^^RHMX1^MR~9990000018^^^NHS^NH", "\\F\\"),
                ADT.replace("19800214", "14/02/1980"),
                ADT.replace("19800214", "\\H\\19800214\\N\\"),
                ADT.replace("19800214", "\\"),
                ADT.replace("19800214", "198002"),
                ADT.replace("\rPV1|1|I|WARD7", ""),
                ADT.replace("PID|", "ZID|"),
                ADT.replace("20240715093512", "now"),
                ORU.replace("20240612083000", "12/06/2024"),
                ORU.replace("|F|||20240612090000+0100", "||||2024-06-12"),
                ORU.replace("OBX|1|NM|4548-4^HbA1c^LN|", "OBX|1|||"),
                ORU.replace("OBR|", "ZBR|").replace("OBX|", "ZBX|"),
                ORU.replace("OBX|2|FT|NOTE^Note||line\\.br\\two", "OBX|2||NOTE^Note||\\.br\\"),
                MERGE.replace("MRG|M2^^^RHMX1^MR", "MRG|"),
                MERGE.replace("MRG|M2^^^RHMX1^MR", "MRG|^M2"),
                MERGE.replace("MRG|M2^^^RHMX1^MR", "MRG|\\E\\"),
                MERGE.replace("\rMRG|M2^^^RHMX1^MR", ""),
                ADT.replace("PID|", "pid|"),
                ADT.replace("PID|", " PID|"),
                ADT.replace("\rPV1", "\rMSH|^~\\&|X\rPV1"),
                ADT.replace("^~\\&", "^~\\&#").replace("|2.5", "|2.7"),
                ADT.replace("^~\\&", "^~").replace("|2.5", "|2.2"),
                ADT.replace("ADT^A01", "SIU^S12"),
                ADT.replace('\r', '\n'),
                "\r\n" + ORU + "\r\r\n ");
        for (String text : texts) {
            assertSameVerdict(text.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void theLightReaderAnswersForOrdinaryMessages() {
        // Not a behaviour, but the point: these must not all fall back to HAPI. Same verdict either way.
        assertThat(light.validate(ORU.getBytes(StandardCharsets.ISO_8859_1)).ackCode()).isEqualTo(AckCode.AA);
        assertThat(org.careweave.ingest.hl7.LightMessage.read(MessageValidator.normaliseSegmentSeparators(ORU),
                org.careweave.ingest.hl7.MshReader.read(ORU).orElseThrow())).isPresent();
    }

    /** The validator's own fuzz, but comparing verdicts rather than only not throwing. */
    @Test
    void damagedMessagesGetTheSameVerdict() {
        Random random = new Random(11);
        List<byte[]> seeds = new ArrayList<>();
        for (String name : List.of("oru_r01_hba1c.hl7", "adt_a01.hl7", "oru_r01_v282.hl7", "adt_a40_merge.hl7",
                "adt_a28_v23.hl7", "adt_a08_explicit_nulls.hl7")) {
            seeds.add(Hl7Fixtures.bytes(name));
        }
        seeds.add(ADT.getBytes(StandardCharsets.ISO_8859_1));
        seeds.add(ORU.getBytes(StandardCharsets.ISO_8859_1));
        seeds.add(MERGE.getBytes(StandardCharsets.ISO_8859_1));
        String noise = "|^~\\&\r\n\"0A-+. \u00ff\u0000PIDOBXMRG";
        for (int i = 0; i < 4_000; i++) {
            byte[] payload = seeds.get(i % seeds.size()).clone();
            int damage = 1 + random.nextInt(5);
            for (int k = 0; k < damage; k++) {
                int at = random.nextInt(payload.length);
                payload[at] = (byte) noise.charAt(random.nextInt(noise.length()));
            }
            assertSameVerdict(payload);
            assertSameVerdict(Arrays.copyOf(payload, random.nextInt(payload.length + 1)));
        }
    }

    /** Segments dropped, repeated and moved: the ordering and "first of" rules are where readers differ. */
    @Test
    void reshuffledSegmentsGetTheSameVerdict() {
        Random random = new Random(5);
        String[] seeds = {Hl7Fixtures.load("oru_r01_hba1c.hl7"), ADT, ORU, MERGE, Hl7Fixtures.load("adt_a01.hl7")};
        for (int i = 0; i < 2_000; i++) {
            List<String> segments = new ArrayList<>(Arrays.asList(seeds[i % seeds.length].split("\r")));
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                int from = 1 + random.nextInt(segments.size() - 1);
                int to = 1 + random.nextInt(segments.size() - 1);
                switch (random.nextInt(3)) {
                    case 0 -> segments.remove(from);
                    case 1 -> segments.add(to, segments.get(from));
                    default -> segments.add(to, segments.remove(from));
                }
                if (segments.size() < 2) {
                    break;
                }
            }
            assertSameVerdict(String.join("\r", segments).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void assertSameVerdict(byte[] payload) {
        String what = new String(payload, StandardCharsets.ISO_8859_1);
        assertThat(light.validate(payload)).as(what).isEqualTo(hapi.validate(payload));
        assertThat(lightArchiving.validate(payload)).as(what).isEqualTo(hapiArchiving.validate(payload));
    }
}
