package org.careweave.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.careweave.events.AckCode;
import org.careweave.events.RejectionStage;
import org.careweave.ingest.Hl7Fixtures;
import org.careweave.ingest.validation.Issue.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageValidatorTest {

    private final MessageValidator validator = new MessageValidator(MessageValidator.Rules.defaults());
    private final MessageValidator archiving = new MessageValidator(new MessageValidator.Rules(
            StandardCharsets.ISO_8859_1, true, ZoneId.of("Europe/London")));

    private static final String ADT = "MSH|^~\\&|PAS|RHMX1|CAREWEAVE|CW|20240715093512||ADT^A01|C1|P|2.5\r"
            + "PID|1||M100001^^^RHMX1^MR||FICTIONAL^Alice||19800214|F\r"
            + "PV1|1|I|WARD7";
    private static final String ORU = "MSH|^~\\&|WINPATH|RHMX1|CAREWEAVE|CW|20240612143000||ORU^R01|C2|P|2.4\r"
            + "PID|1||L300042^^^RHMX1^MR||SAMPLE^Carol||19720905|F\r"
            + "OBR|1|PL1|FL1|HBA1C^HbA1c^WINPATH|||20240612083000\r"
            + "OBX|1|NM|4548-4^HbA1c^LN||53|mmol/mol|20-41|H|||F";

    @ParameterizedTest
    @ValueSource(strings = {"adt_a01.hl7", "adt_a08_explicit_nulls.hl7", "adt_a40_merge.hl7", "oru_r01_hba1c.hl7",
        "oru_r01_v282.hl7", "adt_a28_v23.hl7", "adt_a31_invalid_nhs.hl7"})
    void acceptsTheGoodFixtures(String name) {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes(name));

        assertThat(verdict.issues()).filteredOn(i -> i.severity() == Severity.ERROR).isEmpty();
        assertThat(verdict.ackCode()).isEqualTo(AckCode.AA);
        assertThat(verdict.accepted()).isTrue();
        assertThat(verdict.stage()).isNull();
        assertThat(verdict.archiveOnly()).isFalse();
        assertThat(verdict.msh()).isNotNull();
        assertThat(verdict.reason()).isEqualTo("accepted");
    }

    @Test
    void readsTheCharsetTheMessageDeclares() {
        assertThat(validator.validate(Hl7Fixtures.bytes("oru_r01_v282.hl7")).charset())
                .isEqualTo(StandardCharsets.UTF_8);
        assertThat(validator.validate(Hl7Fixtures.bytes("oru_r01_hba1c.hl7")).charset())
                .isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(validator.validate(Hl7Fixtures.bytes("adt_a01.hl7")).charset())
                .isEqualTo(StandardCharsets.ISO_8859_1);
    }

    @Test
    void rejectsWhatIsNotHl7() {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("garbage.txt"));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AR);
        assertThat(verdict.stage()).isEqualTo(RejectionStage.VALIDATION);
        assertThat(verdict.msh()).isNull();
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.code()).isEqualTo("100");
            assertThat(i.severity()).isEqualTo(Severity.ERROR);
            assertThat(i.location()).isEqualTo("MSH");
        });
        assertThat(verdict.reason()).startsWith("MSH: not an HL7 v2 message");
    }

    @Test
    void rejectsAnEmptyPayload() {
        Verdict verdict = validator.validate(new byte[0]);

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AR);
        assertThat(verdict.msh()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PID|1||M100001^^^RHMX1^MR\rMSH|^~\\&|PAS|RHMX1|||20240101||ADT^A01|C1|P|2.5",
        "MSH|^^\\&|PAS|RHMX1|||20240101||ADT^A01|C1|P|2.5\rPID|1||X",
        "MSH|^|PAS|RHMX1|||20240101||ADT^A01|C1|P|2.5\rPID|1||X",
        "MSH||PAS|RHMX1|||20240101||ADT^A01|C1|P|2.5\rPID|1||X",
        "MSH|A~\\&|PAS|RHMX1|||20240101||ADT^A01|C1|P|2.5\rPID|1||X",
    })
    void rejectsAMissingMshOrBadEncodingCharacters(String text) {
        Verdict verdict = validate(text);

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AR);
        assertThat(verdict.msh()).isNull();
        assertThat(verdict.issues()).extracting(Issue::code).containsExactly("100");
    }

    @ParameterizedTest
    @CsvSource({
        "MSH-4, 'MSH|^~\\&|PAS||CW|CW|20240101||ADT^A01|C1|P|2.5'",
        "MSH-9, 'MSH|^~\\&|PAS|RHMX1|CW|CW|20240101|||C1|P|2.5'",
        "MSH-10, 'MSH|^~\\&|PAS|RHMX1|CW|CW|20240101||ADT^A01||P|2.5'",
        "MSH-12, 'MSH|^~\\&|PAS|RHMX1|CW|CW|20240101||ADT^A01|C1|P|'",
        "MSH-10, 'MSH|^~\\&|PAS|RHMX1|CW|CW|20240101||ADT^A01|\"\"|P|2.5'",
    })
    void rejectsAMissingRequiredMshField(String location, String msh) {
        Verdict verdict = validate(msh + "\rPID|1||M1^^^RHMX1^MR\rPV1|1|I");

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AR);
        assertThat(verdict.stage()).isEqualTo(RejectionStage.VALIDATION);
        assertThat(verdict.msh()).isNotNull();
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.code()).isEqualTo("101");
            assertThat(i.location()).isEqualTo(location);
        });
    }

    @Test
    void listsEveryMissingMshFieldAtOnce() {
        Verdict verdict = validate("MSH|^~\\&|PAS||||20240101||||P|\rPID|1||X");

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AR);
        assertThat(verdict.issues()).extracting(Issue::location)
                .containsExactly("MSH-4", "MSH-9", "MSH-10", "MSH-12");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.1", "2.9", "3.0", "2.x"})
    void rejectsAnUnsupportedVersion(String version) {
        Verdict verdict = validate(ADT.replace("|P|2.5", "|P|" + version));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AR);
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.code()).isEqualTo("203");
            assertThat(i.location()).isEqualTo("MSH-12");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1",
        "2.8.2"})
    void acceptsEveryVersionFrom22To28x(String version) {
        assertThat(validate(ADT.replace("|P|2.5", "|P|" + version)).ackCode()).isEqualTo(AckCode.AA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"A02", "A03", "A04", "A05", "A06", "A07", "A08", "A11", "A12", "A13", "A14", "A21",
        "A22", "A27", "A28", "A31", "A38", "A52", "A53"})
    void acceptsEveryAdtTriggerCareweaveMaps(String trigger) {
        assertThat(validate(ADT.replace("ADT^A01", "ADT^" + trigger)).ackCode()).isEqualTo(AckCode.AA);
    }

    @ParameterizedTest
    @CsvSource({
        "SIU^S12, 200",
        "ORM^O01, 200",
        "ADT^A20, 201",
        "ADT^A44, 201",
        "ORU^R30, 201",
        "ADT, 201",
    })
    void rejectsAnUnsupportedTypeOrEvent(String type, String code) {
        Verdict verdict = validate(ADT.replace("ADT^A01", type));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AR);
        assertThat(verdict.archiveOnly()).isFalse();
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.code()).isEqualTo(code);
            assertThat(i.location()).isEqualTo("MSH-9");
            assertThat(i.text()).contains(type);
        });
    }

    @Test
    void archivesAnUnsupportedTypeWithAaWhenSoConfigured() {
        Verdict verdict = archiving.validate(bytes(ADT.replace("ADT^A01", "SIU^S12")));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AA);
        assertThat(verdict.accepted()).isTrue();
        assertThat(verdict.archiveOnly()).isTrue();
        assertThat(verdict.stage()).isNull();
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.severity()).isEqualTo(Severity.WARNING);
            assertThat(i.code()).isEqualTo("200");
            assertThat(i.text()).contains("SIU^S12");
        });
    }

    @Test
    void archivingStillRejectsWhatCannotBeRead() {
        assertThat(archiving.validate(Hl7Fixtures.bytes("garbage.txt")).ackCode()).isEqualTo(AckCode.AR);
        assertThat(archiving.validate(bytes(ADT.replace("ADT^A01", "SIU^S12").replace("|P|2.5", "|P|2.9")))
                .ackCode()).isEqualTo(AckCode.AR);
        assertThat(archiving.validate(bytes(ADT.replace("ADT^A01", "SIU^S12").replace("|C1|", "||")))
                .ackCode()).isEqualTo(AckCode.AR);
    }

    @Test
    void supportedTypesAreNotArchiveOnlyWhenArchivingIsOn() {
        Verdict verdict = archiving.validate(bytes(ADT));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AA);
        assertThat(verdict.archiveOnly()).isFalse();
    }

    @Test
    void aResultWithoutPatientIdentifierIsAnApplicationError() {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("oru_missing_pid3.hl7"));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.stage()).isEqualTo(RejectionStage.VALIDATION);
        assertThat(verdict.msh().controlId()).isEqualTo("RHMX1-LAB-000299");
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.code()).isEqualTo("101");
            assertThat(i.location()).isEqualTo("PID-3");
            assertThat(i.severity()).isEqualTo(Severity.ERROR);
        });
        assertThat(verdict.reason()).isEqualTo("PID-3: at least one patient identifier is required");
    }

    @Test
    void anExplicitNullIsNotAPatientIdentifier() {
        Verdict verdict = validate(ORU.replace("L300042^^^RHMX1^MR", "\"\""));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.issues()).extracting(Issue::location).containsExactly("PID-3");
    }

    @Test
    void aSecondRepetitionIsEnoughAsPatientIdentifier() {
        assertThat(validate(ORU.replace("L300042^^^RHMX1^MR", "~9990000018^^^NHS^NH")).ackCode())
                .isEqualTo(AckCode.AA);
    }

    @Test
    void anNhsNumberFailingItsChecksAloneIsNoUsablePatientIdentifier() {
        // 9990000017: the check digit should be 8. Accepted, identity could file the result under nobody.
        Verdict verdict = validate(ORU.replace("L300042^^^RHMX1^MR", "9990000017^^^NHS^NH"));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.stage()).isEqualTo(RejectionStage.VALIDATION);
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.code()).isEqualTo("102");
            assertThat(i.location()).isEqualTo("PID-3");
        });
        assertThat(verdict.reason()).startsWith("PID-3: no usable patient identifier").doesNotContain("9990000017");
        // Beside a local number it is only flagged, as before: the local number files the patient.
        assertThat(validate(ORU.replace("L300042^^^RHMX1^MR", "L300042^^^RHMX1^MR~9990000017^^^NHS^NH"))
                .ackCode()).isEqualTo(AckCode.AA);
        assertThat(validate(ORU.replace("L300042^^^RHMX1^MR", "9990000018^^^NHS^NH")).ackCode())
                .isEqualTo(AckCode.AA);
    }

    @Test
    void aMessageWithoutPidIsAnApplicationError() {
        Verdict verdict = validate(ADT.replace("PID|1||M100001^^^RHMX1^MR||FICTIONAL^Alice||19800214|F\r", ""));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.issues()).extracting(Issue::location).containsExactly("PID");
    }

    @Test
    void anObxWithoutResultStatusIsAnApplicationError() {
        Verdict verdict = validate(ORU + "\rOBX|2|NM|718-7^Hb^LN||131|g/L|115-165||||");

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.code()).isEqualTo("101");
            assertThat(i.location()).isEqualTo("OBX[2]-11");
        });
    }

    @Test
    void anObxWithoutIdentifierOrValueTypeIsAnApplicationError() {
        Verdict verdict = validate(ORU.replace("OBX|1|NM|4548-4^HbA1c^LN|", "OBX|1|||"));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.issues()).extracting(Issue::location).containsExactly("OBX[1]-3", "OBX[1]-2");
    }

    @Test
    void anUnparseableCollectionTimeIsAnApplicationError() {
        Verdict verdict = validate(ORU.replace("20240612083000", "12/06/2024 08:30"));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.code()).isEqualTo("102");
            assertThat(i.location()).isEqualTo("OBR[1]-7");
            // Issue texts never quote field values.
            assertThat(i.text()).doesNotContain("12/06/2024");
        });
    }

    @Test
    void anUnparseableObservationTimeIsAnApplicationError() {
        Verdict verdict = validate(ORU + "|||2024-06-12");

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.issues()).extracting(Issue::location).containsExactly("OBX[1]-14");
    }

    @Test
    void aResultWithoutObrOrObxIsAnApplicationError() {
        Verdict verdict = validate("MSH|^~\\&|WINPATH|RHMX1|||20240612||ORU^R01|C2|P|2.4\rPID|1||L1^^^RHMX1");

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.issues()).extracting(Issue::location).containsExactly("OBR", "OBX");
    }

    @Test
    void anUnparseableBirthDateIsAnApplicationError() {
        Verdict verdict = validate(ADT.replace("19800214", "14/02/1980"));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.issues()).extracting(Issue::location).containsExactly("PID-7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"15/01/2024", "2024-01-15 10:30", "202401151030+01"})
    void anUnparseableDateOfDeathIsAnApplicationError(String death) {
        // Read without it, a death whose PID-30 is not sent would be lost, and the patient shown as living.
        Verdict verdict = validate(ADT.replace("ADT^A01", "ADT^A08").replace("19800214|F",
                "19800214|F|||||||||||||||||||||" + death));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.code()).isEqualTo("102");
            assertThat(i.location()).isEqualTo("PID-29");
            assertThat(i.text()).doesNotContain(death);
        });
    }

    @Test
    void theDateOfDeathOfEachPatientOfAResultIsChecked() {
        String two = ORU + "\rPID|1||L300043^^^RHMX1^MR||OTHER^Dora||19650101|F|||||||||||||||||||||2024-01-15\r"
                + "OBR|1|PL2|FL2|HBA1C^HbA1c^WINPATH|||20240612083000\r"
                + "OBX|1|NM|4548-4^HbA1c^LN||41|mmol/mol|20-41||||F";

        assertThat(validate(two).issues()).extracting(Issue::location).containsExactly("PID[2]-29");
    }

    /**
     * A visit's admission and discharge times (PV1-44, PV1-45) and a result's status change time (OBR-22) are times
     * the events can do without: mapping reads them as not stated when unreadable, so the message is accepted, and
     * the sender told, as for MSH-7. Refused, a discharge would leave the patient on the ward.
     */
    @ParameterizedTest
    @ValueSource(strings = {"2024-06-12 10:30", "202406121030+01", "12/06/2024"})
    void anUnparseableVisitOrReportTimeIsAcceptedWithAWarning(String time) {
        String discharge = ADT.replace("ADT^A01", "ADT^A03").replace("PV1|1|I|WARD7",
                "PV1|1|I|WARD7||||||||||||||||V1|||||||||||||||||||||||||20240612090000|" + time);
        String admission = ADT.replace("PV1|1|I|WARD7",
                "PV1|1|I|WARD7||||||||||||||||V1|||||||||||||||||||||||||" + time);
        String report = ORU.replace("|||20240612083000", "|||20240612083000|||||||||||||||" + time);

        assertThat(validate(discharge).issues()).extracting(Issue::severity, Issue::location, Issue::code)
                .containsExactly(tuple(Severity.WARNING, "PV1-45", "102"));
        assertThat(validate(admission).issues()).extracting(Issue::severity, Issue::location)
                .containsExactly(tuple(Severity.WARNING, "PV1-44"));
        assertThat(validate(report).issues()).extracting(Issue::severity, Issue::location)
                .containsExactly(tuple(Severity.WARNING, "OBR[1]-22"));
        for (String text : List.of(discharge, admission, report)) {
            assertThat(validate(text).ackCode()).isEqualTo(AckCode.AA);
            assertThat(validate(text).issues()).allSatisfy(i -> assertThat(i.text()).doesNotContain(time));
        }
    }

    @Test
    void aBadMessageTimeIsOnlyAWarning() {
        Verdict verdict = validate(ADT.replace("20240715093512", "now"));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AA);
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.severity()).isEqualTo(Severity.WARNING);
            assertThat(i.location()).isEqualTo("MSH-7");
        });
    }

    @Test
    void aResultMessageMayReportForSeveralPatients() {
        String two = ORU + "\rPID|1||L300043^^^RHMX1^MR||OTHER^Dora||19650101|F\r"
                + "OBR|1|PL2|FL2|HBA1C^HbA1c^WINPATH|||20240612083000\r"
                + "OBX|1|NM|4548-4^HbA1c^LN||41|mmol/mol|20-41||||F";

        assertThat(validate(two).ackCode()).isEqualTo(AckCode.AA);
        assertThat(validate(two.replace("L300043^^^RHMX1^MR", "")).issues()).extracting(Issue::location)
                .containsExactly("PID[2]-3");
        String noResults = ORU + "\rPID|1||L300043^^^RHMX1^MR||OTHER^Dora||19650101|F";
        Verdict verdict = validate(noResults);
        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.issues()).extracting(Issue::location).containsExactly("PID[2]");
    }

    @Test
    void resultsBeforeTheFirstPidBelongToNoPatientAndAreRefused() {
        String misplaced = ORU.replace("\rPID|", "\rOBX|9|NM|718-7^Hb^LN||131|g/L|||||F\rPID|");

        Verdict verdict = validate(misplaced);

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.issues()).extracting(Issue::text).contains("results before the first PID belong to no "
                + "patient");
    }

    @Test
    void aSecondPatientInAnAdmissionIsRefused() {
        Verdict verdict = validate(ADT + "\rPID|1||M100002^^^RHMX1^MR||OTHER^Bob||19700101|M");

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.location()).isEqualTo("PID[2]");
            assertThat(i.text()).isEqualTo("one patient per ADT^A01 message");
        });
    }

    @Test
    void aMergeMessageMayMergeSeveralPairsEachWithItsMrg() {
        String merge = "MSH|^~\\&|PAS|RHMX1|CAREWEAVE|CW|20240715093512||ADT^A40^ADT_A39|C3|P|2.5\r"
                + "PID|1||M1^^^RHMX1^MR\rMRG|M2^^^RHMX1^MR\rPID|2||M3^^^RHMX1^MR\rMRG|M4^^^RHMX1^MR";

        assertThat(validate(merge).ackCode()).isEqualTo(AckCode.AA);
        assertThat(validate(merge.replace("MRG|M4^^^RHMX1^MR", "")).issues()).extracting(Issue::location)
                .containsExactly("MRG[2]-1");
    }

    @Test
    void aVisitTriggerWithoutPv1IsAcceptedWithAWarning() {
        Verdict verdict = validate(ADT.replace("\rPV1|1|I|WARD7", ""));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AA);
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.severity()).isEqualTo(Severity.WARNING);
            assertThat(i.location()).isEqualTo("PV1");
        });
        assertThat(verdict.reason()).isEqualTo("accepted");
    }

    @Test
    void aChangeOfIdentifierIsAMergeAndNeedsThePriorIdentifier() {
        String a47 = "MSH|^~\\&|PAS|RHMX1|CAREWEAVE|CW|20240715093512||ADT^A47^ADT_A30|C5|P|2.5\r"
                + "EVN|A47\rPID|1||P100001^^^RHMX1^MR||FICTIONAL^Alice||19800214|F\rMRG|T100001^^^RHMX1^MR";

        assertThat(validate(a47).ackCode()).isEqualTo(AckCode.AA);
        Verdict noPrior = validate(a47.replace("MRG|T100001^^^RHMX1^MR", "MRG|"));
        assertThat(noPrior.ackCode()).isEqualTo(AckCode.AE);
        assertThat(noPrior.issues()).extracting(Issue::location).containsExactly("MRG-1");
        String a46 = a47.replace("ADT^A47", "ADT^A46").replace("EVN|A47", "EVN|A46");
        assertThat(validate(a46).ackCode()).as("A46, A47's name before HL7 2.3.1").isEqualTo(AckCode.AA);
        assertThat(validate(a46.replace("MRG|T100001^^^RHMX1^MR", "MRG|")).ackCode()).isEqualTo(AckCode.AE);
    }

    @Test
    void twoMessagesInOneFrameAreRefusedNotTakenAsOne() {
        String second = ORU.replace("|C2|", "|C3|");
        // HAPI strips whitespace (0x0B, the MLLP start block, included) from the start of every segment, so a second
        // MSH after it is a second message too: a start block where a sender dropped an end block, an indented line.
        for (String separator : List.of("\r", "\n", "\r\n", "\r\u000B", "\r ", "\r\t", "\n  ", "\r\u001C\u000B",
                "\u000B")) {
            Verdict verdict = validate(ORU + separator + second);

            String between = separator.chars().mapToObj(c -> String.format("%02X", c)).toList().toString();
            assertThat(verdict.ackCode()).as(between).isEqualTo(AckCode.AR);
            assertThat(verdict.issues()).as(between).singleElement().satisfies(i -> {
                assertThat(i.code()).isEqualTo("100");
                assertThat(i.location()).isEqualTo("MSH[2]");
                assertThat(i.text()).contains("one message per frame");
            });
        }
        for (String header : List.of("BHS|^~\\&|PAS|RHMX1", "FHS|^~\\&|PAS|RHMX1")) {
            assertThat(validate(ADT + "\r " + header).ackCode()).as(header).isEqualTo(AckCode.AR);
        }
        Verdict batch = validate("BHS|^~\\&|PAS|RHMX1\r" + ADT + "\rBTS|1");
        assertThat(batch.ackCode()).isEqualTo(AckCode.AR);
        assertThat(batch.issues()).singleElement()
                .satisfies(i -> assertThat(i.text()).startsWith("a batch (FHS/BHS) is not one message"));
    }

    @Test
    void aFullHospitalFeedsOtherTriggersAreAccepted() {
        for (String trigger : List.of("A09", "A10", "A15", "A16", "A23", "A25", "A26", "A29", "A32", "A33", "A54",
                "A55", "A61", "A62", "A60", "A48", "A49", "A51", "A35", "A41")) {
            Verdict verdict = validate(ADT.replace("ADT^A01", "ADT^" + trigger));
            assertThat(verdict.ackCode()).as(trigger).isEqualTo(AckCode.AA);
            assertThat(verdict.issues()).as(trigger).isEmpty();
        }
        String swap = ADT.replace("ADT^A01", "ADT^A17") + "\rPID|2||M100002^^^RHMX1^MR||OTHER^Bea||19700101|F"
                + "\rPV1|1|I|WARD9";
        assertThat(validate(swap).ackCode()).as("a swap names two patients").isEqualTo(AckCode.AA);
        Verdict onePatient = validate(ADT.replace("ADT^A01", "ADT^A17"));
        assertThat(onePatient.ackCode()).isEqualTo(AckCode.AE);
        assertThat(onePatient.issues()).extracting(Issue::text)
                .containsExactly("a swap (A17) names two patients, each followed by the PV1 of their new bed");
        assertThat(validate(swap.replace("\rPV1|1|I|WARD9", "")).ackCode()).as("each with a PV1")
                .isEqualTo(AckCode.AE);
        assertThat(validate(ADT.replace("ADT^A01", "ADT^A20")).ackCode()).as("a bed status update names no patient")
                .isEqualTo(AckCode.AR);
    }

    @Test
    void aPlaceholderForTheHospitalNumberIsNoIdentifier() {
        Verdict unknown = validate(ADT.replace("M100001^^^RHMX1^MR", "UNKNOWN^^^RHMX1^MR"));
        assertThat(unknown.ackCode()).isEqualTo(AckCode.AE);
        assertThat(unknown.issues()).singleElement().satisfies(i -> {
            assertThat(i.location()).isEqualTo("PID-3");
            assertThat(i.text()).contains("placeholders (UNKNOWN, 0)");
        });
        assertThat(validate(ADT.replace("M100001^^^RHMX1^MR", "0^^^RHMX1^MR~9990000018^^^NHS^NH")).ackCode())
                .as("the NHS number files the patient").isEqualTo(AckCode.AA);
    }

    @Test
    void aLinkOrUnlinkNamesTwoRecordsEachWithAUsableIdentifier() {
        for (String trigger : List.of("A24", "A37")) {
            String link = ADT.replace("ADT^A01", "ADT^" + trigger) + "\rPID|2||B77^^^RAE01^MR";
            assertThat(validate(link).ackCode()).as(trigger).isEqualTo(AckCode.AA);
            assertThat(validate(link).issues()).as(trigger).isEmpty();

            Verdict oneRecord = validate(ADT.replace("ADT^A01", "ADT^" + trigger));
            assertThat(oneRecord.ackCode()).as(trigger).isEqualTo(AckCode.AE);
            assertThat(oneRecord.issues()).extracting(Issue::text).as(trigger).containsExactly("a "
                    + (trigger.equals("A24") ? "link" : "unlink") + " (" + trigger
                    + ") names two patient records: a PID for each");

            Verdict noOtherNumber = validate(ADT.replace("ADT^A01", "ADT^" + trigger) + "\rPID|2||^^^RAE01^MR");
            assertThat(noOtherNumber.ackCode()).as(trigger).isEqualTo(AckCode.AE);
            assertThat(noOtherNumber.issues()).extracting(Issue::location).as(trigger).containsExactly("PID[2]-3");
        }
    }

    @Test
    void aVisitMoveSaysWhoseVisitItWasAndWhichVisit() {
        String move = ADT.replace("ADT^A01", "ADT^A45").replace("\rPV1|1|I|WARD7", "")
                + "\rMRG|WRONG1^^^RHMX1^MR||||V45\rPV1|1|I|WARD7";
        assertThat(validate(move).ackCode()).isEqualTo(AckCode.AA);
        assertThat(validate(move).issues()).isEmpty();

        Verdict noMrg = validate(ADT.replace("ADT^A01", "ADT^A45"));
        assertThat(noMrg.ackCode()).isEqualTo(AckCode.AE);
        assertThat(noMrg.issues()).extracting(Issue::location).containsExactly("MRG");
        Verdict noPv1 = validate(move.replace("\rPV1|1|I|WARD7", ""));
        assertThat(noPv1.issues()).extracting(Issue::text)
                .containsExactly("a visit move needs the visit's PV1 right after its MRG");
        Verdict noVisit = validate(move.replace("||||V45", ""));
        assertThat(noVisit.ackCode()).isEqualTo(AckCode.AE);
        assertThat(noVisit.issues()).extracting(Issue::location).containsExactly("MRG[1]-5");
        Verdict noPatient = validate(move.replace("MRG|WRONG1^^^RHMX1^MR", "MRG|"));
        assertThat(noPatient.issues()).extracting(Issue::location).containsExactly("MRG[1]-1");
    }

    @Test
    void theOlderMergeTriggersAreMergesAndNeedThePriorIdentifier() {
        for (String trigger : List.of("A18", "A30", "A36")) {
            String merge = "MSH|^~\\&|PAS|RHMX1|CAREWEAVE|CW|20240715093512||ADT^" + trigger + "|C5|P|2.3\r"
                    + "EVN|" + trigger + "\rPID|1||P100001^^^RHMX1^MR||FICTIONAL^Alice||19800214|F\r"
                    + "MRG|T100001^^^RHMX1^MR";

            assertThat(validate(merge).ackCode()).as(trigger).isEqualTo(AckCode.AA);
            Verdict noPrior = validate(merge.replace("MRG|T100001^^^RHMX1^MR", "MRG|"));
            assertThat(noPrior.ackCode()).as(trigger).isEqualTo(AckCode.AE);
            assertThat(noPrior.issues()).extracting(Issue::location).containsExactly("MRG-1");
        }
    }

    /** A50 (change of visit number) and A42 (merge of two visits) each need the number before and the one after. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "A50^ADT_A50; a change of visit number; new",
        "A42^ADT_A39; a merge of visits; surviving"})
    void aChangeOrMergeOfVisitNumbersNeedsBothNumbers(String type, String what, String which) {
        String trigger = type.substring(0, 3);
        String message = "MSH|^~\\&|PAS|RHMX1|CAREWEAVE|CW|20240715093512||ADT^" + type + "|C6|P|2.5\r"
                + "EVN|" + trigger + "\rPID|1||M100001^^^RHMX1^MR||FICTIONAL^Alice||19800214|F\r"
                + "MRG|M100001^^^RHMX1^MR||||V1^^^RHMX1\rPV1|1|I|WARD7" + "|".repeat(16) + "V2^^^RHMX1";

        assertThat(validate(message).ackCode()).isEqualTo(AckCode.AA);
        assertThat(validate(message).issues()).isEmpty();
        Verdict noPrior = validate(message.replace("||||V1^^^RHMX1", ""));
        assertThat(noPrior.ackCode()).isEqualTo(AckCode.AE);
        assertThat(noPrior.issues()).extracting(Issue::location, Issue::text)
                .containsExactly(tuple("MRG-5", what + " needs the prior visit number in MRG-5"));
        Verdict noNew = validate(message.replace("|V2^^^RHMX1", "|"));
        assertThat(noNew.ackCode()).isEqualTo(AckCode.AE);
        assertThat(noNew.issues()).extracting(Issue::location, Issue::text)
                .containsExactly(tuple("PV1-19", what + " needs the " + which + " visit number in PV1-19"));
        // "" (HL7's explicit null) states no number either: the mapper reads it so, and the change would be lost.
        Verdict nullPrior = validate(message.replace("||||V1^^^RHMX1", "||||\"\""));
        assertThat(nullPrior.ackCode()).isEqualTo(AckCode.AE);
        assertThat(nullPrior.issues()).extracting(Issue::location).containsExactly("MRG-5");
        Verdict nullNew = validate(message.replace("|V2^^^RHMX1", "|\"\""));
        assertThat(nullNew.ackCode()).isEqualTo(AckCode.AE);
        assertThat(nullNew.issues()).extracting(Issue::location).containsExactly("PV1-19");
    }

    @Test
    void aMergeWithoutPriorIdentifierIsAnApplicationError() {
        String merge = Hl7Fixtures.load("adt_a40_merge.hl7");

        Verdict noMrg1 = validate(merge.replace("MRG|M100041^^^RHMX1^MR", "MRG|"));
        Verdict noMrg = validate(merge.replace("MRG|M100041^^^RHMX1^MR||||V200041\r", ""));

        assertThat(noMrg1.ackCode()).isEqualTo(AckCode.AE);
        assertThat(noMrg1.issues()).extracting(Issue::location).containsExactly("MRG-1");
        assertThat(noMrg.ackCode()).isEqualTo(AckCode.AE);
        assertThat(noMrg.issues()).extracting(Issue::location).containsExactly("MRG-1");
        Verdict unusable = validate(merge.replace("MRG|M100041^^^RHMX1^MR", "MRG|9990000017^^^NHS^NH"));
        assertThat(unusable.ackCode()).isEqualTo(AckCode.AE);
        assertThat(unusable.issues()).extracting(Issue::location).containsExactly("MRG-1");
    }

    @Test
    void rejectsAPayloadNotValidInItsDeclaredCharsetKeepingTheHeader() {
        String text = Hl7Fixtures.load("oru_r01_v282.hl7");

        Verdict verdict = validator.validate(text.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AR);
        assertThat(verdict.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(verdict.msh().controlId()).isEqualTo("RHMX2-LAB-000282");
        assertThat(verdict.issues()).singleElement().satisfies(i -> {
            assertThat(i.code()).isEqualTo("102");
            assertThat(i.location()).isEqualTo("MSH-18");
        });
    }

    @Test
    void rejectsAnUnsupportedCharacterSet() {
        Verdict verdict = validate(ADT.replace("|P|2.5", "|P|2.5||||||ISO IR87"));

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AR);
        assertThat(verdict.issues()).extracting(Issue::location).containsExactly("MSH-18");
    }

    @Test
    void toleratesLeadingBlankLinesLineFeedsAndTrailingSeparators() {
        assertThat(validate("\r\n\r\n" + ADT).ackCode()).isEqualTo(AckCode.AA);
        assertThat(validate(ADT.replace('\r', '\n')).ackCode()).isEqualTo(AckCode.AA);
        assertThat(validate(ADT.replace("\r", "\r\n")).ackCode()).isEqualTo(AckCode.AA);
        assertThat(validate(ADT + "\r\r\n  ").ackCode()).isEqualTo(AckCode.AA);
    }

    @Test
    void leadingBlankLinesDoNotHideTheDeclaredCharset() {
        byte[] payload = ("\r\n" + Hl7Fixtures.load("oru_r01_v282.hl7")).getBytes(StandardCharsets.UTF_8);

        Verdict verdict = validator.validate(payload);

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AA);
        assertThat(verdict.charset()).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void normalisesSegmentSeparatorsToCarriageReturns() {
        assertThat(MessageValidator.normaliseSegmentSeparators("MSH|a\r\nPID|b\nPV1|c\r\r\n ")).isEqualTo(
                "MSH|a\rPID|b\rPV1|c");
        assertThat(MessageValidator.normaliseSegmentSeparators("")).isEmpty();
    }

    @Test
    void neverThrows() {
        Random random = new Random(42);
        byte[][] seeds = {Hl7Fixtures.bytes("oru_r01_hba1c.hl7"), Hl7Fixtures.bytes("adt_a01.hl7"),
            Hl7Fixtures.bytes("oru_r01_v282.hl7")};
        for (int i = 0; i < 2_000; i++) {
            byte[] payload = seeds[i % seeds.length].clone();
            // Corrupt a few bytes, or cut the message short.
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                int at = random.nextInt(payload.length);
                payload[at] = (byte) NOISE.charAt(random.nextInt(NOISE.length()));
            }
            byte[] cut = Arrays.copyOf(payload, random.nextInt(payload.length + 1));
            assertThatCode(() -> validator.validate(payload)).doesNotThrowAnyException();
            assertThatCode(() -> validator.validate(cut)).doesNotThrowAnyException();
            assertThatCode(() -> archiving.validate(cut)).doesNotThrowAnyException();
        }
    }

    @Test
    void issueTextsNeverQuotePatientData() {
        String patient = Hl7Fixtures.load("adt_a01.hl7").replace("19800214", "14021980");

        Verdict verdict = validate(patient);

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AE);
        assertThat(verdict.issues()).allSatisfy(i -> assertThat(i.text())
                .doesNotContain("14021980", "FICTIONAL", "Alice", "9990000018"));
    }

    private static final String NOISE = "|^~\\&\r\n\"0A-+.\u00ff\u0000";

    /**
     * A PID-3 of a megabyte of repetitions before its identifier is validated: counting them for each repetition read
     * was quadratic (hours on the listener's thread). The bound only keeps such a return from hanging the build; no
     * unit test here is timed.
     */
    @Test
    void aFieldOfAMillionRepetitionsIsValidated() {
        String flood = "~".repeat(1_000_000);
        String adt = ADT.replace("M100001^^^RHMX1^MR", flood + "M100001^^^RHMX1^MR");
        String escaped = ADT.replace("M100001^^^RHMX1^MR", flood.substring(800_000) + "M100001^^^RHMX1^MR")
                .replace("FICTIONAL^Alice", "FICTIONAL\\T\\CO^Alice");

        for (String text : List.of(adt, escaped)) {
            Verdict verdict = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> validate(text));
            assertThat(verdict.ackCode()).as(verdict.issues().toString()).isEqualTo(AckCode.AA);
        }
    }

    @Test
    void acceptsAResultWhoseCollectionTimeIsOnItsSpecimenOnly() {
        String v251 = ORU.replace("|P|2.4", "|P|2.5.1").replace("|||20240612083000", "")
                + "\rSPM|1|||BLD^Blood|||||||||||||20240612081500+0100";

        assertThat(validate(v251).ackCode()).as(validate(v251).issues().toString()).isEqualTo(AckCode.AA);
    }

    private Verdict validate(String text) {
        return validator.validate(bytes(text));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
