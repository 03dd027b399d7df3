package org.careweave.platform;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

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

    static Optional<Throwable> refusalIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthorizationException || t instanceof AuthenticationException
                    || t instanceof RecordTooLargeException) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
