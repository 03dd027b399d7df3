package org.careweave.ingest.mllp;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;

/**
 * At most so many MLLP connections at once. Each holds a file descriptor of the process, which also needs them for
 * Kafka, the database and, embedded, the broker's own log segments: 19,500 idle connections opened by one client
 * took every descriptor `careweave up` had, and the embedded broker shut itself down for want of files. A connection
 * over the limit is closed as soon as it is accepted: the sender sees the connection end before any ACK, and resends
 * later, as it does for any lost connection.
 */
final class ConnectionLimit {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimit.class);
    /** A flood is one event in the log, not one line per connection. */
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    ConnectionLimit(int max) {
        this.max = max;
    }

    /** Counts the connection in, and out again when it closes; false (and not counted) when the limit is reached. */
    boolean admit(Channel channel) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            long total = refused.incrementAndGet();
            long now = System.nanoTime();
            long last = lastLogged.get();
            if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
                log.warn("MLLP connection from {} closed: {} connections are open, the most mllp.max.connections"
                        + " allows ({} closed so far)", channel.remoteAddress(), max, total);
            }
            return false;
        }
        channel.closeFuture().addListener(f -> open.decrementAndGet());
        return true;
    }

    int open() {
        return open.get();
    }

    long refused() {
        return refused.get();
    }
}
