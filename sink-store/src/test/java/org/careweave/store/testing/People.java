package org.careweave.store.testing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import org.careweave.events.Address;
import org.careweave.events.Coding;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.EncounterView;
import org.careweave.events.HumanName;
import org.careweave.events.Identifier;
import org.careweave.events.PersonView;
import org.careweave.events.RawMessageRef;
import org.careweave.events.RepeatTestAlert;
import org.careweave.events.ResultRef;
import org.careweave.events.ResultSource;
import org.careweave.events.StatedTime;

/**
 * Invented people for tests. NHS numbers are in the 999 range (never issued) and valid by Modulus 11.
 */
public final class People {

    public static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    public static final String LOINC = "http://loinc.org";
    public static final String HBA1C = "4548-4";
    public static final String POTASSIUM = "2823-3";
    public static final List<String> NHS_NUMBERS = List.of("9990000018", "9990000026", "9990000034", "9990000042",
            "9990000050", "9990000069");

    private People() {
    }

    public static Identifier nhsNumber(String value) {
        return Identifier.newBuilder().setSystem(NHS).setValue(value).setType("NH").build();
    }

    public static Identifier local(String authority, String value) {
        return Identifier.newBuilder().setSystem(authority).setValue(value).setType("MR").build();
    }

    /** A person with a name, birth date and address, at the given version. */
    public static PersonView.Builder person(String personId, long version, String nhsNumber, String family,
                                            String given) {
        return PersonView.newBuilder()
                .setPersonId(personId)
                .setVersion(version)
                .setIdentifiers(List.of(nhsNumber(nhsNumber), local("RHMX1", "MRN-" + personId)))
                .setNhsNumber(nhsNumber)
                .setName(HumanName.newBuilder().setFamily(family).setGiven(List.of(given)).build())
                .setBirthDate(LocalDate.of(1970, 1, 1).plusDays(personId.hashCode() & 0xfff))
                .setSex("F")
                .setAddress(Address.newBuilder().setLines(List.of("1 Example Street")).setCity("Leeds")
                        .setPostcode("LS1 1AA").build())
                .setUpdatedAt(Instant.parse("2024-03-01T12:00:00Z").plusSeconds(version));
    }

    public static EncounterView encounter(String visit, String patientClass, Instant admitted, Instant discharged) {
        return EncounterView.newBuilder()
                .setVisit(Identifier.newBuilder().setSystem("RHMX1").setValue(visit).build())
                .setPatientClass(patientClass)
                .setAdmittedAt(admitted)
                .setDischargedAt(discharged)
                .setLocation("Ward 7")
                .setStatus(discharged == null ? "in-progress" : "finished")
                .setSendingFacility("RHMX1")
                .build();
    }

    public static StatedTime stated(OffsetDateTime time) {
        return StatedTime.newBuilder().setInstant(time.toInstant()).setOffsetSeconds(time.getOffset().getTotalSeconds())
                .build();
    }

    public static DeduplicatedResult.Builder result(String resultId, String personId, String loinc, String display,
                                                    String value, String units, OffsetDateTime collected) {
        Double numeric;
        try {
            numeric = Double.valueOf(value);
        } catch (NumberFormatException e) {
            numeric = null;
        }
        return DeduplicatedResult.newBuilder()
                .setResultId(resultId)
                .setPersonId(personId)
                .setCode(Coding.newBuilder().setSystem(LOINC).setCode(loinc).setDisplay(display).build())
                .setSourceCode(Coding.newBuilder().setSystem("RHMX1-LAB").setCode("L-" + loinc).build())
                .setValueType(numeric == null ? "ST" : "NM")
                .setValue(value)
                .setNumericValue(numeric)
                .setUnits(units)
                .setReferenceRange("20-42")
                .setStatus("F")
                .setCollectedAt(collected == null ? null : stated(collected))
                // Received an hour after collection, as a laboratory reports: the check of recent tests does not believe
                // a collection time after the result's arrival.
                .setSources(List.of(source("RHMX1", "CTRL-" + resultId, received(collected)),
                        source("RR801", "GP-" + resultId, received(collected))))
                .setUpdatedAt(Instant.parse("2024-03-02T08:00:00Z"));
    }

    private static Instant received(OffsetDateTime collected) {
        return collected == null ? Instant.parse("2024-03-01T10:00:00Z") : collected.toInstant().plusSeconds(3_600);
    }

    public static ResultSource source(String facility, String controlId) {
        return source(facility, controlId, Instant.parse("2024-03-01T10:00:00Z"));
    }

    public static ResultSource source(String facility, String controlId, Instant receivedAt) {
        return ResultSource.newBuilder()
                .setSendingFacility(facility)
                .setControlId(controlId)
                .setFillerOrderNumber("F-" + controlId)
                .setReceivedAt(receivedAt)
                .setRaw(RawMessageRef.newBuilder().setMessageId("sha-" + controlId).setTopic("careweave.hl7.raw")
                        .setPartition(0).setOffset(42L).build())
                .build();
    }

    public static RepeatTestAlert alert(String personId, DeduplicatedResult previous, DeduplicatedResult current) {
        return RepeatTestAlert.newBuilder()
                .setAlertId("alert-" + current.getResultId())
                .setPersonId(personId)
                .setCode(current.getCode())
                .setRuleId("hba1c-90d")
                .setMinimumIntervalDays(90)
                .setRuleSource("Invented test rule")
                .setPrevious(ref(previous))
                .setCurrent(ref(current))
                .setRaisedAt(Instant.parse("2024-03-02T09:00:00Z"))
                .build();
    }

    private static ResultRef ref(DeduplicatedResult r) {
        return ResultRef.newBuilder().setResultId(r.getResultId()).setSendingFacility("RHMX1")
                .setCollectedAt(r.getCollectedAt()).setValue(r.getValue()).setUnits(r.getUnits()).build();
    }
}
