package org.careweave.processors.results;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.careweave.events.Coding;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.ResultSource;
import org.careweave.events.StatedTime;

/** One result's versions → the result as published on results.current. */
final class DeduplicatedResults {

    private static final Comparator<ResultVersion> BY_ARRIVAL = Comparator.comparing(ResultVersion::receivedAt)
            .thenComparing(ResultVersion::sendingFacility)
            .thenComparing(ResultVersion::controlId)
            .thenComparing(ResultVersion::messageKey);

    private DeduplicatedResults() {
    }

    /**
     * What the result shows comes from the versions that rank ({@link ResultVersions#withoutRepeats}: a resend under
     * a new control id does not bring back what it repeats); the messages it lists are all of them.
     */
    static DeduplicatedResult of(String personId, String resultId, List<ResultVersion> versions) {
        List<ResultVersion> ranked = ResultVersions.withoutRepeats(versions);
        ResultVersion current = ranked.stream().max(ResultVersions.PRECEDENCE).orElseThrow();
        ResultVersion valued = valueSource(current, ranked);
        List<String> notes = notes(current, valued, ranked);
        return DeduplicatedResult.newBuilder()
                .setResultId(resultId)
                .setPersonId(personId)
                .setCode(current.code().toAvro())
                .setSourceCode(current.sourceCode() == null ? null : current.sourceCode().toAvro())
                .setValueType(valued.valueType())
                .setValue(valued.value())
                .setNumericValue(valued.numericValue())
                .setUnits(valued.units())
                .setReferenceRange(valued.referenceRange())
                .setAbnormalFlags(valued.abnormalFlags())
                .setStatus(current.status())
                .setCollectedAt(collectedAt(current, ranked))
                .setSources(sources(versions))
                .setRetracted(current.retraction())
                .setVersionCount(versions.size())
                .setUpdatedAt(versions.stream().map(ResultVersion::receivedAt).max(Comparator.naturalOrder())
                        .orElseThrow())
                .setOrderCode(orderCode(current, ranked))
                .setSubId(current.subId())
                .setSetId(current.setId())
                .setNotes(notes)
                .setNotObtained(!current.retraction()
                        && NotObtained.of(current.status(), valued.value(), valued.numericValue(), notes))
                .build();
    }

    private static Coding orderCode(ResultVersion current, List<ResultVersion> versions) {
        if (current.orderCode() != null) {
            return current.orderCode().toAvro();
        }
        return versions.stream().filter(v -> v.orderCode() != null).max(ResultVersions.PRECEDENCE)
                .map(v -> v.orderCode().toAvro()).orElse(null);
    }

    /**
     * The notes on the value shown: those of the version it comes from. When that version has none (a copy of the
     * result that a GP system forwarded without the laboratory's notes), those of the highest-precedence version
     * that says the same (same content fingerprint) and has notes, so that a "haemolysed sample" is not lost to a
     * copy. A retraction shows only its own notes: they say why it was withdrawn, and a withdrawn result's notes are
     * about a value not shown. A result that cannot be obtained (X) is its own value source, so it shows its own notes
     * (why there is no value).
     */
    private static List<String> notes(ResultVersion current, ResultVersion valued, List<ResultVersion> versions) {
        if (current.retraction()) {
            return current.notes();
        }
        if (!valued.notes().isEmpty()) {
            return valued.notes();
        }
        if (valued.contentFingerprint() == null) {
            return List.of();
        }
        return versions.stream()
                .filter(v -> !v.notes().isEmpty() && valued.contentFingerprint().equals(v.contentFingerprint()))
                .max(ResultVersions.PRECEDENCE).map(ResultVersion::notes).orElse(List.of());
    }

    /**
     * Where the value comes from: the current version, except when it is a status change without a value (U, or a
     * final that repeats no value) and an earlier version had one. A retraction keeps its own (usually empty) value:
     * a wrong-patient value must not be shown again under the retracted result. So does X ("results cannot be
     * obtained"): an earlier value was a reading of a sample the laboratory then found unfit (haemolysed, clotted),
     * and its notes say why; the preliminary value shown with them read as a result to act on.
     */
    private static ResultVersion valueSource(ResultVersion current, List<ResultVersion> versions) {
        if (current.hasValue() || current.retraction() || ResultStatus.cannotBeObtained(current.status())) {
            return current;
        }
        return versions.stream().filter(ResultVersion::hasValue).max(ResultVersions.PRECEDENCE).orElse(current);
    }

    private static StatedTime collectedAt(ResultVersion current, List<ResultVersion> versions) {
        if (current.collectedAt() != null) {
            return current.collectedAt().toAvro();
        }
        return versions.stream().filter(v -> v.collectedAt() != null).max(ResultVersions.PRECEDENCE)
                .map(v -> v.collectedAt().toAvro()).orElse(null);
    }

    /** One source per message (facility + control id), in the order they first arrived. */
    private static List<ResultSource> sources(List<ResultVersion> versions) {
        Map<String, ResultVersion> byMessage = new LinkedHashMap<>();
        versions.stream().sorted(BY_ARRIVAL)
                .forEach(v -> byMessage.putIfAbsent(v.sendingFacility() + "|" + v.controlId(), v));
        return byMessage.values().stream().map(v -> ResultSource.newBuilder()
                .setSendingFacility(v.sendingFacility())
                .setControlId(v.controlId())
                .setFillerOrderNumber(v.fillerOrderNumber())
                .setPlacerOrderNumber(v.placerOrderNumber())
                .setReceivedAt(v.receivedAt())
                .setRaw(v.raw().toAvro())
                .build()).toList();
    }

    /** The organisation that told us first: the one named in alerts. */
    static String firstFacility(List<ResultVersion> versions) {
        return versions.stream().min(BY_ARRIVAL).orElseThrow().sendingFacility();
    }

    static Instant collectedInstant(DeduplicatedResult result) {
        return result.getCollectedAt() == null ? null : result.getCollectedAt().getInstant();
    }
}
