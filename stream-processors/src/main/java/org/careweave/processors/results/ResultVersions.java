package org.careweave.processors.results;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BinaryOperator;

import org.careweave.events.ObservationEvent;
import org.careweave.events.StatedTime;

/**
 * Which version of a result is current: the highest status rank (P &lt; I/R/S &lt; F &lt; C &lt; D/W), then the
 * latest reported time (OBR-22, else OBX-14), then the latest received, then control id, OBX-1 and raw message id.
 *
 * <p>The winner is the maximum of a total order over the versions, not the last one applied, so the current
 * version is the same whatever order the versions arrived in.
 *
 * <p>A repeat (a version that says exactly what an earlier received version of the same result said, under another
 * control id) takes no part: only the earliest received of such copies is ranked. An interface engine that resends
 * a message gives it a control id of its own, so ingest does not know it for a resend; without a report time (OBR-22)
 * it tied with the later correction it repeats an earlier one of, and won as the later received, bringing the old
 * value back.
 */
public final class ResultVersions {

    private static final Comparator<Instant> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());

    /** Precedence over mapped versions: the greatest is current. */
    public static final Comparator<ResultVersion> PRECEDENCE = Comparator
            .comparingInt((ResultVersion v) -> ResultStatus.rank(v.status()))
            .thenComparing(ResultVersion::reportedAt, NULLS_FIRST)
            .thenComparing(ResultVersion::receivedAt, NULLS_FIRST)
            .thenComparing(ResultVersion::controlId)
            .thenComparingInt(ResultVersion::setId)
            .thenComparing(v -> v.raw().messageId())
            .thenComparing(ResultVersion::messageKey);

    /** Which of two copies that say the same arrived first (as a verbatim resend's earliest copy is kept). */
    private static final Comparator<ResultVersion> ARRIVAL = Comparator.comparing(ResultVersion::receivedAt)
            .thenComparing(v -> v.raw().messageId())
            .thenComparing(ResultVersion::messageKey);

    private ResultVersions() {
    }

    /**
     * The current version among versions of one result (same {@link ResultKeys#versionKey}); empty for none. A
     * retraction (D, W) is returned as current: the caller decides to hide the result.
     */
    public static Optional<ObservationEvent> current(List<ObservationEvent> versions) {
        Map<ResultVersion, ObservationEvent> events = new IdentityHashMap<>();
        for (ObservationEvent event : versions) {
            events.put(ResultVersion.of(event, LocalCodes.defaults()), event);
        }
        return currentOf(events.keySet()).map(events::get);
    }

    static Optional<ResultVersion> currentOf(Collection<ResultVersion> versions) {
        return withoutRepeats(versions).stream().max(PRECEDENCE);
    }

    /**
     * The versions that rank: of versions of one result that say the same (the same status, value, units, range,
     * flags, times, codes and notes), only the earliest received. What a result shows is taken from these; the
     * messages received (its sources and version count) are all of them.
     */
    static List<ResultVersion> withoutRepeats(Collection<ResultVersion> versions) {
        if (versions.size() < 2) {
            return List.copyOf(versions);
        }
        if (versions.size() == 2) { // most results: a preliminary and its final, or a result and one copy
            Iterator<ResultVersion> two = versions.iterator();
            ResultVersion first = two.next();
            ResultVersion second = two.next();
            return !Said.of(first).equals(Said.of(second)) ? List.copyOf(versions)
                    : List.of(ARRIVAL.compare(first, second) <= 0 ? first : second);
        }
        Map<Said, ResultVersion> earliest = new HashMap<>();
        for (ResultVersion v : versions) {
            earliest.merge(Said.of(v), v, BinaryOperator.minBy(ARRIVAL));
        }
        if (earliest.size() == versions.size()) {
            return List.copyOf(versions);
        }
        Set<ResultVersion> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(earliest.values());
        return versions.stream().filter(kept::contains).toList();
    }

    /** What a version says, without which message said it (control id, OBX-1, when received, where stored). */
    private record Said(String versionKey, String status, String valueType, String value, Double numericValue,
                        String units, String referenceRange, List<String> abnormalFlags,
                        ResultVersion.Stated collectedAt, Instant reportedAt, ResultVersion.Code code,
                        ResultVersion.Code orderCode, List<String> notes) {

        static Said of(ResultVersion v) {
            return new Said(v.versionKey(), v.status(), v.valueType(), v.value(), v.numericValue(), v.units(),
                    v.referenceRange(), v.abnormalFlags(), v.collectedAt(), v.reportedAt(), v.code(), v.orderCode(),
                    v.notes());
        }
    }

    /** When the lab said the result was reported; the observation time when the report time is missing. */
    static Instant reportedOrObserved(ObservationEvent event) {
        StatedTime t = event.getReportedAt() != null ? event.getReportedAt() : event.getObservedAt();
        return t == null ? null : t.getInstant();
    }
}
