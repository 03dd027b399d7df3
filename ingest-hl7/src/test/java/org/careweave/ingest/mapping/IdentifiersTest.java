package org.careweave.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.careweave.events.Identifier;
import org.careweave.ingest.hl7.Hl7Fields;
import org.careweave.ingest.hl7.Hl7Parser;
import org.junit.jupiter.api.Test;

import ca.uhn.hl7v2.HL7Exception;

class IdentifiersTest {

    @Test
    void theSystemIsTheAssigningAuthority() {
        Identifier id = Identifiers.identifier("M100001", "RHMX1", "", "MR", "OTHERFAC");

        assertThat(id.getSystem()).isEqualTo("RHMX1");
        assertThat(id.getValue()).isEqualTo("M100001");
        assertThat(id.getType()).isEqualTo("MR");
        assertThat(id.getValid()).isTrue();
        assertThat(id.getInvalidReason()).isNull();
        assertThat(Identifiers.key(id)).isEqualTo("RHMX1|M100001");
    }

    @Test
    void withoutNamespaceTheUniversalIdIsTheSystem() {
        assertThat(Identifiers.identifier("M1", "", "2.16.840.1.113883.2.1.3.2.4.18.24", "MR", "RHMX1").getSystem())
                .isEqualTo("2.16.840.1.113883.2.1.3.2.4.18.24");
    }

    @Test
    void withoutAssigningAuthorityTheSendingFacilityIsTheSystem() {
        Identifier id = Identifiers.identifier("M100001", "", "", "", "RHMX1");

        assertThat(id.getSystem()).isEqualTo("RHMX1");
        assertThat(id.getType()).isNull();
    }

    @Test
    void theSameLocalNumberAtTwoFacilitiesIsTwoIdentifiers() {
        assertThat(Identifiers.key(Identifiers.identifier("12345", "", "", "MR", "RHMX1")))
                .isNotEqualTo(Identifiers.key(Identifiers.identifier("12345", "", "", "MR", "RHMX2")));
    }

    @Test
    void recognisesNhsNumbersByTypeAuthorityOrOid() {
        for (Identifier id : List.of(
                Identifiers.identifier("9990000018", "RHMX1", "", "NH", "RHMX1"),
                Identifiers.identifier("9990000018", "NHS", "", "", "RHMX1"),
                Identifiers.identifier("9990000018", "nhs", "", "PI", "RHMX1"),
                Identifiers.identifier("9990000018", "", NhsNumbers.OID, "", "RHMX1"),
                Identifiers.identifier("9990000018", NhsNumbers.OID, "", "", "RHMX1"),
                Identifiers.identifier("999 000 0018", "NHS", "", "nh", "RHMX1"))) {
            assertThat(id.getSystem()).isEqualTo(NhsNumbers.SYSTEM);
            assertThat(id.getValue()).isEqualTo("9990000018");
            assertThat(id.getValid()).isTrue();
        }
    }

    @Test
    void aNumberThatMerelyLooksLikeAnNhsNumberIsLocal() {
        Identifier id = Identifiers.identifier("9990000018", "RHMX1", "", "MR", "RHMX1");

        assertThat(id.getSystem()).isEqualTo("RHMX1");
        assertThat(id.getValid()).isTrue();
    }

    @Test
    void anInvalidNhsNumberIsKeptAndFlagged() {
        Identifier id = Identifiers.identifier("9990000019", "NHS", "", "NH", "RHMX1");

        assertThat(id.getSystem()).isEqualTo(NhsNumbers.SYSTEM);
        assertThat(id.getValue()).isEqualTo("9990000019");
        assertThat(id.getValid()).isFalse();
        assertThat(id.getInvalidReason()).isEqualTo("check digit does not match (Modulus 11)");
    }

    @Test
    void readsEveryRepetitionOfACxField() throws HL7Exception {
        Hl7Fields pid = pid("PID|1||M100001^^^RHMX1^MR~~\"\"~9990000018^^^NHS^NH~ L2 ^^^^PI~G1^^^&"
                + NhsNumbers.OID + "&ISO");

        List<Identifier> ids = Identifiers.fromCx(pid, 3, "RHMX1");

        assertThat(ids).extracting(Identifiers::key).containsExactly(
                "RHMX1|M100001", NhsNumbers.SYSTEM + "|9990000018", "RHMX1|L2", NhsNumbers.SYSTEM + "|G1");
        assertThat(ids).extracting(Identifier::getType).containsExactly("MR", "NH", "PI", null);
        assertThat(ids.get(3).getValid()).isFalse();
    }

    @Test
    void aPatientsNhsNumberIsAlsoTakenFromPid2AndPid4WhenLabelledSo() throws HL7Exception {
        Hl7Fields v23 = pid("PID|1|9990000018^^^NHS^NH|M100001^^^RHMX1^MR|L77^^^RXX99^PI~9990000026^^^NHS^NH");

        assertThat(Identifiers.ofPatient(v23, "RHMX1")).extracting(Identifiers::key).containsExactly(
                "RHMX1|M100001", NhsNumbers.SYSTEM + "|9990000018", NhsNumbers.SYSTEM + "|9990000026");
        assertThat(Identifiers.patientKey(Identifiers.ofPatient(v23, "RHMX1"))).as("PID-3 still keys the patient")
                .isEqualTo("RHMX1|M100001");

        Hl7Fields both = pid("PID|1|999 000 0018^^^NHS~5551234567|9990000018^^^NHS^NH~M1^^^RHMX1^MR");
        assertThat(Identifiers.ofPatient(both, "RHMX1")).as("the same number once; an unlabelled one never")
                .extracting(Identifiers::key).containsExactly(NhsNumbers.SYSTEM + "|9990000018", "RHMX1|M1");

        Hl7Fields invalid = pid("PID|1|9990000019^^^NHS^NH|M1^^^RHMX1^MR");
        List<Identifier> ids = Identifiers.ofPatient(invalid, "RHMX1");
        assertThat(ids).hasSize(2);
        assertThat(ids.get(1).getValid()).as("checked like PID-3's").isFalse();
    }

    @Test
    void anEmptyFieldHasNoIdentifiers() throws HL7Exception {
        assertThat(Identifiers.fromCx(pid("PID|1||"), 3, "RHMX1")).isEmpty();
        assertThat(Identifiers.fromCx(pid("PID|1"), 3, "RHMX1")).isEmpty();
    }

    @Test
    void aPlaceholderLocalNumberIsKeptFlaggedAndNeverKeysThePatient() {
        for (String placeholder : List.of("UNKNOWN", "unk", "N/A", "TBC", "0", "000000", "?", "--")) {
            Identifier id = Identifiers.identifier(placeholder, "RHMX1", "", "MR", "RHMX1");
            assertThat(id.getValid()).as(placeholder).isFalse();
            assertThat(id.getInvalidReason()).isEqualTo("a placeholder, not a patient identifier");
        }
        for (String number : List.of("M1", "0001234", "K0")) {
            assertThat(Identifiers.identifier(number, "RHMX1", "", "MR", "RHMX1").getValid()).as(number).isTrue();
        }
        Identifier placeholder = Identifiers.identifier("UNKNOWN", "RHMX1", "", "MR", "RHMX1");
        Identifier nhs = Identifiers.identifier("9990000018", "NHS", "", "NH", "RHMX1");
        assertThat(Identifiers.patientKey(List.of(placeholder, nhs))).isEqualTo(NhsNumbers.SYSTEM + "|9990000018");
    }

    @Test
    void thePatientKeyIsTheFirstValidLocalIdentifierElseTheNhsNumber() {
        Identifier invalidNhs = Identifiers.identifier("9990000019", "NHS", "", "NH", "RHMX1");
        Identifier mrn = Identifiers.identifier("M1", "RHMX1", "", "MR", "RHMX1");
        Identifier nhs = Identifiers.identifier("9990000018", "NHS", "", "NH", "RHMX1");

        assertThat(Identifiers.patientKey(List.of(invalidNhs, mrn, nhs))).isEqualTo("RHMX1|M1");
        assertThat(Identifiers.patientKey(List.of(nhs, mrn))).as("the record, as identity keys it")
                .isEqualTo("RHMX1|M1");
        assertThat(Identifiers.patientKey(List.of(nhs))).isEqualTo(NhsNumbers.SYSTEM + "|9990000018");
        // With nothing valid, the first identifier still keys the record, so it is not lost.
        assertThat(Identifiers.patientKey(List.of(invalidNhs))).isEqualTo(NhsNumbers.SYSTEM + "|9990000019");
        assertThatThrownBy(() -> Identifiers.patientKey(List.of())).isInstanceOf(MappingException.class)
                .hasMessageContaining("PID-3");
    }

    @Test
    void anyUsableAgreesWithTheIdentifiersMappingMakes() throws HL7Exception {
        for (String pid3 : List.of("M1^^^RHMX1^MR", "9990000018^^^NHS^NH", "9990000017^^^NHS^NH",
                "9990000017^^^NHS^NH~M1^^^RHMX1^MR", "12345^^^NHS", "\"\"~9990000017^^^^NH", "~",
                "999 000 0018^^^NHS^NH", "G1^^^&2.16.840.1.113883.2.1.4.1", "UNKNOWN^^^RHMX1^MR", "0000^^^RHMX1",
                "?^^^RHMX1~M1^^^RHMX1^MR", "TBC^^^RHMX1~9990000018^^^NHS^NH")) {
            Hl7Fields pid = pid("PID|1||" + pid3 + "||TEST^A");
            boolean mapped = Identifiers.fromCx(pid, 3, "RHMX1").stream().anyMatch(Identifier::getValid);
            assertThat(Identifiers.anyUsable(pid, 3)).as(pid3).isEqualTo(mapped);
        }
        assertThat(Identifiers.anyUsable(pid("PID|1||9990000017^^^NHS^NH||TEST^A"), 3)).isFalse();
        assertThat(Identifiers.anyUsable(pid("PID|1||9990000017^^^NHS^NH~M1^^^RHMX1^MR||TEST^A"), 3)).isTrue();
    }

    private static Hl7Fields pid(String pid) throws HL7Exception {
        return Hl7Parser.parse("MSH|^~\\&|PAS|RHMX1|||20240101||ADT^A08|C1|P|2.4\r" + pid, "2.4")
                .asSegments().first("PID").orElseThrow();
    }
}
