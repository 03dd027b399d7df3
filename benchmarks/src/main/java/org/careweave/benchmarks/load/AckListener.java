package org.careweave.benchmarks.load;

/** Told of every measured ACK, on the sending thread; must be quick and thread-safe. */
@FunctionalInterface
public interface AckListener {

    AckListener NONE = (message, code, ackedAtNanos) -> { };

    /** @param ackedAtNanos System.nanoTime() when the ACK had been read */
    void acked(GeneratedMessage message, String code, long ackedAtNanos);
}
