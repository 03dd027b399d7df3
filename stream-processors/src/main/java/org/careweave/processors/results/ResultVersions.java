package org.careweave.processors.results;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.careweave.events.ObservationEvent;
import org.careweave.events.StatedTime;

/**
 * Which version of a result is current: the highest status rank (P &lt; I/R/S &lt; F &lt; C &lt; D/W), then the
 * latest reported time (OBR-22, else OBX-14), then the latest received, then control id, OBX-1 and raw message id.
 *
 * <p>The winner is the maximum of a total order over the versions, not the last one applied, so the current
 * version is the same whatever order the versions arrived in.
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

    /** The same precedence over observation events. */
    public static final Comparator<ObservationEvent> EVENT_PRECEDENCE = Comparator
            .comparingInt((ObservationEvent e) -> ResultStatus.rank(e.getStatus()))
            .thenComparing(ResultVersions::reportedOrObserved, NULLS_FIRST)
            .thenComparing(e -> e.getProvenance().getReceivedAt(), NULLS_FIRST)
            .thenComparing(e -> e.getProvenance().getControlId())
            .thenComparingInt(ObservationEvent::getSetId)
            .thenComparing(e -> e.getProvenance().getRaw().getMessageId())
            .thenComparing(ResultKeys::messageKey);

    private ResultVersions() {
    }

    /**
     * The current version among versions of one result (same {@link ResultKeys#versionKey}); empty for none. A
     * retraction (D, W) is returned as current: the caller decides to hide the result.
     */
    public static Optional<ObservationEvent> current(List<ObservationEvent> versions) {
        return versions.stream().max(EVENT_PRECEDENCE);
    }

    static Optional<ResultVersion> currentOf(Collection<ResultVersion> versions) {
        return versions.stream().max(PRECEDENCE);
    }

    /** When the lab said the result was reported; the observation time when the report time is missing. */
    static Instant reportedOrObserved(ObservationEvent event) {
        StatedTime t = event.getReportedAt() != null ? event.getReportedAt() : event.getObservedAt();
        return t == null ? null : t.getInstant();
    }
}
