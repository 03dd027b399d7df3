package org.careweave.platform;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Remembers whether Kafka refused a component's principal (authentication or authorisation): a failure that a retry
 * or a fresh stream thread cannot get past, unlike the others. A Kafka Streams application that replaced its threads on
 * such a failure would stay REBALANCING for ever, looking healthy while it commits nothing; it should stop instead,
 * and say why, so that /health reports it DOWN and the operator fixes the ACLs or credentials.
 */
public final class KafkaRefusals {

    private final AtomicReference<String> refusal = new AtomicReference<>();

    /** Whether {@code failure} is, or was caused by, Kafka refusing the principal; remembers the first such one. */
    public boolean refused(Throwable failure) {
        Optional<Throwable> cause = refusalIn(failure);
        cause.ifPresent(c -> refusal.compareAndSet(null, c.getClass().getSimpleName() + ": " + c.getMessage()));
        return cause.isPresent();
    }

    /** What Kafka refused, e.g. "TransactionalIdAuthorizationException: Transactional Id authorization failed." */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal.get());
    }

    static Optional<Throwable> refusalIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthorizationException || t instanceof AuthenticationException) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
