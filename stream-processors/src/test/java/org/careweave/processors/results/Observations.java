package org.careweave.processors.results;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.careweave.events.Coding;
import org.careweave.events.Identifier;
import org.careweave.events.ObservationEvent;
import org.careweave.events.Provenance;
import org.careweave.events.RawMessageRef;
import org.careweave.events.StatedTime;

/**
 * Builds observation events about invented patients (NHS numbers in the 999 range, which are never issued). Each
 * built event is a new message (new control id and raw message id) unless {@link #controlId} says otherwise.
 */
final class Observations {

    static final String LOINC = LocalCodes.LOINC;
    static final String NHS = ResultKeys.NHS_SYSTEM;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String facility;
    private final List<Identifier> identifiers = new ArrayList<>();
    private String controlId;
    private Instant receivedAt = Instant.parse("2026-03-01T12:00:00Z");
    private String filler;
    private String placer;
    private String subId;
    private int setId = 1;
    private Coding code = loinc("4548-4");
    private String valueType = "NM";
    private String value;
    private Double numericValue;
    private String units;
    private String status = "F";
    private StatedTime collectedAt;
    private StatedTime reportedAt;
    private Coding orderCode;
    private List<String> notes = List.of();

    private Observations(String facility) {
        this.facility = facility;
    }

    static Observations at(String facility) {
        return new Observations(facility);
    }

    static Coding loinc(String code) {
        return Coding.newBuilder().setSystem(LOINC).setCode(code).build();
    }

    static Coding local(String system, String code) {
        return Coding.newBuilder().setSystem(system).setCode(code).build();
    }

    /** A UTC instant as the sender stated it with an offset of zero. */
    static StatedTime utc(String instant) {
        return StatedTime.newBuilder().setInstant(Instant.parse(instant)).setOffsetSeconds(0).build();
    }

    /** A local clock time without offset, read in Europe/London as the mapping does, so marked as assumed. */
    static StatedTime londonClock(String localDateTime) {
        var zoned = LocalDateTime.parse(localDateTime).atZone(ZoneId.of("Europe/London"));
        return StatedTime.newBuilder().setInstant(zoned.toInstant())
                .setOffsetSeconds(zoned.getOffset().getTotalSeconds()).setOffsetAssumed(true).build();
    }

    Observations patient(String localNumber) {
        identifiers.add(Identifier.newBuilder().setSystem(facility).setValue(localNumber).setType("MR").build());
        return this;
    }

    Observations nhs(String number) {
        identifiers.add(Identifier.newBuilder().setSystem(NHS).setValue(number).setType("NH").build());
        return this;
    }

    Observations controlId(String id) {
        this.controlId = id;
        return this;
    }

    Observations received(String instant) {
        this.receivedAt = Instant.parse(instant);
        return this;
    }

    Observations filler(String orderNumber) {
        this.filler = orderNumber;
        return this;
    }

    Observations placer(String orderNumber) {
        this.placer = orderNumber;
        return this;
    }

    Observations subId(String id) {
        this.subId = id;
        return this;
    }

    Observations setId(int id) {
        this.setId = id;
        return this;
    }

    Observations order(Coding c) {
        this.orderCode = c;
        return this;
    }

    Observations notes(String... lines) {
        this.notes = List.of(lines);
        return this;
    }

    Observations code(Coding c) {
        this.code = c;
        return this;
    }

    Observations numeric(String text, String unitsAsSent) {
        this.valueType = "NM";
        this.value = text;
        this.numericValue = Double.valueOf(text);
        this.units = unitsAsSent;
        return this;
    }

    Observations text(String valueTypeAsSent, String text) {
        this.valueType = valueTypeAsSent;
        this.value = text;
        this.numericValue = null;
        return this;
    }

    Observations noValue() {
        this.value = null;
        this.numericValue = null;
        return this;
    }

    Observations units(String unitsAsSent) {
        this.units = unitsAsSent;
        return this;
    }

    Observations status(String obx11) {
        this.status = obx11;
        return this;
    }

    Observations collected(StatedTime t) {
        this.collectedAt = t;
        return this;
    }

    Observations collected(String utcInstant) {
        return collected(utc(utcInstant));
    }

    Observations reported(String utcInstant) {
        this.reportedAt = utc(utcInstant);
        return this;
    }

    ObservationEvent event() {
        int n = SEQUENCE.incrementAndGet();
        String control = controlId != null ? controlId : facility + "-" + n;
        return ObservationEvent.newBuilder()
                .setProvenance(Provenance.newBuilder()
                        .setSendingFacility(facility)
                        .setMessageType("ORU^R01")
                        .setControlId(control)
                        .setReceivedAt(receivedAt)
                        .setRaw(RawMessageRef.newBuilder().setMessageId("raw-" + facility + "-" + control)
                                .setTopic("hl7.raw").setPartition(0).setOffset((long) n).build())
                        .build())
                .setPatientIdentifiers(new ArrayList<>(identifiers))
                .setPlacerOrderNumber(placer)
                .setFillerOrderNumber(filler)
                .setSubId(subId)
                .setSetId(setId)
                .setCode(code)
                .setValueType(valueType)
                .setValue(value)
                .setNumericValue(numericValue)
                .setUnits(units)
                .setStatus(status)
                .setCollectedAt(collectedAt)
                .setReportedAt(reportedAt)
                .setOrderCode(orderCode)
                .setNotes(new ArrayList<>(notes))
                .build();
    }
}
