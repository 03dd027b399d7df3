package org.careweave.app;

import java.util.Optional;

/**
 * Whether the Java heap leaves the stream processors room for their state caches; pure.
 *
 * <p>Why a warning at start: the processors keep recently used state deserialised on the heap, bounded by counts.
 * Measured with {@code careweave up -Xmx1g} under the load generator's mix, the old generation was full after about
 * 130,000 messages (870 MiB live after a full collection) and the collector took 38% of the JVM's CPU, with nothing
 * in the output to say why (docs/operations.md, "Heap").
 */
final class HeapAdvice {

    static final long MINIMUM_BYTES = 2L << 30;

    private HeapAdvice() {
    }

    /** @param maxHeapBytes {@link Runtime#maxMemory()}: {@code Long.MAX_VALUE} when the JVM sets no limit */
    static Optional<String> forProcessors(long maxHeapBytes) {
        // Some collectors report a little less than -Xmx as the maximum (one survivor space), so -Xmx2g must pass.
        if (maxHeapBytes >= MINIMUM_BYTES / 100 * 95) {
            return Optional.empty();
        }
        return Optional.of("warning: the Java heap is at most " + (maxHeapBytes >> 20) + " MiB; the stream processors"
                + " need 2 GiB or more under load, or garbage collection takes over (java -Xmx2g -jar careweave.jar"
                + " ...; docs/operations.md, \"Heap\")");
    }
}
