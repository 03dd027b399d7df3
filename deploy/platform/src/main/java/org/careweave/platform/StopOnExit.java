package org.careweave.platform;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops a platform component when the JVM exits, unless its owner has closed it by then.
 *
 * <p>Why not simply stop it in a shutdown hook: the JVM runs all its shutdown hooks at once. careweave's own hook
 * stops the pipeline first (the sink finishes its transaction, Kafka Streams commits) and then the platform; a hook
 * that stopped PostgreSQL or the registry straight away pulled them from under the pipeline while it was still
 * stopping (zonky's hook did: the sink's last transaction was cut at every Ctrl-C). This hook waits for the owner's
 * close first, and stops the component itself only when nobody closed it within the grace period (a program that
 * exits without closing what it started), so that a child process never outlives the JVM that started it.
 */
public final class StopOnExit implements AutoCloseable {

    /** Longer than careweave's own orderly stop takes (about 5 s), short enough not to hang an exit that forgot. */
    static final Duration GRACE = Duration.ofSeconds(20);

    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;

    /** @param stop stops the component; run at JVM exit only if {@link #close()} was not called in time */
    public StopOnExit(String name, Runnable stop) {
        this.hook = new Thread(() -> {
            try {
                if (closed.await(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stop.run();
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The owner has stopped the component: nothing is left to do at exit. */
    @Override
    public void close() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already exiting: the hook is running and sees the latch.
        }
    }
}
