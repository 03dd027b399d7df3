package org.careweave.processors.results;

import java.time.Instant;
import java.util.List;

import org.careweave.events.Coding;
import org.careweave.events.ObservationEvent;
import org.careweave.events.RawMessageRef;
import org.careweave.events.StatedTime;

/**
 * One version of one result as one source sent it (one OBX of one message), already mapped (LOINC, UCUM units) and
 * keyed. The unit of the results state: plain values only, so that a state store can keep it as JSON and the same
 * version can be re-applied to another person when identity moves a source record.
 *
 * @param versionKey        which result this is a version of (see {@link ResultKeys#versionKey})
 * @param messageKey        which message sent it: a verbatim resend has the same message key
 * @param contentFingerprint what it says, without the person (see {@link ResultKeys#contentKey}); null when it cannot
 *                          be compared by content (no value, no collection time, or a retraction)
 * @param sourceIdentifier  the patient's record at the source (first valid local identifier, as identity keys it)
 * @param patientIdentifiers every valid patient identifier of the message, system|value
 * @param units             normalised (UCUM spelling)
 * @param reportedAt        when it was reported, for status precedence
 * @param orderCode         the order (OBR-4) it was reported under
 * @param notes             the laboratory's notes on it (NTE after its OBX and its OBR)
 */
public record ResultVersion(
        String versionKey,
        String messageKey,
        String contentFingerprint,
        String sourceIdentifier,
        List<String> patientIdentifiers,
        String sendingFacility,
        String controlId,
        String fillerOrderNumber,
        String placerOrderNumber,
        Instant receivedAt,
        Raw raw,
        int setId,
        String subId,
        Code code,
        Code sourceCode,
        String valueType,
        String value,
        Double numericValue,
        String units,
        String referenceRange,
        List<String> abnormalFlags,
        String status,
        Stated collectedAt,
        Instant reportedAt,
        Code orderCode,
        List<String> notes) {

    public ResultVersion {
        patientIdentifiers = patientIdentifiers == null ? List.of() : List.copyOf(patientIdentifiers);
        abnormalFlags = abnormalFlags == null ? List.of() : List.copyOf(abnormalFlags);
        // state written before the notes were kept has none
        notes = notes == null ? List.of() : List.copyOf(notes);
        status = ResultStatus.normalise(status);
    }

    /** A coding without Avro's baggage. */
    public record Code(String system, String code, String display) {

        static Code of(Coding c) {
            return c == null ? null : new Code(c.getSystem(), c.getCode(), c.getDisplay());
        }

        Coding toAvro() {
            return Coding.newBuilder().setSystem(system).setCode(code).setDisplay(display).build();
        }
    }

    /** A stated time: the instant decides, the offset is kept so local clock time can be shown. */
    public record Stated(Instant instant, int offsetSeconds, boolean offsetAssumed) {

        static Stated of(StatedTime t) {
            return t == null ? null : new Stated(t.getInstant(), t.getOffsetSeconds(), t.getOffsetAssumed());
        }

        StatedTime toAvro() {
            return StatedTime.newBuilder().setInstant(instant).setOffsetSeconds(offsetSeconds)
                    .setOffsetAssumed(offsetAssumed).build();
        }
    }

    /** Where the raw message is. */
    public record Raw(String messageId, String topic, Integer partition, Long offset) {

        static Raw of(RawMessageRef r) {
            return new Raw(r.getMessageId(), r.getTopic(), r.getPartition(), r.getOffset());
        }

        RawMessageRef toAvro() {
            return RawMessageRef.newBuilder().setMessageId(messageId).setTopic(topic).setPartition(partition)
                    .setOffset(offset).build();
        }
    }

    /** Maps and keys one observation. */
    public static ResultVersion of(ObservationEvent event, LocalCodes codes) {
        LocalCodes.Mapped mapped = codes.map(event.getCode(), event.getProvenance().getSendingFacility());
        return new ResultVersion(
                ResultKeys.versionKey(event),
                ResultKeys.messageKey(event),
                ResultKeys.contentFingerprint(event, mapped.code()).orElse(null),
                ResultKeys.sourceIdentifier(event),
                ResultKeys.patientIdentifiers(event),
                event.getProvenance().getSendingFacility(),
                event.getProvenance().getControlId(),
                event.getFillerOrderNumber(),
                event.getPlacerOrderNumber(),
                event.getProvenance().getReceivedAt(),
                Raw.of(event.getProvenance().getRaw()),
                event.getSetId(),
                event.getSubId(),
                Code.of(mapped.code()),
                Code.of(mapped.sourceCode()),
                event.getValueType(),
                event.getValue(),
                event.getNumericValue(),
                Units.normalise(event.getUnits()),
                event.getReferenceRange(),
                event.getAbnormalFlags(),
                event.getStatus(),
                Stated.of(event.getCollectedAt()),
                ResultVersions.reportedOrObserved(event),
                Code.of(event.getOrderCode()),
                event.getNotes());
    }

    boolean retraction() {
        return ResultStatus.isRetraction(status);
    }

    boolean hasValue() {
        return value != null || numericValue != null;
    }
}
