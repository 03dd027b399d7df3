package org.careweave.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.careweave.events.AckCode;
import org.careweave.events.Coding;
import org.careweave.events.EncounterEvent;
import org.careweave.events.Identifier;
import org.careweave.events.ObservationEvent;
import org.careweave.events.PatientEvent;
import org.careweave.events.PatientEventKind;
import org.careweave.events.RawMessage;
import org.careweave.events.RawMessageRef;
import org.careweave.events.StatedTime;
import org.careweave.events.Transport;
import org.careweave.ingest.Hl7Fixtures;
import org.careweave.ingest.hl7.MshHeader;
import org.careweave.ingest.hl7.MshReader;
import org.careweave.ingest.intake.MessageIds;
import org.careweave.ingest.validation.Issue;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.ingest.validation.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RawMessageMapperTest {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final Instant RECEIVED = Instant.parse("2024-07-15T08:35:13.250Z");

    private final RawMessageMapper mapper = new RawMessageMapper(LONDON, Map.of());

    @Test
    void anAdmissionBecomesAPatientAndAnEncounter() {
        RawMessage raw = raw(Hl7Fixtures.load("adt_a01.hl7"));
        RawMessageRef ref = ref(raw);

        MappedEvents events = mapper.map(raw, ref);

        assertThat(events.size()).isEqualTo(2);
        assertThat(events.observations()).isEmpty();
        MappedEvents.Keyed<PatientEvent> keyed = events.patients().get(0);
        assertThat(keyed.key()).isEqualTo("RHMX1|M100001");
        PatientEvent p = keyed.event();
        assertThat(p.getKind()).isEqualTo(PatientEventKind.ADMIT);
        assertThat(p.getTrigger()).isEqualTo("A01");
        assertThat(p.getIdentifiers()).extracting(Identifiers::key)
                .containsExactly("RHMX1|M100001", NhsNumbers.SYSTEM + "|9990000018");
        assertThat(p.getIdentifiers()).extracting(Identifier::getType).containsExactly("MR", "NH");
        assertThat(p.getIdentifiers()).allMatch(Identifier::getValid);
        assertThat(p.getNhsNumber()).isEqualTo("9990000018");
        assertThat(p.getNhsNumberStatus()).isEqualTo("01");
        assertThat(p.getName().getFamily()).isEqualTo("FICTIONAL");
        assertThat(p.getName().getGiven()).containsExactly("Alice", "Jane");
        assertThat(p.getName().getPrefix()).isEqualTo("Ms");
        assertThat(p.getName().getSuffix()).isNull();
        assertThat(p.getBirthDate()).isEqualTo(LocalDate.of(1980, 2, 14));
        assertThat(p.getSex()).isEqualTo("F");
        assertThat(p.getAddress().getLines()).containsExactly("1 Imaginary Lane", "Flat 2");
        assertThat(p.getAddress().getCity()).isEqualTo("Leeds");
        assertThat(p.getAddress().getDistrict()).isEqualTo("West Yorkshire");
        assertThat(p.getAddress().getPostcode()).isEqualTo("LS99 9ZZ");
        assertThat(p.getAddress().getCountry()).isEqualTo("GBR");
        assertThat(p.getPhone()).isEqualTo("07700 900123");
        assertThat(p.getDeceasedAt()).isNull();
        assertThat(p.getMerge()).isNull();
        assertThat(p.getClearedFields()).isEmpty();
        assertThat(p.getProvenance().getSendingFacility()).isEqualTo("RHMX1");
        assertThat(p.getProvenance().getSendingApplication()).isEqualTo("PAS");
        assertThat(p.getProvenance().getMessageType()).isEqualTo("ADT^A01");
        assertThat(p.getProvenance().getControlId()).isEqualTo("RHMX1-ADT-000101");
        assertThat(p.getProvenance().getReceivedAt()).isEqualTo(RECEIVED);
        assertThat(p.getProvenance().getRaw()).isEqualTo(ref);

        MappedEvents.Keyed<EncounterEvent> encounter = events.encounters().get(0);
        assertThat(encounter.key()).isEqualTo("RHMX1|M100001");
        EncounterEvent e = encounter.event();
        assertThat(e.getTrigger()).isEqualTo("A01");
        assertThat(e.getPatientIdentifiers()).isEqualTo(p.getIdentifiers());
        assertThat(Identifiers.key(e.getVisit())).isEqualTo("RHMX1|V200001");
        assertThat(e.getVisit().getType()).isEqualTo("VN");
        assertThat(e.getPatientClass()).isEqualTo("I");
        assertThat(e.getLocation()).isEqualTo("WARD7 / BAY2 / BED3 / RHMX1");
        assertThat(e.getPriorLocation()).isNull();
        assertThat(e.getStatus()).isEqualTo("in-progress");
        // 09:30 on 15 July without offset is British Summer Time.
        assertThat(e.getAdmittedAt()).isEqualTo(Instant.parse("2024-07-15T08:30:00Z"));
        assertThat(e.getDischargedAt()).isNull();
        assertThat(e.getProvenance()).isEqualTo(p.getProvenance());
    }

    @Test
    void explicitNullsBecomeClearedFields() {
        MappedEvents events = map("adt_a08_explicit_nulls.hl7");

        PatientEvent p = events.patients().get(0).event();
        assertThat(p.getKind()).isEqualTo(PatientEventKind.UPDATE);
        assertThat(p.getClearedFields()).containsExactly("address", "phone", "deceasedAt", "deceased");
        assertThat(p.getAddress()).isNull();
        assertThat(p.getPhone()).isNull();
        assertThat(p.getDeceasedAt()).isNull();
        // Sent values are kept; fields not sent are neither set nor cleared.
        assertThat(p.getSex()).isEqualTo("M");
        assertThat(p.getName().getFamily()).isEqualTo("PRETEND");
        assertThat(p.getNhsNumber()).isEqualTo("9990000026");
        assertThat(p.getNhsNumberStatus()).isNull();
        EncounterEvent e = events.encounters().get(0).event();
        assertThat(e.getStatus()).as("an update says nothing about the status").isNull();
        assertThat(e.getPatientClass()).isEqualTo("O");
        assertThat(e.getLocation()).isEqualTo("OPD / RHMX1");
        assertThat(e.getVisit()).isNull();
    }

    @Test
    void explicitNullsOfNameBirthDateAndSexAreClearedToo() {
        String text = Hl7Fixtures.load("adt_a08_explicit_nulls.hl7")
                .replace("PRETEND^Edward||19910101|M|", "\"\"||\"\"|\"\"|");

        PatientEvent p = mapper.map(raw(text), ref(raw(text))).patients().get(0).event();

        assertThat(p.getClearedFields()).containsExactly("name", "birthDate", "sex", "address", "phone",
                "deceasedAt", "deceased");
        assertThat(p.getName()).isNull();
        assertThat(p.getBirthDate()).isNull();
        assertThat(p.getSex()).isNull();
    }

    @Test
    void aMergeCarriesThePriorIdentifiers() {
        MappedEvents events = map("adt_a40_merge.hl7");

        assertThat(events.encounters()).isEmpty();
        PatientEvent p = events.patients().get(0).event();
        assertThat(events.patients().get(0).key()).isEqualTo("RHMX1|M100040");
        assertThat(p.getKind()).isEqualTo(PatientEventKind.MERGE);
        assertThat(p.getTrigger()).isEqualTo("A40");
        assertThat(p.getNhsNumber()).isEqualTo("9990000034");
        assertThat(p.getMerge().getPriorIdentifiers()).extracting(Identifiers::key).containsExactly("RHMX1|M100041");
        assertThat(p.getMerge().getPriorVisit()).isEqualTo("V200041");
    }

    @Test
    void aChangeOfIdentifierFoldsThePriorIdentifierIntoTheNewOneAsAMergeDoes() {
        String a47 = Hl7Fixtures.load("adt_a40_merge.hl7").replace("ADT^A40^ADT_A39", "ADT^A47^ADT_A30")
                .replace("EVN|A40", "EVN|A47").replace("MRG|M100041^^^RHMX1^MR||||V200041", "MRG|T100041^^^RHMX1^MR");

        MappedEvents events = mapper.map(raw(a47), ref(raw(a47)));

        assertThat(events.encounters()).isEmpty();
        PatientEvent p = events.patients().get(0).event();
        assertThat(events.patients().get(0).key()).isEqualTo("RHMX1|M100040");
        assertThat(p.getKind()).isEqualTo(PatientEventKind.MERGE);
        assertThat(p.getTrigger()).isEqualTo("A47");
        assertThat(p.getMerge().getPriorIdentifiers()).extracting(Identifiers::key).containsExactly("RHMX1|T100041");

        String a46 = a47.replace("ADT^A47^ADT_A30", "ADT^A46^ADT_A30").replace("EVN|A47", "EVN|A46");
        PatientEvent older = mapper.map(raw(a46), ref(raw(a46))).patients().get(0).event();
        assertThat(older.getKind()).as("A46, A47's name before HL7 2.3.1").isEqualTo(PatientEventKind.MERGE);
        assertThat(older.getMerge().getPriorIdentifiers()).extracting(Identifiers::key)
                .containsExactly("RHMX1|T100041");
    }

    @Test
    void theAddressIsTheHomeOneAndThePhoneTheHomeNumberWhereverTheyStand() {
        String a01 = Hl7Fixtures.load("adt_a01.hl7");
        String address = "1 Imaginary Lane^Flat 2^Leeds^West Yorkshire^LS99 9ZZ^GBR";
        String birthPlaceFirst = a01.replace(address, "^^Elsewhere^^^GBR^BDL~" + address + "^H");
        String mailingFirst = a01.replace(address, "PO Box 9^^York^^YO9 9ZZ^^M~" + address);
        String emailFirst = a01.replace("07700 900123", "^NET^Internet^alice@example.invalid~07700 900123^PRN^PH");
        String workFirst = a01.replace("07700 900123", "0113 000 0009^WPN^PH~07700 900123^PRN^CP");

        for (String text : List.of(birthPlaceFirst, mailingFirst, emailFirst, workFirst)) {
            PatientEvent p = mapper.map(raw(text), ref(raw(text))).patients().get(0).event();

            assertThat(p.getAddress().getLines()).containsExactly("1 Imaginary Lane", "Flat 2");
            assertThat(p.getAddress().getPostcode()).isEqualTo("LS99 9ZZ");
            assertThat(p.getPhone()).isEqualTo("07700 900123");
        }
        String components = a01.replace("07700 900123", "^PRN^PH^^44^113^4960000^12");
        assertThat(mapper.map(raw(components), ref(raw(components))).patients().get(0).event().getPhone())
                .as("HL7 2.5's country, area, local number and extension").isEqualTo("+44 113 4960000 ext 12");
        String onlyEmail = a01.replace("07700 900123", "^NET^Internet^alice@example.invalid");
        assertThat(mapper.map(raw(onlyEmail), ref(raw(onlyEmail))).patients().get(0).event().getPhone()).isNull();
    }

    @Test
    void aFacilitysNumbersWithoutAnAuthorityAreFiledUnderTheOneConfiguredForIt() {
        String lab = "MSH|^~\\&|LAB|WINPATH|CW|CW|20240612143000||ORU^R01|L1|P|2.4\r"
                + "PID|1||M100001~9990000018^^^NHS^NH~X9^^^OTHER\r"
                + "OBR|1|PL1|FL1|2823-3^Potassium^LN|||20240612083000\r"
                + "OBX|1|NM|2823-3^Potassium^LN||4.1|mmol/L|||||F";
        RawMessageMapper configured = new RawMessageMapper(LONDON, Map.of(), Map.of("WINPATH", "RHMX1"));

        MappedEvents events = configured.map(raw(lab), ref(raw(lab)));

        assertThat(events.patients().get(0).key()).as("the hospital's own number").isEqualTo("RHMX1|M100001");
        assertThat(events.patients().get(0).event().getIdentifiers()).extracting(Identifiers::key)
                .containsExactly("RHMX1|M100001", NhsNumbers.SYSTEM + "|9990000018", "OTHER|X9");
        assertThat(mapper.map(raw(lab), ref(raw(lab))).patients().get(0).key())
                .as("without the setting, the laboratory's own").isEqualTo("WINPATH|M100001");

        String visit = Hl7Fixtures.load("adt_a01.hl7").replace("V200001^^^RHMX1^VN", "V200001")
                .replace("M100001^^^RHMX1^MR", "M100001").replace("|RHMX1|CAREWEAVE|", "|PASX|CAREWEAVE|");
        MappedEvents admitted = new RawMessageMapper(LONDON, Map.of(), Map.of("PASX", "RHMX1"))
                .map(raw(visit), ref(raw(visit)));
        assertThat(admitted.encounters().get(0).event().getVisit().getSystem()).isEqualTo("RHMX1");
        assertThat(admitted.patients().get(0).key()).isEqualTo("RHMX1|M100001");
    }

    @Test
    void aPv1ThatIsNotAboutAVisitMakesNoEncounter() {
        String a01 = Hl7Fixtures.load("adt_a01.hl7");
        String pv1 = a01.substring(a01.indexOf("PV1|"));
        String filler = a01.replace(pv1, "PV1|1|N\r");

        assertThat(mapper.map(raw(filler.replace("ADT^A01", "ADT^A08")), ref(raw(filler))).encounters())
                .as("the class says not applicable").isEmpty();
        assertThat(mapper.map(raw(filler), ref(raw(filler))).encounters())
                .as("also on a trigger that states a status").isEmpty();
        String empty = a01.replace(pv1, "PV1|1\r").replace("ADT^A01", "ADT^A08");
        assertThat(mapper.map(raw(empty), ref(raw(empty))).encounters()).as("an update stating nothing").isEmpty();
        String emptyDischarge = a01.replace(pv1, "PV1|1\r").replace("ADT^A01", "ADT^A03");
        assertThat(mapper.map(raw(emptyDischarge), ref(raw(emptyDischarge))).encounters())
                .as("a discharge states that the visit finished").singleElement()
                .satisfies(e -> assertThat(e.event().getStatus()).isEqualTo("finished"));
        String unnumbered = a01.replace(pv1, "PV1|1|O|SURGERY\r").replace("ADT^A01", "ADT^A08");
        assertThat(mapper.map(raw(unnumbered), ref(raw(unnumbered))).encounters())
                .as("an attendance without a number").singleElement()
                .satisfies(e -> assertThat(e.event().getLocation()).isEqualTo("SURGERY"));
        String numbered = a01.replace(pv1, "PV1|1|N" + "|".repeat(17) + "V9^^^RHMX1\r");
        assertThat(mapper.map(raw(numbered), ref(raw(numbered))).encounters()).as("a numbered visit")
                .singleElement().satisfies(e -> assertThat(e.event().getVisit().getValue()).isEqualTo("V9"));
    }

    @Test
    void aDeletedVisitIsEnteredInErrorAndTriggersAboutWhatMayHappenChangeOnlyDemographics() {
        String a01 = Hl7Fixtures.load("adt_a01.hl7");
        String a23 = a01.replace("ADT^A01", "ADT^A23^ADT_A21").replace("EVN|A01", "EVN|A23");
        MappedEvents deleted = mapper.map(raw(a23), ref(raw(a23)));
        assertThat(deleted.patients().get(0).event().getKind()).isEqualTo(PatientEventKind.CANCEL);
        assertThat(deleted.encounters()).singleElement().satisfies(e -> {
            assertThat(e.event().getStatus()).isEqualTo("entered-in-error");
            assertThat(e.event().getVisit().getValue()).isEqualTo("V200001");
        });

        for (String trigger : List.of("A09", "A10", "A15", "A16", "A25", "A26", "A32", "A33", "A54", "A55", "A61",
                "A62", "A60", "A48", "A49", "A51", "A35", "A41")) {
            String text = a01.replace("ADT^A01", "ADT^" + trigger).replace("EVN|A01", "EVN|" + trigger);
            if (List.of("A48", "A49", "A51", "A35", "A41").contains(trigger)) {
                // The old alternate id, account or alternate visit number, or the account merged into the PID-18
                // (A41): not a patient to merge.
                text = text.replace("\rPV1", "\rMRG|OLD9^^^RHMX1^MR|OLDALT9|ACCT9||||||ALTV9\rPV1");
            }
            MappedEvents events = mapper.map(raw(text), ref(raw(text)));
            assertThat(events.encounters()).as(trigger).isEmpty();
            assertThat(events.patients()).as(trigger).singleElement().satisfies(p -> {
                assertThat(p.event().getKind()).isEqualTo(PatientEventKind.UPDATE);
                assertThat(p.event().getName().getFamily()).isEqualTo("FICTIONAL");
            });
        }
    }

    @Test
    void theRegisteredGpPracticeComesFromPd1() {
        PatientEvent p = map("adt_a01.hl7").patients().get(0).event();
        assertThat(p.getGeneralPractice().getCode()).isEqualTo("Y99999");
        assertThat(p.getGeneralPractice().getName()).isEqualTo("Example Surgery");

        String v25 = Hl7Fixtures.load("adt_a01.hl7").replace("PD1|||Example Surgery^^Y99999",
                "PD1|||Example Surgery^^^^^^^^^Y88888");
        assertThat(mapper.map(raw(v25), ref(raw(v25))).patients().get(0).event().getGeneralPractice().getCode())
                .as("XON-10, from HL7 2.5").isEqualTo("Y88888");
        String cleared = Hl7Fixtures.load("adt_a01.hl7").replace("PD1|||Example Surgery^^Y99999", "PD1|||\"\"");
        PatientEvent withdrawn = mapper.map(raw(cleared), ref(raw(cleared))).patients().get(0).event();
        assertThat(withdrawn.getGeneralPractice()).isNull();
        assertThat(withdrawn.getClearedFields()).contains("generalPractice");
        String none = Hl7Fixtures.load("adt_a01.hl7").replace("PD1|||Example Surgery^^Y99999\r", "");
        assertThat(mapper.map(raw(none), ref(raw(none))).patients().get(0).event().getGeneralPractice()).isNull();
    }

    @Test
    void aVisitIsRecordedWhenEvn2OrElseMsh7Says() {
        String a01 = Hl7Fixtures.load("adt_a01.hl7");
        assertThat(map("adt_a01.hl7").encounters().get(0).event().getRecordedAt())
                .as("EVN-2 20240715093500, local time in the sender's zone")
                .isEqualTo(Instant.parse("2024-07-15T08:35:00Z"));
        assertThat(map("adt_a01.hl7").patients().get(0).event().getRecordedAt()).as("the patient's statements too")
                .isEqualTo(Instant.parse("2024-07-15T08:35:00Z"));

        String withOffset = a01.replace("EVN|A01|20240715093500", "EVN|A01|20240715083000+0100");
        assertThat(mapper.map(raw(withOffset), ref(raw(withOffset))).encounters().get(0).event().getRecordedAt())
                .isEqualTo(Instant.parse("2024-07-15T07:30:00Z"));

        for (String evn : List.of("EVN|A01|yesterday", "EVN|A01")) {
            String text = a01.replace("EVN|A01|20240715093500", evn);
            assertThat(mapper.map(raw(text), ref(raw(text))).encounters().get(0).event().getRecordedAt())
                    .as(evn + ": MSH-7 20240715093512 instead").isEqualTo(Instant.parse("2024-07-15T08:35:12Z"));
        }
        assertThat(RawMessageMapper.recordedAt("", "not a time", LONDON, RECEIVED).recordedAt()).isNull();
        assertThat(RawMessageMapper.recordedAt("2024-07-15", "", LONDON, RECEIVED).recordedAt()).isNull();
    }

    /**
     * The night the clocks go back, a discharge stamped 01:15 in the second pass of the hour follows an admission
     * stamped 01:30 in the first: each stamp is read as the one nearest before careweave received it.
     */
    @Test
    void theHourTheClocksGoBackKeepsItsOrder() {
        String a01 = Hl7Fixtures.load("adt_a01.hl7").replace("EVN|A01|20240715093500", "EVN|A01|20261025013000");
        String a03 = a01.replace("EVN|A01|20261025013000", "EVN|A03|20261025011500").replace("ADT^A01^ADT_A01",
                "ADT^A03^ADT_A03");
        RawMessage admitted = RawMessage.newBuilder(raw(a01)).setReceivedAt(Instant.parse("2026-10-25T00:30:04Z"))
                .build();
        RawMessage discharged = RawMessage.newBuilder(raw(a03)).setReceivedAt(Instant.parse("2026-10-25T01:15:04Z"))
                .build();

        Instant admission = mapper.map(admitted, ref(admitted)).encounters().get(0).event().getRecordedAt();
        Instant discharge = mapper.map(discharged, ref(discharged)).encounters().get(0).event().getRecordedAt();
        assertThat(admission).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(discharge).isEqualTo(Instant.parse("2026-10-25T01:15:00Z")).isAfter(admission);
    }

    /**
     * A sender whose clock is set wrong stamps its messages after careweave received them. Such a time is not when the
     * event was recorded; read as one it would place every true later statement of that source before it, for ever.
     */
    @Test
    void aSenderTimeAfterReceiptIsNotBelievedAndIsCounted() {
        String a01 = Hl7Fixtures.load("adt_a01.hl7");
        MappedEvents onTime = map("adt_a01.hl7");
        assertThat(onTime.senderTimeAhead()).isFalse();

        String evnAhead = a01.replace("EVN|A01|20240715093500", "EVN|A01|20990715093500");
        MappedEvents msh7Instead = mapper.map(raw(evnAhead), ref(raw(evnAhead)));
        assertThat(msh7Instead.encounters().get(0).event().getRecordedAt()).as("MSH-7 instead")
                .isEqualTo(Instant.parse("2024-07-15T08:35:12Z"));
        assertThat(msh7Instead.senderTimeAhead()).isTrue();

        String bothAhead = evnAhead.replace("20240715093512", "20240715104512");
        MappedEvents received = mapper.map(raw(bothAhead), ref(raw(bothAhead)));
        assertThat(received.encounters().get(0).event().getRecordedAt()).as("MSH-7 an hour ahead too").isNull();
        assertThat(received.patients().get(0).event().getRecordedAt()).isNull();
        assertThat(received.senderTimeAhead()).isTrue();

        String withinSkew = a01.replace("EVN|A01|20240715093500", "EVN|A01|20240715093900");
        assertThat(mapper.map(raw(withinSkew), ref(raw(withinSkew))).encounters().get(0).event().getRecordedAt())
                .as("four minutes ahead: a clock a little fast").isEqualTo(Instant.parse("2024-07-15T08:39:00Z"));
    }

    @Test
    void theProtectionIndicatorComesFromPd1AndIsClearedWithTheRegistration() {
        String base = Hl7Fixtures.load("adt_a01.hl7");
        assertThat(map("adt_a01.hl7").patients().get(0).event().getRestricted()).as("not sent").isNull();
        Map<String, Boolean> stated = new LinkedHashMap<>();
        stated.put("Y", true);
        stated.put("y", true);
        stated.put("N", false);
        stated.put("X", null);
        stated.forEach((indicator, restricted) -> {
            String text = base.replace("PD1|||Example Surgery^^Y99999", "PD1|||Example Surgery^^Y99999|||||||||"
                    + indicator);
            PatientEvent p = mapper.map(raw(text), ref(raw(text))).patients().get(0).event();
            assertThat(p.getRestricted()).as(indicator).isEqualTo(restricted);
            assertThat(p.getGeneralPractice().getCode()).isEqualTo("Y99999");
        });
        String cleared = base.replace("PD1|||Example Surgery^^Y99999", "PD1|||Example Surgery^^Y99999|||||||||\"\"");
        PatientEvent lifted = mapper.map(raw(cleared), ref(raw(cleared))).patients().get(0).event();
        assertThat(lifted.getRestricted()).isNull();
        assertThat(lifted.getClearedFields()).contains("restricted");

        String a29 = base.replace("PD1|||Example Surgery^^Y99999", "PD1|||Example Surgery^^Y99999|||||||||Y")
                .replace("ADT^A01", "ADT^A29").replace("EVN|A01", "EVN|A29");
        PatientEvent withdrawn = mapper.map(raw(a29), ref(raw(a29))).patients().get(0).event();
        assertThat(withdrawn.getRestricted()).as("a withdrawn registration states nothing").isNull();
        assertThat(withdrawn.getClearedFields()).contains("restricted");
    }

    @Test
    void sexInTheNhsDataDictionarysCodesOrInWordsIsHl7s() {
        assertThat(List.of("M", "m", "1", "Male", "F", "f", "2", "female", "0", "9", "U", "o", "X"))
                .extracting(RawMessageMapper::administrativeSex)
                .containsExactly("M", "M", "M", "M", "F", "F", "F", "F", "U", "A", "U", "O", "X");
        assertThat(RawMessageMapper.administrativeSex(" ")).isNull();
        String gp = Hl7Fixtures.load("adt_a01.hl7").replace("|19800214|F|", "|19800214|2|");
        assertThat(mapper.map(raw(gp), ref(raw(gp))).patients().get(0).event().getSex()).isEqualTo("F");
    }

    @Test
    void aSwapMovesEachPatientToTheOthersBed() {
        String swap = "MSH|^~\\&|PAS|RHMX1|CW|CW|20240715093512||ADT^A17^ADT_A17|S17|P|2.5\rEVN|A17\r"
                + "PID|1||M1^^^RHMX1^MR||FIRST^Ann||19500101|F\r"
                + "PV1|1|I|WARD2^BED2^^RHMX1" + "|".repeat(16) + "V1^^^RHMX1\r"
                + "PID|2||M2^^^RHMX1^MR||SECOND^Bea||19600101|F\r"
                + "PV1|1|I|WARD2^BED1^^RHMX1" + "|".repeat(16) + "V2^^^RHMX1\r";

        MappedEvents events = mapper.map(raw(swap), ref(raw(swap)));

        assertThat(events.patients()).extracting(MappedEvents.Keyed::key).containsExactly("RHMX1|M1", "RHMX1|M2");
        assertThat(events.patients()).allSatisfy(p -> assertThat(p.event().getKind())
                .isEqualTo(PatientEventKind.TRANSFER));
        assertThat(events.encounters()).extracting(e -> e.key() + " " + e.event().getVisit().getValue() + " "
                + e.event().getLocation() + " " + e.event().getStatus())
                .containsExactly("RHMX1|M1 V1 WARD2 / BED2 / RHMX1 null", "RHMX1|M2 V2 WARD2 / BED1 / RHMX1 null");
    }

    @Test
    void aLinkOrUnlinkIsTheFirstRecordCarryingTheOthersIdentifiers() {
        for (String trigger : List.of("A24", "A37")) {
            String link = "MSH|^~\\&|EMPI|RHMX1|CW|CW|20240715093512||ADT^" + trigger + "^ADT_" + trigger + "|L"
                    + trigger + "|P|2.5\rEVN|" + trigger + "\r"
                    + "PID|1||M1^^^RHMX1^MR~9990000018^^^NHS^NH||FIRST^Ann||19500101|F\r"
                    + "PV1|1|I|WARD2^BED2^^RHMX1" + "|".repeat(16) + "V1^^^RHMX1\r"
                    + "PID|2||B77^^^RAE01^MR~X9\r";

            MappedEvents events = mapper.map(raw(link), ref(raw(link)));

            assertThat(events.patients()).singleElement().satisfies(p -> {
                assertThat(p.key()).isEqualTo("RHMX1|M1");
                assertThat(p.event().getKind()).isEqualTo(trigger.equals("A24") ? PatientEventKind.LINK
                        : PatientEventKind.UNLINK);
                assertThat(p.event().getName().getFamily()).isEqualTo("FIRST");
                // A bare CX-1 is the sender's number, as everywhere else.
                assertThat(p.event().getLinkedIdentifiers()).extracting(Identifiers::key)
                        .containsExactly("RAE01|B77", "RHMX1|X9");
            });
            assertThat(events.encounters()).as("a link says who is whom, nothing of visits").isEmpty();
        }
    }

    @Test
    void aMultipleBirthAndTheBirthOrderAreRead() {
        String twin = Hl7Fixtures.load("adt_a01.hl7");
        String pid = twin.lines().filter(l -> l.startsWith("PID")).findFirst().orElseThrow();
        String[] fields = pid.split("\\|", -1);
        String[] extended = java.util.Arrays.copyOf(fields, Math.max(fields.length, 26));
        for (int i = fields.length; i < extended.length; i++) {
            extended[i] = "";
        }
        extended[24] = "Y";
        extended[25] = "2";
        String second = twin.replace(pid, String.join("|", extended));
        extended[24] = "\"\"";
        extended[25] = "x";
        String cleared = twin.replace(pid, String.join("|", extended));

        PatientEvent stated = mapper.map(raw(second), ref(raw(second))).patients().get(0).event();
        PatientEvent unstated = mapper.map(raw(twin), ref(raw(twin))).patients().get(0).event();
        PatientEvent withdrawn = mapper.map(raw(cleared), ref(raw(cleared))).patients().get(0).event();

        assertThat(stated.getMultipleBirth()).isTrue();
        assertThat(stated.getBirthOrder()).isEqualTo(2);
        assertThat(unstated.getMultipleBirth()).isNull();
        assertThat(unstated.getBirthOrder()).isNull();
        assertThat(withdrawn.getClearedFields()).contains("multipleBirth").doesNotContain("birthOrder");
        assertThat(withdrawn.getBirthOrder()).as("not a birth order").isNull();
    }

    @Test
    void aDeletedPersonClearsEveryFieldAndStatesNone() {
        String delete = Hl7Fixtures.load("adt_a01.hl7").replace("ADT^A01^ADT_A01", "ADT^A29^ADT_A21")
                .replace("EVN|A01", "EVN|A29");

        MappedEvents events = mapper.map(raw(delete), ref(raw(delete)));

        assertThat(events.encounters()).isEmpty();
        assertThat(events.patients()).singleElement().satisfies(p -> {
            PatientEvent e = p.event();
            assertThat(e.getKind()).isEqualTo(PatientEventKind.CANCEL);
            assertThat(e.getTrigger()).isEqualTo("A29");
            assertThat(e.getIdentifiers()).isNotEmpty();
            assertThat(e.getName()).isNull();
            assertThat(e.getBirthDate()).isNull();
            assertThat(e.getSex()).isNull();
            assertThat(e.getAddress()).isNull();
            assertThat(e.getPhone()).isNull();
            assertThat(e.getClearedFields()).containsExactlyInAnyOrder("name", "birthDate", "sex", "address", "phone",
                    "deceasedAt", "deceased", "generalPractice", "multipleBirth", "birthOrder", "restricted");
        });
    }

    @Test
    void aMovedVisitLeavesThePatientItWasUnderAndShowsUnderThePid() {
        String move = "MSH|^~\\&|PAS|RHMX1|CW|CW|20240715093512||ADT^A45^ADT_A45|M45|P|2.5\rEVN|A45\r"
                + "PID|1||RIGHT1^^^RHMX1^MR||RIGHT^Ann||19500101|F\r"
                + "MRG|WRONG1^^^RHMX1^MR||||V45^^^RHMX1\r"
                + "PV1|1|I|WARD4^BED2^^RHMX1" + "|".repeat(16) + "V45^^^RHMX1" + "|".repeat(25) + "20240714080000\r"
                + "MRG|WRONG1^^^RHMX1^MR||||V46^^^RHMX1\r"
                + "PV1|1|O|CLINIC9^^^RHMX1" + "|".repeat(16) + "V46N^^^RHMX1\r";

        MappedEvents events = mapper.map(raw(move), ref(raw(move)));

        assertThat(events.patients()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("RHMX1|RIGHT1");
            assertThat(p.event().getKind()).isEqualTo(PatientEventKind.UPDATE);
            assertThat(p.event().getMerge()).as("the patients are not merged").isNull();
        });
        assertThat(events.encounters()).extracting(e -> e.key() + " " + e.event().getVisit().getValue() + " "
                + e.event().getStatus() + " " + e.event().getLocation())
                .containsExactly("RHMX1|WRONG1 V45 entered-in-error null",
                        "RHMX1|RIGHT1 V45 in-progress WARD4 / BED2 / RHMX1",
                        "RHMX1|WRONG1 V46 entered-in-error null",
                        "RHMX1|RIGHT1 V46N unknown CLINIC9 / RHMX1");
        assertThat(events.encounters().get(1).event().getAdmittedAt())
                .isEqualTo(Instant.parse("2024-07-14T07:00:00Z"));
    }

    @Test
    void theOlderMergeTriggersFoldThePriorIdentifierAsAnA40Does() {
        for (String type : List.of("ADT^A18^ADT_A18", "ADT^A30^ADT_A30", "ADT^A36^ADT_A36")) {
            String trigger = type.substring(4, 7);
            String merge = Hl7Fixtures.load("adt_a40_merge.hl7").replace("ADT^A40^ADT_A39", type)
                    .replace("EVN|A40", "EVN|" + trigger).replace("|2.5", "|2.3")
                    .replace("MRG|M100041^^^RHMX1^MR||||V200041", "MRG|M100041^^^RHMX1^MR||A7^^^RHMX1");

            MappedEvents events = mapper.map(raw(merge), ref(raw(merge)));

            assertThat(events.encounters()).as(trigger).isEmpty();
            PatientEvent p = events.patients().get(0).event();
            assertThat(events.patients().get(0).key()).as(trigger).isEqualTo("RHMX1|M100040");
            assertThat(p.getKind()).as(trigger).isEqualTo(PatientEventKind.MERGE);
            assertThat(p.getTrigger()).isEqualTo(trigger);
            assertThat(p.getMerge().getPriorIdentifiers()).extracting(Identifiers::key).as(trigger)
                    .containsExactly("RHMX1|M100041");
        }
    }

    @Test
    void thePatientsNameIsTheLegalOneWhereverItStandsInPid5() {
        String aliasFirst = Hl7Fixtures.load("adt_a01.hl7")
                .replace("FICTIONAL^Alice^Jane^^Ms", "FICTIONAL^Ally^^^^^A~FICTIONAL^Alice^Jane^^Ms^^L");
        String maidenFirst = Hl7Fixtures.load("adt_a01.hl7")
                .replace("FICTIONAL^Alice^Jane^^Ms", "BEFORE^Alice^^^^^M~FICTIONAL^Alice^Jane^^Ms");
        String untyped = Hl7Fixtures.load("adt_a01.hl7")
                .replace("FICTIONAL^Alice^Jane^^Ms", "FICTIONAL^Alice^Jane^^Ms~OTHER^Al");

        for (String text : List.of(aliasFirst, maidenFirst, untyped)) {
            PatientEvent p = mapper.map(raw(text), ref(raw(text))).patients().get(0).event();

            assertThat(p.getName().getFamily()).isEqualTo("FICTIONAL");
            assertThat(p.getName().getGiven()).containsExactly("Alice", "Jane");
            assertThat(p.getName().getPrefix()).isEqualTo("Ms");
        }
        String onlyAnAlias = Hl7Fixtures.load("adt_a01.hl7")
                .replace("FICTIONAL^Alice^Jane^^Ms", "FICTIONAL^Ally^^^^^A");
        assertThat(mapper.map(raw(onlyAnAlias), ref(raw(onlyAnAlias))).patients().get(0).event().getName()
                .getGiven()).as("a name the sender marks as an alias is still better than none").containsExactly("Ally");
    }

    @Test
    void aMergeWithoutMrgCannotBeMapped() {
        String text = Hl7Fixtures.load("adt_a40_merge.hl7").replace("MRG|M100041^^^RHMX1^MR||||V200041\r", "");

        assertThatThrownBy(() -> mapper.map(raw(text), ref(raw(text)))).isInstanceOf(MappingException.class)
                .hasMessage("MRG segment missing");
        String empty = Hl7Fixtures.load("adt_a40_merge.hl7").replace("MRG|M100041^^^RHMX1^MR", "MRG|");
        assertThatThrownBy(() -> mapper.map(raw(empty), ref(raw(empty)))).isInstanceOf(MappingException.class)
                .hasMessage("MRG-1 has no prior identifier");
    }

    @Test
    void aRegistrationRecognisesTheNhsNumberByItsOid() {
        MappedEvents events = map("adt_a28_v23.hl7");

        assertThat(events.encounters()).as("A28 is not a visit").isEmpty();
        MappedEvents.Keyed<PatientEvent> keyed = events.patients().get(0);
        PatientEvent p = keyed.event();
        assertThat(p.getKind()).isEqualTo(PatientEventKind.REGISTER);
        assertThat(p.getNhsNumber()).isEqualTo("9990000069");
        assertThat(keyed.key()).as("the practice's record, listed after the NHS number").isEqualTo("Y99999|G1000069");
        assertThat(p.getIdentifiers()).extracting(Identifiers::key)
                .containsExactly(NhsNumbers.SYSTEM + "|9990000069", "Y99999|G1000069");
        assertThat(p.getName().getPrefix()).isEqualTo("Mr");
        assertThat(p.getName().getGiven()).containsExactly("David");
        assertThat(p.getAddress().getLines()).containsExactly("22 Nowhere Street");
        assertThat(p.getAddress().getCity()).isEqualTo("Bradford");
        assertThat(p.getAddress().getDistrict()).isNull();
        assertThat(p.getAddress().getPostcode()).isEqualTo("BD99 9ZZ");
        assertThat(p.getPhone()).isEqualTo("01632 960123");
        assertThat(p.getProvenance().getSendingFacility()).isEqualTo("Y99999");
    }

    @Test
    void anInvalidNhsNumberIsKeptFlaggedAndNeverTheNhsNumber() {
        MappedEvents events = map("adt_a31_invalid_nhs.hl7");

        assertThat(events.encounters()).isEmpty();
        MappedEvents.Keyed<PatientEvent> keyed = events.patients().get(0);
        PatientEvent p = keyed.event();
        assertThat(p.getKind()).isEqualTo(PatientEventKind.UPDATE);
        assertThat(p.getNhsNumber()).isNull();
        assertThat(keyed.key()).isEqualTo("RHMX1|M100031");
        Identifier nhs = p.getIdentifiers().get(1);
        assertThat(nhs.getSystem()).isEqualTo(NhsNumbers.SYSTEM);
        assertThat(nhs.getValue()).isEqualTo("9990000019");
        assertThat(nhs.getValid()).isFalse();
        assertThat(nhs.getInvalidReason()).contains("Modulus 11");
    }

    @Test
    void aResultBecomesOneObservationPerObxWithItsOrder() {
        MappedEvents events = map("oru_r01_hba1c.hl7");

        // The result's PID also tells identity which identifiers the results are filed under.
        assertThat(events.patients()).singleElement().satisfies(p -> {
            assertThat(p.event().getKind()).isEqualTo(org.careweave.events.PatientEventKind.UPDATE);
            assertThat(p.event().getTrigger()).isEqualTo("R01");
            assertThat(p.event().getIdentifiers()).isNotEmpty();
        });
        assertThat(events.encounters()).isEmpty();
        assertThat(events.observations()).hasSize(6).allSatisfy(k -> assertThat(k.key()).isEqualTo("RHMX1|L300042"));
        List<ObservationEvent> obs = events.observations().stream().map(MappedEvents.Keyed::event).toList();
        assertThat(obs).extracting(ObservationEvent::getFillerOrderNumber)
                .containsExactly("FL0001", "FL0001", "FL0002", "FL0002", "FL0002", "FL0002");
        assertThat(obs).extracting(ObservationEvent::getSetId).containsExactly(1, 2, 1, 2, 3, 4);
        assertThat(obs).allSatisfy(o -> assertThat(o.getPatientIdentifiers()).extracting(Identifiers::key)
                .containsExactly("RHMX1|L300042", NhsNumbers.SYSTEM + "|9990000042"));

        ObservationEvent hba1c = obs.get(0);
        assertThat(hba1c.getPlacerOrderNumber()).isEqualTo("PL0001");
        assertThat(hba1c.getOrderCode()).isEqualTo(coding("WINPATH", "HBA1C", "HbA1c"));
        assertThat(hba1c.getCode()).isEqualTo(coding(RawMessageMapper.LOINC, "4548-4",
                "Hemoglobin A1c/Hemoglobin.total in Blood"));
        assertThat(hba1c.getValueType()).isEqualTo("NM");
        assertThat(hba1c.getValue()).isEqualTo("53");
        assertThat(hba1c.getNumericValue()).isEqualTo(53.0);
        assertThat(hba1c.getUnits()).isEqualTo("mmol/mol");
        assertThat(hba1c.getReferenceRange()).isEqualTo("20-41");
        assertThat(hba1c.getAbnormalFlags()).containsExactly("H");
        assertThat(hba1c.getStatus()).isEqualTo("F");
        assertThat(hba1c.getSubId()).isNull();
        assertThat(hba1c.getCollectedAt()).isEqualTo(stated("2024-06-12T07:30:00Z", 3600, false));
        assertThat(hba1c.getObservedAt()).isEqualTo(stated("2024-06-12T11:00:00Z", 3600, false));
        assertThat(hba1c.getReportedAt()).isEqualTo(stated("2024-06-12T13:25:00Z", 3600, false));
        // The order's note, then the result's own note (with its \T\ escape decoded).
        assertThat(hba1c.getNotes()).containsExactly("Sample received 10:15.",
                "Consistent with diabetes; see NICE NG28 & local guidance.");

        ObservationEvent interpretation = obs.get(1);
        assertThat(interpretation.getValueType()).isEqualTo("ST");
        assertThat(interpretation.getValue()).isEqualTo("Above target");
        assertThat(interpretation.getNumericValue()).isNull();
        assertThat(interpretation.getNotes()).containsExactly("Sample received 10:15.");
        assertThat(interpretation.getObservedAt()).isNull();

        ObservationEvent sodium = obs.get(2);
        assertThat(sodium.getOrderCode().getCode()).isEqualTo("UE");
        assertThat(sodium.getNumericValue()).isEqualTo(140.0);
        assertThat(sodium.getUnits()).isEqualTo("mmol/L");
        assertThat(sodium.getAbnormalFlags()).isEmpty();
        assertThat(sodium.getNotes()).as("notes of the first order stay with it").isEmpty();
        // OBR-7 without offset, in June: British Summer Time, and marked as assumed.
        assertThat(sodium.getCollectedAt()).isEqualTo(stated("2024-06-12T07:30:00Z", 3600, true));

        ObservationEvent potassium = obs.get(3);
        assertThat(potassium.getValueType()).isEqualTo("SN");
        assertThat(potassium.getValue()).isEqualTo("4.1");
        assertThat(potassium.getNumericValue()).isEqualTo(4.1);

        ObservationEvent egfr = obs.get(4);
        assertThat(egfr.getValue()).isEqualTo(">90");
        assertThat(egfr.getNumericValue()).as("a comparator is not a number").isNull();
        assertThat(egfr.getReferenceRange()).isEqualTo(">60");

        ObservationEvent appearance = obs.get(5);
        assertThat(appearance.getValueType()).isEqualTo("CE");
        assertThat(appearance.getValue()).isEqualTo("Haemolysed");
        assertThat(appearance.getNumericValue()).isNull();
        assertThat(appearance.getUnits()).isNull();
        assertThat(appearance.getAbnormalFlags()).containsExactly("A");
        assertThat(appearance.getStatus()).isEqualTo("C");
        assertThat(appearance.getCode().getSystem()).isEqualTo("WINPATH");
    }

    @Test
    void aVersion282ResultInUtf8Maps() {
        RawMessage raw = raw(Hl7Fixtures.load("oru_r01_v282.hl7"));

        List<ObservationEvent> obs = mapper.map(raw, ref(raw)).observations().stream()
                .map(MappedEvents.Keyed::event).toList();

        assertThat(raw.getCharset()).isEqualTo("UTF-8");
        assertThat(obs).hasSize(2);
        assertThat(obs.get(0).getCode().getSystem()).isEqualTo(RawMessageMapper.LOINC);
        assertThat(obs.get(0).getNumericValue()).isEqualTo(32.0);
        assertThat(obs.get(0).getUnits()).isEqualTo("U/L");
        assertThat(obs.get(0).getCollectedAt()).isEqualTo(stated("2025-01-15T08:15:00Z", 0, false));
        assertThat(obs.get(1).getValueType()).isEqualTo("CWE");
        assertThat(obs.get(1).getValue()).isEqualTo("Within normal limits");
    }

    @Test
    void readsThePayloadInItsCharset() {
        String text = Hl7Fixtures.load("adt_a01.hl7").replace("|GBR\r", "|GBR|UNICODE UTF-8\r")
                .replace("FICTIONAL^Alice", "FICTIONAL^Zo\u00eb");

        PatientEvent p = mapper.map(raw(text), ref(raw(text))).patients().get(0).event();

        assertThat(raw(text).getCharset()).isEqualTo("UTF-8");
        assertThat(p.getName().getGiven()).containsExactly("Zo\u00eb", "Jane");
    }

    @Test
    void assumesTheZoneOfTheSendingFacility() {
        RawMessageMapper perFacility = new RawMessageMapper(LONDON, Map.of("RHMX1", ZoneId.of("America/New_York")));
        RawMessage raw = raw(Hl7Fixtures.load("oru_r01_hba1c.hl7"));

        List<ObservationEvent> obs = perFacility.map(raw, ref(raw)).observations().stream()
                .map(MappedEvents.Keyed::event).toList();

        assertThat(obs.get(0).getCollectedAt()).as("a stated offset wins")
                .isEqualTo(stated("2024-06-12T07:30:00Z", 3600, false));
        assertThat(obs.get(2).getCollectedAt()).isEqualTo(stated("2024-06-12T12:30:00Z", -4 * 3600, true));
    }

    @Test
    void notesAndFlagsMayRepeat() {
        String text = "MSH|^~\\&|WINPATH|RHMX1|||20240612||ORU^R01|C9|P|2.4\r"
                + "PID|1||L1^^^RHMX1^MR\r"
                + "OBR|1|PL9|FL9|FBC^Full blood count^WINPATH|||20240612090000\r"
                + "OBX|1|NM|718-7^Hemoglobin^LN|1|<5|g/L||L~A|||P\r"
                + "NTE|1|L|first line~second line\r"
                + "NTE|2|L|\r"
                + "NTE|3|L|third\r"
                + "OBX|2|TX|COMMENT^Comment^WINPATH||one~two||||||F\r"
                + "OBX|3|NM|789-8^Erythrocytes^LN||||||||F";

        List<ObservationEvent> obs = mapper.map(raw(text), ref(raw(text))).observations().stream()
                .map(MappedEvents.Keyed::event).toList();

        assertThat(obs.get(0).getAbnormalFlags()).containsExactly("L", "A");
        assertThat(obs.get(0).getNotes()).containsExactly("first line\nsecond line", "third");
        assertThat(obs.get(0).getValue()).isEqualTo("<5");
        assertThat(obs.get(0).getNumericValue()).isNull();
        assertThat(obs.get(0).getSubId()).isEqualTo("1");
        assertThat(obs.get(0).getStatus()).isEqualTo("P");
        assertThat(obs.get(0).getReportedAt()).isNull();
        assertThat(obs.get(1).getValue()).isEqualTo("one\ntwo");
        assertThat(obs.get(1).getNotes()).isEmpty();
        assertThat(obs.get(2).getValue()).isNull();
        assertThat(obs.get(2).getNumericValue()).isNull();
    }

    @Test
    void aTextReportSentOneLinePerObxIsOneObservationWithItsLinesInOrder() {
        String text = "MSH|^~\\&|RIS|RHMX1|||20261127||ORU^R01|R1|P|2.4\r"
                + "PID|1||L1^^^RHMX1^MR\r"
                + "OBR|1|PL-R1|FL-R1|XCHES^Chest X-ray^RIS|||20261127100000\r"
                + "OBX|1|TX|XCHES^Chest X-ray report^RIS||||||||F\r"
                + "OBX|2|TX|XCHES^Chest X-ray report^RIS||Clinical details: cough.||||||F\r"
                + "OBX|3|TX|XCHES^Chest X-ray report^RIS||||||||F\r"
                + "OBX|4|TX|XCHES^Chest X-ray report^RIS||Findings: lungs are clear.||||||F\r"
                + "NTE|1|L|Reported by an invented radiologist\r"
                + "OBX|5|TX|XCHES^Chest X-ray report^RIS||Conclusion: normal chest.||||||F\r"
                + "OBX|6|TX|XCHES^Chest X-ray report^RIS||||||||F\r"
                + "OBX|7|NM|X-DOSE^Dose^RIS||0.02|mSv|||||F\r"
                + "OBR|2|PL-R2|FL-R2|XCHES^Chest X-ray^RIS|||20261127100000\r"
                + "OBX|1|TX|XCHES^Chest X-ray report^RIS||||||||F\r"
                + "OBX|2|TX|XCHES^Chest X-ray report^RIS||||||||F";

        List<ObservationEvent> obs = mapper.map(raw(text), ref(raw(text))).observations().stream()
                .map(MappedEvents.Keyed::event).toList();

        assertThat(obs).hasSize(3);
        assertThat(obs.get(0).getValue()).as("blank lines kept inside, not around").isEqualTo(
                "Clinical details: cough.\n\nFindings: lungs are clear.\nConclusion: normal chest.");
        assertThat(obs.get(0).getSetId()).as("named by its first line").isEqualTo(1);
        assertThat(obs.get(0).getNotes()).containsExactly("Reported by an invented radiologist");
        assertThat(obs.get(1).getCode().getCode()).isEqualTo("X-DOSE");
        assertThat(obs.get(1).getNumericValue()).isEqualTo(0.02);
        assertThat(obs.get(2).getValue()).as("a report of blank lines has no value").isNull();
    }

    @Test
    void linesJoinOnlyUnderOneOrderWithTheSameCodeSubIdAndTextType() {
        String text = "MSH|^~\\&|WINPATH|RHMX1|||20261127||ORU^R01|R2|P|2.4\r"
                + "PID|1||L1^^^RHMX1^MR\r"
                + "OBR|1|PL-M1|FL-M1|MC^Urine culture^WINPATH|||20261127100000\r"
                + "OBX|1|ST|ORG^Organism^WINPATH|1|Escherichia coli||||||F\r"
                + "OBX|2|ST|ORG^Organism^WINPATH|2|Enterococcus faecalis||||||F\r"
                + "OBX|3|ST|ORG^Organism^WINPATH|1|More than 100,000 cfu/mL||||||F\r"
                + "OBX|4|NM|K^Potassium^WINPATH||4.1|mmol/L|||||F\r"
                + "OBX|5|NM|K^Potassium^WINPATH||4.3|mmol/L|||||F\r"
                + "OBR|2|PL-M2|FL-M2|MC^Urine culture^WINPATH|||20261127100000\r"
                + "OBX|1|ST|ORG^Organism^WINPATH|1|No growth||||||F";

        List<ObservationEvent> obs = mapper.map(raw(text), ref(raw(text))).observations().stream()
                .map(MappedEvents.Keyed::event).toList();

        assertThat(obs).extracting(ObservationEvent::getValue).containsExactly(
                "Escherichia coli\nMore than 100,000 cfu/mL", "Enterococcus faecalis", "4.1", "4.3", "No growth");
        assertThat(obs).extracting(ObservationEvent::getSubId).containsExactly("1", "2", null, null, "1");
    }

    @Test
    void anNhsNumberSentInPid2AsOlderFeedsDoIsThePatientsNhsNumber() {
        String text = "MSH|^~\\&|PAS|RXX99|||20261127||ADT^A28|V23|P|2.3\r"
                + "EVN|A28|20261127\r"
                + "PID|1|9990000018^^^NHS^NH|X100001^^^RXX99^MR||Fictional^Alice||19800214|F";

        PatientEvent patient = mapper.map(raw(text), ref(raw(text))).patients().get(0).event();

        assertThat(patient.getNhsNumber()).isEqualTo("9990000018");
        assertThat(patient.getIdentifiers()).extracting(Identifiers::key)
                .containsExactly("RXX99|X100001", NhsNumbers.SYSTEM + "|9990000018");
    }

    @Test
    void anEncapsulatedDocumentIsNamedNotCopiedAndAPointerIsShown() {
        String pdf = "JVBERi0xLjQK".repeat(1000);
        String text = "MSH|^~\\&|WINPATH|RHMX1|||20261127||ORU^R01|D1|P|2.5\r"
                + "PID|1||L1^^^RHMX1^MR\r"
                + "OBR|1|PL-D1|FL-D1|CUMUL^Cumulative report^WINPATH|||20261127100000\r"
                + "OBX|1|ED|PDF^Report^WINPATH||^AP^PDF^Base64^" + pdf + "||||||F\r"
                + "OBX|2|RP|IMG^Image^PACS||https://pacs.example.invalid/study/1^PACS^IM^JPEG||||||F\r"
                + "OBX|3|ED|DOC^Document^WINPATH||||||||F";

        List<ObservationEvent> obs = mapper.map(raw(text), ref(raw(text))).observations().stream()
                .map(MappedEvents.Keyed::event).toList();

        assertThat(obs.get(0).getValue()).matches(
                "Document in the source message \\(ap/pdf, about 9 KB, digest [0-9a-f]{8}\\); not shown here");
        String other = text.replace("JVBERi0xLjQK".repeat(1000), "JVBERi0xLjUK".repeat(1000));
        assertThat(mapper.map(raw(other), ref(raw(other))).observations().get(0).event().getValue())
                .as("another document of the same kind and size").isNotEqualTo(obs.get(0).getValue());
        assertThat(obs.get(1).getValue()).isEqualTo("Document held elsewhere: https://pacs.example.invalid/study/1");
        assertThat(obs.get(2).getValue()).as("no document, no note").isNull();
    }

    @Test
    void withoutObr7TheCollectionTimeIsTheSpecimensThenTheObservations() {
        String text = "MSH|^~\\&|LIMS|RHMX1|||20261127||ORU^R01^ORU_R01|S1|P|2.5.1\r"
                + "PID|1||L1^^^RHMX1^MR\r"
                + "OBR|1|PL-S1|FL-S1|UE^U and E^LIMS\r"
                + "OBX|1|NM|2823-3^Potassium^LN||4.1|mmol/L|||||F|||20261127093500+0000\r"
                + "SPM|1|||BLD^Blood|||||||||||||20261127091000+0000\r"
                + "OBR|2|PL-S2|FL-S2|UE^U and E^LIMS\r"
                + "OBX|1|NM|2951-2^Sodium^LN||140|mmol/L|||||F|||20261127093500+0000\r"
                + "OBR|3|PL-S3|FL-S3|UE^U and E^LIMS|||20261127080000+0000\r"
                + "OBX|1|NM|2160-0^Creatinine^LN||80|umol/L|||||F|||20261127093500+0000\r"
                + "SPM|1|||BLD^Blood|||||||||||||20261127091000+0000\r"
                + "OBR|4|PL-S4|FL-S4|UE^U and E^LIMS\r"
                + "OBX|1|NM|1751-7^Albumin^LN||40|g/L|||||F\r"
                + "SPM|1|||BLD^Blood|||||||||||||not-a-time";

        List<ObservationEvent> obs = mapper.map(raw(text), ref(raw(text))).observations().stream()
                .map(MappedEvents.Keyed::event).toList();

        assertThat(obs.get(0).getCollectedAt()).as("SPM-17").isEqualTo(stated("2026-11-27T09:10:00Z", 0, false));
        assertThat(obs.get(1).getCollectedAt()).as("OBX-14").isEqualTo(stated("2026-11-27T09:35:00Z", 0, false));
        assertThat(obs.get(2).getCollectedAt()).as("OBR-7 first").isEqualTo(stated("2026-11-27T08:00:00Z", 0, false));
        assertThat(obs.get(3).getCollectedAt()).as("none to be had, and a bad SPM-17 is no reason to refuse")
                .isNull();
    }

    private static final String BAD_TIMES_PV1 = "PV1|1|I|WARD7||||||||||||||||V1|||||||||||||||||||||||||%s|%s";

    /**
     * A visit's admission and discharge times and a result's status change time are read as not stated when they
     * are not HL7 times (validation accepts them with a warning): the discharge and the result still count.
     */
    @Test
    void anUnreadableVisitOrReportTimeIsReadAsNotStated() {
        String discharge = "MSH|^~\\&|PAS|RHMX1|||20240612||ADT^A03|T1|P|2.4\rEVN|A03|20240612\r"
                + "PID|1||M1^^^RHMX1^MR||Invented^Orla\r"
                + BAD_TIMES_PV1.formatted("2024-06-12 09:00", "202406121030+01");
        String result = "MSH|^~\\&|WINPATH|RHMX1|||20240612||ORU^R01|T2|P|2.4\rPID|1||L1^^^RHMX1^MR\r"
                + "OBR|1|PL1|FL1|HBA1C^HbA1c^WINPATH|||20240612083000|||||||||||||||12/06/2024\r"
                + "OBX|1|NM|4548-4^HbA1c^LN||53|mmol/mol|20-41|H|||F";

        EncounterEvent visit = mapper.map(raw(discharge), ref(raw(discharge))).encounters().get(0).event();
        ObservationEvent observation = mapper.map(raw(result), ref(raw(result))).observations().get(0).event();

        assertThat(visit.getStatus()).isEqualTo("finished");
        assertThat(visit.getAdmittedAt()).isNull();
        assertThat(visit.getDischargedAt()).isNull();
        assertThat(observation.getNumericValue()).isEqualTo(53.0);
        assertThat(observation.getReportedAt()).isNull();
        assertThat(observation.getCollectedAt()).isNotNull();
    }

    /**
     * A message validation answers AA for is never refused by the mapping for a time in it: that would dead-letter a
     * message whose sender was told it was delivered. Each time field the mapping reads, with times that are not HL7
     * times, in each kind of message that reads it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"2024-06-12 10:30", "202406121030+01", "12/06/2024", "20241312"})
    void whatValidationAcceptsWithABadTimeIsMapped(String bad) {
        MessageValidator validator = new MessageValidator(MessageValidator.Rules.defaults());
        String pid = "PID|1||M1^^^RHMX1^MR||Invented^Orla||19400101|F";
        List<String> texts = List.of(
                "MSH|^~\\&|PAS|RHMX1|||20240612||ADT^A01|T1|P|2.4\r" + pid + "\r" + BAD_TIMES_PV1.formatted(bad, ""),
                "MSH|^~\\&|PAS|RHMX1|||20240612||ADT^A03|T2|P|2.4\r" + pid + "\r"
                        + BAD_TIMES_PV1.formatted("20240612090000", bad),
                "MSH|^~\\&|PAS|RHMX1|||20240612||ADT^A45^ADT_A45|T3|P|2.5\r" + pid + "\rMRG|W1^^^RHMX1^MR||||V1\r"
                        + BAD_TIMES_PV1.formatted(bad, bad),
                "MSH|^~\\&|PAS|RHMX1|||20240612||ADT^A17^ADT_A17|T4|P|2.5\r" + pid + "\r"
                        + BAD_TIMES_PV1.formatted(bad, "") + "\rPID|2||M2^^^RHMX1^MR\r"
                        + BAD_TIMES_PV1.formatted("", bad),
                "MSH|^~\\&|PAS|RHMX1|||20240612||ADT^A08|T5|P|2.4\r" + pid + "|||||||||||||||||||||" + bad + "|Y\r"
                        + "PV1|1|N",
                "MSH|^~\\&|WINPATH|RHMX1|||20240612||ORU^R01|T6|P|2.4\r" + pid + "|||||||||||||||||||||" + bad
                        + "\rOBR|1|PL1|FL1|HBA1C^HbA1c^WINPATH|||20240612083000"
                        + "\rOBX|1|NM|4548-4^HbA1c^LN||53|mmol/mol|20-41|H|||F",
                "MSH|^~\\&|WINPATH|RHMX1|||20240612||ORU^R01|T7|P|2.4\r" + pid
                        + "\rOBR|1|PL1|FL1|HBA1C^HbA1c^WINPATH|||20240612083000|||||||||||||||" + bad
                        + "\rOBX|1|NM|4548-4^HbA1c^LN||53|mmol/mol|20-41|H|||F");
        for (String text : texts) {
            Verdict verdict = validator.validate(text.getBytes(StandardCharsets.ISO_8859_1));
            if (verdict.ackCode() == AckCode.AA) {
                assertThatCode(() -> mapper.map(raw(text), ref(raw(text)))).as(verdict.issues().toString())
                        .doesNotThrowAnyException();
            } else {
                assertThat(verdict.issues()).as("refused only for a date of death")
                        .filteredOn(i -> i.severity() == Issue.Severity.ERROR)
                        .extracting(i -> i.location().replaceAll("\\[\\d+]", ""))
                        .containsOnly("PID-29");
            }
        }
    }

    /** An A08 whose PID-29 (date of death) and PID-30 (death indicator) are the last two arguments. */
    private static final String DEATH = "MSH|^~\\&|PAS|RHMX1|||20261127||ADT^A08|D%s|P|2.4\rEVN|A08|20261127\r"
            + "PID|1||M1^^^RHMX1^MR||Invented^Orla||19400101|F|||||||||||||||||||||%s|%s\rPV1|1|N";

    @Test
    void aDeathIsStatedByPid29AndTakenBackByAnExplicitNullOrPid30N() {

        PatientEvent died = patient(String.format(DEATH, "1", "20261127123000+0000", "Y"));
        PatientEvent alive = patient(String.format(DEATH, "2", "", "N"));
        PatientEvent cleared = patient(String.format(DEATH, "3", "\"\"", ""));
        PatientEvent silent = patient(String.format(DEATH, "4", "", ""));

        assertThat(died.getDeceasedAt()).isEqualTo(Instant.parse("2026-11-27T12:30:00Z"));
        assertThat(died.getDeceased()).isTrue();
        assertThat(died.getClearedFields()).doesNotContain("deceasedAt", "deceased");
        assertThat(alive.getDeceasedAt()).isNull();
        assertThat(alive.getDeceased()).isNull();
        assertThat(alive.getClearedFields()).contains("deceasedAt", "deceased");
        assertThat(cleared.getClearedFields()).contains("deceasedAt", "deceased");
        assertThat(silent.getClearedFields()).as("saying nothing takes nothing back")
                .doesNotContain("deceasedAt", "deceased");
        assertThat(silent.getDeceased()).isNull();
    }

    @Test
    void aDeathWithoutItsDateIsStillADeath() {

        PatientEvent dateUnknown = patient(String.format(DEATH, "1", "", "Y"));
        PatientEvent dateWithdrawn = patient(String.format(DEATH, "2", "\"\"", "Y"));
        PatientEvent indicatorCleared = patient(String.format(DEATH, "3", "", "\"\""));
        PatientEvent indicatorClearedWithADate = patient(String.format(DEATH, "4", "20261127123000+0000", "\"\""));

        assertThat(dateUnknown.getDeceased()).isTrue();
        assertThat(dateUnknown.getDeceasedAt()).isNull();
        assertThat(dateUnknown.getClearedFields()).as("no date is not a date taken back")
                .doesNotContain("deceasedAt", "deceased");
        assertThat(dateWithdrawn.getDeceased()).as("the date was wrong, not the death").isTrue();
        assertThat(dateWithdrawn.getClearedFields()).contains("deceasedAt").doesNotContain("deceased");
        assertThat(indicatorCleared.getDeceased()).isNull();
        assertThat(indicatorCleared.getClearedFields()).contains("deceasedAt", "deceased");
        assertThat(indicatorClearedWithADate.getDeceasedAt()).as("a date is a death whatever PID-30 says")
                .isEqualTo(Instant.parse("2026-11-27T12:30:00Z"));
        assertThat(indicatorClearedWithADate.getClearedFields()).doesNotContain("deceasedAt", "deceased");
    }

    private PatientEvent patient(String text) {
        return mapper.map(raw(text), ref(raw(text))).patients().get(0).event();
    }

    @Test
    void formattedTextShowsAsPlainTextWithItsLineBreaks() {
        String text = "MSH|^~\\&|WINPATH|RHMX1|||20261127||ORU^R01|F1|P|2.4\r"
                + "PID|1||L1^^^RHMX1^MR\r"
                + "OBR|1|PL-F1|FL-F1|HIST^Histology^WINPATH|||20261127100000\r"
                + "OBX|1|FT|HIST^Histology report^WINPATH||\\H\\Macroscopy:\\N\\\\.br\\Two cores.\\.sp\\"
                + "\\.ce\\Microscopy\\.br\\A \\T\\ B \\F\\ C||||||F\r"
                + "NTE|1|L|Reported by\\.br\\an invented pathologist";

        ObservationEvent report = mapper.map(raw(text), ref(raw(text))).observations().get(0).event();

        assertThat(report.getValue()).isEqualTo("Macroscopy:\nTwo cores.\n\n\nMicroscopy\nA & B | C");
        assertThat(report.getNotes()).containsExactly("Reported by\nan invented pathologist");
    }

    /**
     * HL7's hexadecimal data, which HAPI leaves as sent: bytes in the message's charset, CR LF a line break. The same
     * events whether the light reader or HAPI read the message (a value with an escape is always HAPI's).
     */
    @Test
    void hexadecimalEscapesAreDecodedInTheMessagesCharset() {
        String report = "MSH|^~\\&|RIS|RHMX1|||20261127||ORU^R01|X1|P|2.4\r"
                + "PID|1||M1^^^RHMX1^MR\r"
                + "OBR|1|PL-X1|FL-X1|RAD^Radiology^RIS|||20261127100000\r"
                + "OBX|1|TX|RAD^Report^L||No effusion.\\X0D\\\\X0A\\Heart normal.||||||F\r"
                + "NTE|1|L|Reported by\\X0A\\an invented radiologist";
        String latin1 = "MSH|^~\\&|PAS|RHMX1|||20261127||ADT^A08|X2|P|2.4||||||8859/1\rEVN|A08|20261127\r"
                + "PID|1||M1^^^RHMX1^MR||M\\XDC\\LLER^ANNA||||||1 M\\XFC\\hlenweg^^Leeds^^LS1 1AA\rPV1|1|N";
        String utf8 = latin1.replace("8859/1", "UNICODE UTF-8").replace("\\XDC\\", "\\XC3\\\\X9C\\")
                .replace("\\XFC\\", "\\XC3BC\\");
        String invalid = latin1.replace("\\XDC\\", "\\XDC0\\").replace("\\XFC\\", "\\XZZ\\");

        for (RawMessageMapper reader : List.of(mapper, new RawMessageMapper(LONDON, Map.of(), Map.of(), false))) {
            ObservationEvent radiology = reader.map(raw(report), ref(raw(report))).observations().get(0).event();
            assertThat(radiology.getValue()).isEqualTo("No effusion.\nHeart normal.");
            assertThat(radiology.getNotes()).containsExactly("Reported by\nan invented radiologist");
            for (String text : List.of(latin1, utf8)) {
                PatientEvent p = reader.map(raw(text), ref(raw(text))).patients().get(0).event();
                assertThat(p.getName().getFamily()).isEqualTo("M\u00dcLLER");
                assertThat(p.getAddress().getLines()).containsExactly("1 M\u00fchlenweg");
            }
            PatientEvent asSent = reader.map(raw(invalid), ref(raw(invalid))).patients().get(0).event();
            assertThat(asSent.getName().getFamily()).as("not hexadecimal data: left as sent")
                    .isEqualTo("M\\XDC0\\LLER");
            assertThat(asSent.getAddress().getLines()).containsExactly("1 M\\XZZ\\hlenweg");
        }
    }

    /**
     * How long a test of the floods below may run before it is taken for a hang. Not a speed target (they take about a
     * second; no unit test here is timed): before the twenty-ninth session the reads were quadratic and each took from
     * minutes to hours, so that the mapping thread missed its poll deadline and the record was retried for ever.
     */
    private static final Duration HANG = Duration.ofSeconds(30);
    /** About the most a message can repeat within the MLLP limit of 1 MiB. */
    private static final String FLOOD = "~".repeat(1_000_000);

    private MappedEvents mapWithin(RawMessageMapper reader, String text) {
        return assertTimeoutPreemptively(HANG, () -> reader.map(raw(text), ref(raw(text))));
    }

    @Test
    void aFieldOfAMillionRepetitionsIsMapped() {
        String adt = "MSH|^~\\&|PAS|RHMX1|||20240612||ADT^A08|F1|P|2.4\rEVN|A08|20240612\r"
                + "PID|1||M1^^^RHMX1^MR||Invented^Orla||19400101|F|||||" + FLOOD + "0113 496 0000\rPV1|1|N";
        // An escape in a value read: HAPI's parse, whose own objects for each repetition make a million slow.
        String flood = FLOOD.substring(800_000);
        String escaped = "MSH|^~\\&|PAS|RHMX1|||20240612||ADT^A08|F2|P|2.4\rEVN|A08|20240612\r"
                + "PID|1||" + flood + "M1^^^RHMX1^MR||Invented\\T\\Co^Orla||19400101|F|||||" + flood
                + "0113 496 0000\rPV1|1|N";

        PatientEvent light = mapWithin(mapper, adt).patients().get(0).event();
        PatientEvent hapi = mapWithin(mapper, escaped).patients().get(0).event();

        assertThat(light.getPhone()).isEqualTo("0113 496 0000");
        assertThat(hapi.getPhone()).isEqualTo("0113 496 0000");
        assertThat(hapi.getIdentifiers()).extracting(Identifier::getValue).containsExactly("M1");
        assertThat(hapi.getName().getFamily()).isEqualTo("Invented&Co");
        assertThat(mapper.hapiReads()).isEqualTo(1);
    }

    @Test
    void aReportWithHalfAMillionBlankLinesAndANoteOfHalfAMillionRepetitionsIsMapped() {
        String flood = FLOOD.substring(500_000);
        String oru = "MSH|^~\\&|RIS|RHMX1|||20240612||ORU^R01|F3|P|2.4\rPID|1||L1^^^RHMX1^MR\r"
                + "OBR|1|PL1|FL1|RAD^Radiology^RIS|||20240612083000\r"
                + "OBX|1|TX|RAD^Report^RIS||Findings" + flood + "||||||F\r"
                + "OBX|2|TX|RAD^Report^RIS||Conclusion||||||F\r"
                + "NTE|1|L|" + flood + "note";

        ObservationEvent report = mapWithin(mapper, oru).observations().get(0).event();

        assertThat(report.getValue()).as("blank lines inside a report are its layout")
                .isEqualTo("Findings" + "\n".repeat(500_000) + "Conclusion");
        assertThat(report.getNotes()).containsExactly("note");
    }

    @Test
    void tensOfThousandsOfObservationsAndReportLinesAreMapped() {
        String order = "MSH|^~\\&|LIMS|RHMX1|||20240612||ORU^R01|F3|P|2.4\rPID|1||L1^^^RHMX1^MR\r"
                + "OBR|1|PL1|FL1|PANEL^Panel^LIMS|||20240612083000";
        StringBuilder codes = new StringBuilder(order);
        StringBuilder lines = new StringBuilder(order);
        for (int i = 0; i < 30_000; i++) {
            codes.append("\rOBX|1|ST|C").append(i).append("^Test^LIMS||a||||||F");
            lines.append("\rOBX|1|TX|REPORT^Report^LIMS||line ").append(i).append("||||||F");
        }

        List<MappedEvents.Keyed<ObservationEvent>> observations = mapWithin(mapper, codes.toString()).observations();
        ObservationEvent report = mapWithin(mapper, lines.toString()).observations().get(0).event();

        assertThat(observations).hasSize(30_000);
        assertThat(observations.get(29_999).event().getCode().getCode()).isEqualTo("C29999");
        assertThat(report.getValue().split("\n")).hasSize(30_000).startsWith("line 0").endsWith("line 29999");
    }

    @Test
    void codingSystemsAreNamedByTheirUris() {
        assertThat(RawMessageMapper.codingSystem("LN", "RHMX1")).isEqualTo(RawMessageMapper.LOINC);
        assertThat(RawMessageMapper.codingSystem("loinc", "RHMX1")).isEqualTo(RawMessageMapper.LOINC);
        assertThat(RawMessageMapper.codingSystem("SCT", "RHMX1")).isEqualTo(RawMessageMapper.SNOMED);
        assertThat(RawMessageMapper.codingSystem("SNM", "RHMX1")).isEqualTo(RawMessageMapper.SNOMED);
        assertThat(RawMessageMapper.codingSystem("WINPATH", "RHMX1")).isEqualTo("WINPATH");
        assertThat(RawMessageMapper.codingSystem("", "RHMX1")).isEqualTo("RHMX1");
    }

    @Test
    void eachVisitTriggerStatesTheStatusTheVisitGoesTo() {
        // trigger, message structure, status (null: unchanged), patient event kind
        Object[][] triggers = {
            {"A02", "ADT_A02", "in-progress", PatientEventKind.TRANSFER},
            {"A03", "ADT_A03", "finished", PatientEventKind.DISCHARGE},
            {"A04", "ADT_A01", "arrived", PatientEventKind.REGISTER},
            {"A05", "ADT_A05", "planned", PatientEventKind.REGISTER},
            {"A06", "ADT_A06", "in-progress", PatientEventKind.ADMIT},
            {"A07", "ADT_A06", null, PatientEventKind.UPDATE},
            {"A08", "ADT_A01", null, PatientEventKind.UPDATE},
            {"A11", "ADT_A09", "cancelled", PatientEventKind.CANCEL},
            {"A12", "ADT_A12", "in-progress", PatientEventKind.CANCEL},
            {"A13", "ADT_A01", "in-progress", PatientEventKind.CANCEL},
            {"A14", "ADT_A05", "planned", PatientEventKind.REGISTER},
            {"A21", "ADT_A21", "onleave", PatientEventKind.UPDATE},
            {"A22", "ADT_A21", "in-progress", PatientEventKind.UPDATE},
            {"A27", "ADT_A21", "cancelled", PatientEventKind.CANCEL},
            {"A38", "ADT_A38", "cancelled", PatientEventKind.CANCEL},
            {"A52", "ADT_A52", "in-progress", PatientEventKind.CANCEL},
            {"A53", "ADT_A52", "onleave", PatientEventKind.CANCEL},
        };
        for (Object[] t : triggers) {
            String text = Hl7Fixtures.load("adt_a01.hl7").replace("ADT^A01^ADT_A01", "ADT^" + t[0] + "^" + t[1])
                    .replace("EVN|A01", "EVN|" + t[0]);

            MappedEvents events = mapper.map(raw(text), ref(raw(text)));

            assertThat(events.patients()).singleElement().satisfies(p -> {
                assertThat(p.event().getKind()).as("%s", t[0]).isEqualTo(t[3]);
                assertThat(p.event().getTrigger()).isEqualTo(t[0]);
            });
            assertThat(events.encounters()).singleElement().satisfies(e -> {
                assertThat(e.event().getTrigger()).isEqualTo(t[0]);
                assertThat(e.event().getStatus()).as("%s", t[0]).isEqualTo(t[2]);
                assertThat(Identifiers.key(e.event().getVisit())).isEqualTo("RHMX1|V200001");
                assertThat(e.event().getPriorVisit()).isNull();
            });
        }
    }

    @Test
    void aClassChangeThatRenumbersTheVisitCarriesThePriorNumber() {
        String a06 = Hl7Fixtures.load("adt_a01.hl7").replace("ADT^A01^ADT_A01", "ADT^A06^ADT_A06")
                .replace("EVN|A01", "EVN|A06")
                .replace("\rPV1|", "\rMRG|M100001^^^RHMX1^MR||||E300001^^^RHMX1^VN\rPV1|");

        EncounterEvent e = mapper.map(raw(a06), ref(raw(a06))).encounters().get(0).event();

        assertThat(Identifiers.key(e.getVisit())).isEqualTo("RHMX1|V200001");
        assertThat(Identifiers.key(e.getPriorVisit())).isEqualTo("RHMX1|E300001");
        assertThat(e.getPatientClass()).isEqualTo("I");
        assertThat(e.getStatus()).isEqualTo("in-progress");
        PatientEvent p = mapper.map(raw(a06), ref(raw(a06))).patients().get(0).event();
        assertThat(p.getMerge()).as("an A06's MRG is about the visit, not a patient merge").isNull();

        String sameNumber = a06.replace("E300001", "V200001");
        assertThat(mapper.map(raw(sameNumber), ref(raw(sameNumber))).encounters().get(0).event().getPriorVisit())
                .as("MRG-5 naming the visit's own number renumbers nothing").isNull();
        String a08 = a06.replace("ADT^A06^ADT_A06", "ADT^A08^ADT_A01").replace("EVN|A06", "EVN|A08");
        assertThat(mapper.map(raw(a08), ref(raw(a08))).encounters().get(0).event().getPriorVisit())
                .as("only A06, A07, A50 and A42 renumber visits").isNull();
    }

    /**
     * A change of visit number (A50) and a merge of two visits of one stay (A42) both tie MRG-5's number to PV1-19's,
     * say nothing about where the patient is, and name the same patient in MRG-1.
     */
    @ParameterizedTest
    @ValueSource(strings = {"A50^ADT_A50", "A42^ADT_A39"})
    void aChangeOrMergeOfVisitNumbersCarriesThePriorNumberAndLeavesTheStatus(String type) {
        String trigger = type.substring(0, 3);
        String text = Hl7Fixtures.load("adt_a01.hl7").replace("ADT^A01^ADT_A01", "ADT^" + type)
                .replace("EVN|A01", "EVN|" + trigger)
                .replace("\rPV1|", "\rMRG|M100001^^^RHMX1^MR||||V100001^^^RHMX1^VN\rPV1|");

        MappedEvents events = mapper.map(raw(text), ref(raw(text)));

        EncounterEvent e = events.encounters().get(0).event();
        assertThat(Identifiers.key(e.getVisit())).as("the new or surviving number").isEqualTo("RHMX1|V200001");
        assertThat(Identifiers.key(e.getPriorVisit())).isEqualTo("RHMX1|V100001");
        assertThat(e.getStatus()).as("a new number says nothing about where the patient is").isNull();
        PatientEvent p = events.patients().get(0).event();
        assertThat(p.getKind()).isEqualTo(PatientEventKind.UPDATE);
        assertThat(p.getMerge()).as("MRG-1 names the same patient").isNull();
    }

    @Test
    void eachPatientsResultsAreFiledUnderThatPatient() {
        String text = "MSH|^~\\&|WINPATH|RHMX1|||20240612143000||ORU^R01^ORU_R01|C7|P|2.4\r"
                + "PID|1||L1^^^RHMX1^MR||FIRST^Ann||19700101|F\r"
                + "OBR|1|PL1|FL1|FBC|||20240612083000\r"
                + "OBX|1|NM|718-7^Hb^LN||131|g/L|||||F\r"
                + "OBX|2|NM|6690-2^WBC^LN||6.1|10*9/L|||||F\r"
                + "PID|2||L2^^^RHMX1^MR||SECOND^Ben||19800202|M\r"
                + "OBR|1|PL2|FL2|UE|||20240612084500\r"
                + "NTE|1|L|haemolysed\r"
                + "OBX|1|NM|2823-3^Potassium^LN||6.2|mmol/L||H|||F";

        MappedEvents events = mapper.map(raw(text), ref(raw(text)));

        assertThat(events.patients()).extracting(MappedEvents.Keyed::key).containsExactly("RHMX1|L1", "RHMX1|L2");
        assertThat(events.patients().get(1).event().getName().getFamily()).isEqualTo("SECOND");
        assertThat(events.observations()).extracting(MappedEvents.Keyed::key, o -> o.event().getCode().getCode())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("RHMX1|L1", "718-7"),
                        org.assertj.core.groups.Tuple.tuple("RHMX1|L1", "6690-2"),
                        org.assertj.core.groups.Tuple.tuple("RHMX1|L2", "2823-3"));
        ObservationEvent potassium = events.observations().get(2).event();
        assertThat(potassium.getPatientIdentifiers()).extracting(Identifiers::key).containsExactly("RHMX1|L2");
        assertThat(potassium.getFillerOrderNumber()).isEqualTo("FL2");
        assertThat(potassium.getNotes()).containsExactly("haemolysed");
        assertThat(events.observations().get(0).event().getNotes()).as("the other patient's note stays theirs")
                .isEmpty();

        String misplaced = text.replace("\rPID|1||L1", "\rOBX|9|NM|718-7^Hb^LN||99|g/L|||||F\rPID|1||L1");
        assertThatThrownBy(() -> mapper.map(raw(misplaced), ref(raw(misplaced))))
                .isInstanceOf(MappingException.class).hasMessage("result segments before the first PID");
    }

    @Test
    void aMergeMessageWithSeveralPairsMergesEach() {
        String text = Hl7Fixtures.load("adt_a40_merge.hl7").strip()
                + "\rPID|2||M100050^^^RHMX1^MR||FICTIONAL^Other||19700101|M\rMRG|M100051^^^RHMX1^MR";

        MappedEvents events = mapper.map(raw(text), ref(raw(text)));

        assertThat(events.patients()).extracting(MappedEvents.Keyed::key)
                .containsExactly("RHMX1|M100040", "RHMX1|M100050");
        assertThat(events.patients()).extracting(p -> p.event().getMerge().getPriorIdentifiers().get(0).getValue())
                .containsExactly("M100041", "M100051");
    }

    @Test
    void unsupportedTypesMapToNothing() {
        String text = Hl7Fixtures.load("adt_a01.hl7").replace("ADT^A01^ADT_A01", "SIU^S12");

        assertThat(mapper.map(raw(text), ref(raw(text))).size()).isZero();
    }

    @Test
    void anAdmissionWithoutPv1HasNoEncounter() {
        String text = Hl7Fixtures.load("adt_a01.hl7");
        text = text.substring(0, text.indexOf("PV1|"));

        MappedEvents events = mapper.map(raw(text), ref(raw(text)));

        assertThat(events.patients()).hasSize(1);
        assertThat(events.encounters()).isEmpty();
    }

    @Test
    void toleratesTheSameLayoutsValidationAccepts() {
        MappedEvents expected = map("adt_a01.hl7");
        String text = Hl7Fixtures.load("adt_a01.hl7");

        for (String variant : new String[] {text.replace('\r', '\n'), text.replace("\r", "\r\n"),
            "\r\n" + text, "\n\n" + text + "\r\n"}) {
            MappedEvents events = mapper.map(raw(variant), ref(raw(variant)));
            assertThat(events.patients().get(0).event().getIdentifiers())
                    .isEqualTo(expected.patients().get(0).event().getIdentifiers());
            assertThat(events.encounters()).hasSize(1);
        }
    }

    @Test
    void isAPureFunctionOfTheRawRecord() {
        RawMessage raw = raw(Hl7Fixtures.load("oru_r01_hba1c.hl7"));

        assertThat(mapper.map(raw, ref(raw))).isEqualTo(mapper.map(raw, ref(raw)));
        assertThat(raw.getPayload().remaining()).as("the payload buffer is not consumed")
                .isEqualTo(Hl7Fixtures.bytes("oru_r01_hba1c.hl7").length);
    }

    @Test
    void refusesWhatCannotBecomeEvents() {
        assertRefused(Hl7Fixtures.load("garbage.txt"), "no readable MSH segment");
        assertRefused(Hl7Fixtures.load("adt_a01.hl7").replace("|P|2.5|", "|P|2.9|"), "unsupported HL7 version");
        assertRefused("MSH|^~\\&|PAS|RHMX1|||20240101||ADT^A01|C1|P|2.5\rEVN|A01", "PID segment missing");
        assertRefused(Hl7Fixtures.load("oru_missing_pid3.hl7"), "no usable patient identifier in PID-3");
        assertRefused(Hl7Fixtures.load("adt_a01.hl7").replace("19800214", "14/02/1980"),
                "a date/time field is not an HL7 date/time");
        assertRefused(Hl7Fixtures.load("oru_r01_hba1c.hl7").replace("20240612083000+0100", "12/06/2024"),
                "a date/time field is not an HL7 date/time");
        assertRefused("MSH|^~\\&|WINPATH|RHMX1|||20240612||ORU^R01|C9|P|2.4\rPID|1||L1^^^RHMX1^MR\r"
                + "OBX|1|NM|718-7^Hb^LN||131|g/L|||||F", "OBX before any OBR");
        assertRefused("MSH|^~\\&|WINPATH|RHMX1|||20240612||ORU^R01|C9|P|2.4\rPID|1||L1^^^RHMX1^MR\r"
                + "OBR|1|PL9|FL9|FBC", "a result message without OBX");
        assertRefused("MSH|^~\\&|WINPATH|RHMX1|||20240612||ORU^R01|C9|P|2.4\rPID|1||L1^^^RHMX1^MR\r"
                + "OBR|1|PL9|FL9|FBC\rOBX|1|NM|||131|g/L|||||F", "OBX-3 observation identifier missing");
    }

    private void assertRefused(String text, String reason) {
        assertThatThrownBy(() -> mapper.map(raw(text), ref(raw(text)))).isInstanceOf(MappingException.class)
                .hasMessage(reason);
    }

    private MappedEvents map(String fixture) {
        RawMessage raw = raw(Hl7Fixtures.load(fixture));
        return mapper.map(raw, ref(raw));
    }

    /** A raw record as ingest archives it: the bytes as received, the charset they were read with. */
    static RawMessage raw(String text) {
        Charset charset = Hl7Fixtures.charsetOf(text.strip());
        byte[] payload = text.getBytes(charset);
        MshHeader msh = MshReader.read(text.strip()).orElse(null);
        String facility = msh == null ? "RHMX1" : msh.sendingFacility();
        String controlId = msh == null ? "" : msh.controlId();
        return RawMessage.newBuilder()
                .setMessageId(MessageIds.of(facility, controlId, payload))
                .setSendingFacility(facility)
                .setSendingApplication(msh == null || msh.sendingApplication().isEmpty() ? null
                        : msh.sendingApplication())
                .setMessageType(msh == null ? "" : msh.messageType())
                .setControlId(controlId)
                .setHl7Version(msh == null ? null : msh.version())
                .setReceivedAt(RECEIVED)
                .setPayload(ByteBuffer.wrap(payload))
                .setCharset(charset.name())
                .setTransport(Transport.MLLP)
                .setRemoteAddress("127.0.0.1:50123")
                .setReceivedBy("mllp:2575")
                .setAckCode(AckCode.AA)
                .build();
    }

    static RawMessageRef ref(RawMessage raw) {
        return RawMessageRef.newBuilder().setMessageId(raw.getMessageId()).setTopic("hl7.raw").setPartition(0)
                .setOffset(42L).build();
    }

    private static Coding coding(String system, String code, String display) {
        return Coding.newBuilder().setSystem(system).setCode(code).setDisplay(display).build();
    }

    private static StatedTime stated(String instant, int offsetSeconds, boolean assumed) {
        return StatedTime.newBuilder().setInstant(Instant.parse(instant)).setOffsetSeconds(offsetSeconds)
                .setOffsetAssumed(assumed).build();
    }
}
