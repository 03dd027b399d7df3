package org.careweave.schemas.serde;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.careweave.events.HumanName;
import org.careweave.events.Identifier;
import org.careweave.events.PatientEvent;
import org.careweave.events.PatientEventKind;
import org.careweave.events.Provenance;
import org.careweave.events.RawMessageRef;

/** Invented patients only: NHS numbers in the 999 range, which the NHS never issues. */
final class TestEvents {

    private TestEvents() {}

    static PatientEvent patientEvent(String nhsNumber, String controlId) {
        return PatientEvent.newBuilder()
                .setProvenance(Provenance.newBuilder()
                        .setSendingFacility("RHMX1")
                        .setSendingApplication("TESTPAS")
                        .setMessageType("ADT^A08")
                        .setControlId(controlId)
                        .setReceivedAt(Instant.ofEpochMilli(1_790_000_000_000L))
                        .setRaw(RawMessageRef.newBuilder().setMessageId("sha256-" + controlId).build())
                        .build())
                .setKind(PatientEventKind.UPDATE)
                .setTrigger("A08")
                .setIdentifiers(List.of(
                        Identifier.newBuilder().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue(nhsNumber)
                                .setType("NH").build(),
                        Identifier.newBuilder().setSystem("RHMX1").setValue("MRN" + controlId).setType("MR").build()))
                .setNhsNumber(nhsNumber)
                .setName(HumanName.newBuilder().setFamily("Testpatient").setGiven(List.of("Invented")).build())
                .setBirthDate(LocalDate.of(1970, 1, 2))
                .setSex("U")
                .build();
    }
}
