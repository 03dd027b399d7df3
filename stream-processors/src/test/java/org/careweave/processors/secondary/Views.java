package org.careweave.processors.secondary;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.careweave.events.Address;
import org.careweave.events.Coding;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.EncounterView;
import org.careweave.events.HumanName;
import org.careweave.events.Identifier;
import org.careweave.events.PersonView;
import org.careweave.events.RawMessageRef;
import org.careweave.events.ResultSource;
import org.careweave.events.StatedTime;

/** Invented people's views with every kind of direct identifier filled in. */
final class Views {

    static final String NHS = SecondaryCandidates.NHS_SYSTEM;
    static final PseudonymKey KEY = PseudonymKey.of("test-key-0123456789-abcdefghijklmnop");
    static final Pseudonymiser PSEUDONYMISER = new Pseudonymiser(KEY, BirthPrecision.YEAR);

    private Views() {
    }

    static PersonView view(String personId, String nhsNumber, DeduplicatedResult... results) {
        return PersonView.newBuilder()
                .setPersonId(personId)
                .setVersion(3)
                .setIdentifiers(List.of(
                        id(NHS, nhsNumber, "NH"),
                        id("RHMX1", "RH" + personId.hashCode(), "MR")))
                .setNhsNumber(nhsNumber)
                .setName(HumanName.newBuilder().setFamily("Quixwell").setGiven(List.of("Zephyrine"))
                        .setPrefix("Ms").build())
                .setBirthDate(LocalDate.of(1984, 7, 23))
                .setSex("F")
                .setAddress(Address.newBuilder().setLines(List.of("17 Juniper Wynd")).setCity("Leeds")
                        .setDistrict("West Yorkshire").setPostcode("LS1 4AB").setCountry("GBR").build())
                .setPhone("01130000777")
                .setEncounters(List.of(EncounterView.newBuilder()
                        .setVisit(id("RHMX1", "V7781", null)).setPatientClass("I").setLocation("WARD7^BED3")
                        .setSendingFacility("RHMX1").build()))
                .setResults(List.of(results))
                .setUpdatedAt(Instant.parse("2026-06-01T10:15:00Z"))
                .build();
    }

    static DeduplicatedResult result(String resultId, String personId, String valueType, String value,
                                     Double numericValue) {
        return DeduplicatedResult.newBuilder()
                .setResultId(resultId)
                .setPersonId(personId)
                .setCode(Coding.newBuilder().setSystem("http://loinc.org").setCode("4548-4").setDisplay("HbA1c")
                        .build())
                .setSourceCode(Coding.newBuilder().setSystem("RHMX1").setCode("HBA1C").build())
                .setValueType(valueType)
                .setValue(value)
                .setNumericValue(numericValue)
                .setUnits("mmol/mol")
                .setReferenceRange("20-41")
                .setAbnormalFlags(List.of("H"))
                .setStatus("F")
                // 23:30 on 31 May in London is already 1 June in UTC: the date kept is the lab's.
                .setCollectedAt(StatedTime.newBuilder().setInstant(Instant.parse("2026-05-31T22:30:00Z"))
                        .setOffsetSeconds(3600).build())
                .setSources(List.of(
                        source("B86001", "GP-CTRL-2", Instant.parse("2026-06-02T08:00:00Z")),
                        source("RHMX1", "LAB-CTRL-1", Instant.parse("2026-06-01T09:00:00Z"))))
                .setUpdatedAt(Instant.parse("2026-06-02T08:00:01Z"))
                .build();
    }

    static ResultSource source(String facility, String controlId, Instant receivedAt) {
        return ResultSource.newBuilder()
                .setSendingFacility(facility)
                .setControlId(controlId)
                .setFillerOrderNumber("FIL-" + controlId)
                .setPlacerOrderNumber("PL-" + controlId)
                .setReceivedAt(receivedAt)
                .setRaw(RawMessageRef.newBuilder().setMessageId("msg-" + controlId).build())
                .build();
    }

    static Identifier id(String system, String value, String type) {
        return Identifier.newBuilder().setSystem(system).setValue(value).setType(type).build();
    }
}
