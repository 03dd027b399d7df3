package org.careweave.platform;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Remembers whether Kafka refused a component in a way that a retry or a fresh stream thread cannot get past, unlike
 * other failures: its principal (authentication or authorisation), or a record too large for the producer's or the
 * topic's limit (the same input builds the same record again). A Kafka Streams application that replaced its threads
 * on such a failure would stay REBALANCING for ever, looking healthy while it commits nothing; it should stop
 * instead, and say why, so that /health reports it DOWN and the operator fixes the cause. Nothing is skipped: once
 * fixed, the component restarts where it stopped.
 */
public final class KafkaRefusals {

    private final AtomicReference<Throwable> refusal = new AtomicReference<>();

    /** Whether {@code failure} is, or was caused by, such a refusal; remembers the first one. */
    public boolean refused(Throwable failure) {
        Optional<Throwable> cause = refusalIn(failure);
        cause.ifPresent(c -> refusal.compareAndSet(null, c));
        return cause.isPresent();
    }

    /** What Kafka refused, e.g. "TransactionalIdAuthorizationException: Transactional Id authorization failed." */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal.get()).map(c -> c.getClass().getSimpleName() + ": " + c.getMessage());
    }

    /**
     * What the operator does about the refusal remembered, for the log.
     *
     * @param forRecordTooLarge the component's own advice for a record too large (which limit to raise)
     */
    public String remedy(String forRecordTooLarge) {
        return refusal.get() instanceof RecordTooLargeException
                ? forRecordTooLarge
                : "check its ACLs (careweave kafka-acls) and credentials, then restart";
    }

    /** Whether Kafka refused a record of {@code failure} (or of one of its causes) as too large. */
    public static boolean tooLarge(Throwable failure) {
        return causeIn(failure, t -> t instanceof RecordTooLargeException).isPresent();
    }

    static Optional<Throwable> refusalIn(Throwable failure) {
        return causeIn(failure, t -> t instanceof AuthorizationException || t instanceof AuthenticationException
                || t instanceof RecordTooLargeException);
    }

    private static Optional<Throwable> causeIn(Throwable failure, Predicate<Throwable> kind) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind.test(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
