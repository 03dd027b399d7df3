package org.careweave.processors.identity;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.careweave.events.Address;
import org.careweave.events.HumanName;
import org.careweave.events.Identifier;
import org.careweave.events.Merge;
import org.careweave.events.Organisation;
import org.careweave.events.PatientEvent;
import org.careweave.events.PatientEventKind;
import org.careweave.events.Provenance;
import org.careweave.events.RawMessageRef;

/** Builds patient events about invented people (NHS numbers in the 999 range, which are never issued). */
final class Patients {

    static final String NHS = MasterPatientIndex.NHS_SYSTEM;
    private static final AtomicInteger CONTROL = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

    private final String facility;
    private final List<Identifier> identifiers = new ArrayList<>();
    private String given;
    private List<String> middle = List.of();
    private String family;
    private LocalDate birthDate;
    private String sex;
    private String addressLine;
    private String postcode;
    private List<Identifier> prior = List.of();
    private PatientEventKind kind = PatientEventKind.REGISTER;
    private String messageType = "ADT^A04";
    private Organisation practice;
    private List<Identifier> linked = List.of();
    private List<String> cleared = List.of();
    private Boolean multipleBirth;
    private Integer birthOrder;
    private String phone;
    private Boolean restricted;
    private Instant deceasedAt;
    private String nhsNumberStatus;
    private Boolean deceased;
    private Instant recordedAt;
    private String trigger;

    private Patients(String facility) {
        this.facility = facility;
    }

    static Patients at(String facility) {
        return new Patients(facility);
    }

    Patients nhs(String number) {
        identifiers.add(Identifier.newBuilder().setSystem(NHS).setValue(number).setType("NH").build());
        return this;
    }

    Patients invalidNhs(String number) {
        identifiers.add(Identifier.newBuilder().setSystem(NHS).setValue(number).setType("NH").setValid(false)
                .setInvalidReason("check digit does not match (Modulus 11)").build());
        return this;
    }

    Patients mrn(String value) {
        identifiers.add(Identifier.newBuilder().setSystem(facility).setValue(value).setType("MR").build());
        return this;
    }

    /** An identifier issued by someone else than the facility (e.g. a regional or national scheme). */
    Patients identifier(String system, String value) {
        identifiers.add(Identifier.newBuilder().setSystem(system).setValue(value).setType("PI").build());
        return this;
    }

    /** The given names after the first. */
    Patients middle(String... names) {
        this.middle = List.of(names);
        return this;
    }

    Patients name(String givenName, String familyName) {
        this.given = givenName;
        this.family = familyName;
        return this;
    }

    Patients born(String isoDate) {
        this.birthDate = LocalDate.parse(isoDate);
        return this;
    }

    Patients sex(String value) {
        this.sex = value;
        return this;
    }

    Patients lives(String line, String code) {
        this.addressLine = line;
        this.postcode = code;
        return this;
    }

    /** The GP practice the patient is registered with (PD1-3). */
    Patients practice(String code, String name) {
        this.practice = Organisation.newBuilder().setCode(code).setName(name).build();
        return this;
    }

    Patients phone(String number) {
        this.phone = number;
        return this;
    }

    /** PD1-12, the protection indicator: true for Y (the PDS sensitive flag), false for N, null when not sent. */
    Patients restricted(Boolean value) {
        this.restricted = value;
        return this;
    }

    /** PID-32, the NHS number status indicator as sent (01 verified, 05 trace needs to be resolved, ...). */
    Patients nhsStatus(String status) {
        this.nhsNumberStatus = status;
        return this;
    }

    /** PID-29 and PID-30: died at this ISO instant (Y). */
    Patients died(String instant) {
        this.deceasedAt = Instant.parse(instant);
        this.deceased = true;
        return this;
    }

    /** PID-30 Y without PID-29: the source knows of the death, not its date. */
    Patients diedDateUnknown() {
        this.deceased = true;
        return this;
    }

    /** PID-30 N without PID-29: the source takes back a death it recorded. */
    Patients statedAlive() {
        this.cleared = List.of("deceasedAt", "deceased");
        return this;
    }

    /** When the sender's system recorded the event (EVN-2 or MSH-7), as an ISO instant. */
    Patients recordedAt(String instant) {
        this.recordedAt = Instant.parse(instant);
        return this;
    }

    /** The patient as a result message's PID gave them (an ORU^R01 from a laboratory). */
    Patients withAResult() {
        this.kind = PatientEventKind.UPDATE;
        this.messageType = "ORU^R01";
        return this;
    }

    /** An A47 (change patient identifier list): the record's identifier in MRG-1 was wrong; PID-3 has the right one. */
    Patients identifierChangedFrom(String system, String value) {
        this.kind = PatientEventKind.MERGE;
        this.trigger = "A47";
        this.prior = List.of(Identifier.newBuilder().setSystem(system).setValue(value)
                .setType(system.equals(NHS) ? "NH" : "MR").build());
        return this;
    }

    Patients mergedFrom(String priorMrn) {
        this.kind = PatientEventKind.MERGE;
        this.prior = List.of(Identifier.newBuilder().setSystem(facility).setValue(priorMrn).setType("MR").build());
        return this;
    }

    /** PID-24 and PID-25: one of a multiple birth, in this place of the birth order (null: not stated). */
    Patients ofAMultipleBirth(Integer order) {
        this.multipleBirth = true;
        this.birthOrder = order;
        return this;
    }

    /** An A29 from this facility: its registration of this record withdrawn, every field cleared. */
    Patients withdrawn() {
        this.kind = PatientEventKind.CANCEL;
        this.messageType = "ADT^A29";
        this.cleared = List.of("name", "birthDate", "sex", "address", "phone", "deceasedAt", "deceased",
                "generalPractice", "restricted");
        return this;
    }

    /** An A24 from this facility: this record and the other one (identifiers as system|value) are one patient. */
    Patients linkedWith(String... otherRecord) {
        return linkEvent(PatientEventKind.LINK, "ADT^A24", otherRecord);
    }

    /** An A37 from this facility: this record and the other one are not one patient after all. */
    Patients unlinkedFrom(String... otherRecord) {
        return linkEvent(PatientEventKind.UNLINK, "ADT^A37", otherRecord);
    }

    private Patients linkEvent(PatientEventKind linkKind, String type, String... otherRecord) {
        this.kind = linkKind;
        this.messageType = type;
        this.linked = java.util.Arrays.stream(otherRecord).map(id -> {
            String[] parts = id.split("\\|", 2);
            return Identifier.newBuilder().setSystem(parts[0]).setValue(parts[1])
                    .setType(parts[0].equals(NHS) ? "NH" : "MR").build();
        }).toList();
        return this;
    }

    PatientEvent event() {
        int n = CONTROL.incrementAndGet();
        String controlId = "CTL" + n;
        return PatientEvent.newBuilder()
                .setProvenance(Provenance.newBuilder().setSendingFacility(facility).setMessageType(messageType)
                        .setControlId(controlId).setReceivedAt(T0.plusSeconds(n))
                        .setRaw(RawMessageRef.newBuilder().setMessageId("m" + n).build()).build())
                .setKind(kind)
                .setTrigger(trigger != null ? trigger
                        : kind == PatientEventKind.MERGE ? "A40" : messageType.substring(4))
                .setIdentifiers(identifiers)
                .setNhsNumber(identifiers.stream().filter(i -> i.getValid() && i.getSystem().equals(NHS))
                        .map(Identifier::getValue).findFirst().orElse(null))
                .setName(given == null && family == null ? null
                        : HumanName.newBuilder().setFamily(family).setGiven(given == null ? List.of()
                                : java.util.stream.Stream.concat(java.util.stream.Stream.of(given), middle.stream())
                                .toList())
                        .build())
                .setBirthDate(birthDate)
                .setSex(sex)
                .setAddress(addressLine == null && postcode == null ? null : Address.newBuilder()
                        .setLines(addressLine == null ? List.of() : List.of(addressLine)).setPostcode(postcode)
                        .build())
                .setMerge(prior.isEmpty() ? null : Merge.newBuilder().setPriorIdentifiers(prior).build())
                .setGeneralPractice(practice)
                .setLinkedIdentifiers(linked)
                .setClearedFields(cleared)
                .setMultipleBirth(multipleBirth)
                .setBirthOrder(birthOrder)
                .setPhone(phone)
                .setRestricted(restricted)
                .setDeceasedAt(deceasedAt)
                .setNhsNumberStatus(nhsNumberStatus)
                .setDeceased(deceased)
                .setRecordedAt(recordedAt)
                .build();
    }
}
