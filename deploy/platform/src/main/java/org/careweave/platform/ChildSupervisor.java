package org.careweave.platform;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an embedded child process again when it exits while its owner still needs it (killed by the kernel for
 * memory, by an operator by mistake). Without it, `careweave up` kept running with its schema registry or
 * PostgreSQL gone: every message was answered AE and the views stopped, until someone restarted the whole platform.
 *
 * <p>Restarts wait 1 s, then twice as long after each failed attempt, up to a minute; a start that comes up resets the
 * wait. The restart runs on a thread of its own, never on the caller's, since a start can take a minute.
 */
public final class ChildSupervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChildSupervisor.class);
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration LONGEST_DELAY = Duration.ofMinutes(1);

    private final String component;
    private final Supplier<ProcessHandle> restart;
    private final ExecutorService thread;
    private final AtomicLong restarts = new AtomicLong();
    /** Set at JVM exit too: Ctrl-C reaches the children with careweave, and they stop before careweave closes them. */
    private final Thread jvmExit = new Thread(() -> this.closing = true, "careweave-supervisor-exit");
    private volatile boolean closing;

    /**
     * @param component what the log calls it ("schema registry")
     * @param restart   starts the component again and returns its server process once it is ready; throws if it did not
     *                  come up, having stopped whatever it started
     */
    public ChildSupervisor(String component, Supplier<ProcessHandle> restart) {
        this.component = component;
        this.restart = restart;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "careweave-" + component.replace(' ', '-') + "-supervisor");
            t.setDaemon(true);
            return t;
        });
        Runtime.getRuntime().addShutdownHook(jvmExit);
    }

    /** From now on, restarts the component when this process exits, unless the owner is closing. */
    public void watch(ProcessHandle process) {
        process.onExit().thenRunAsync(() -> restartAfter(process), thread);
    }

    /** How many times the component was started again. */
    public long restarts() {
        return restarts.get();
    }

    /** Whether the owner has asked the component to stop: an exit from now on is expected. */
    public boolean closing() {
        return closing;
    }

    private void restartAfter(ProcessHandle exited) {
        // The first wait comes before anything is said: an exit that careweave's own stop follows (Ctrl-C) is not news.
        sleep(FIRST_DELAY);
        if (closing) {
            return;
        }
        log.warn("The {} (pid {}) exited while careweave needs it; starting it again", component, exited.pid());
        Duration delay = FIRST_DELAY;
        while (!closing) {
            long started = System.nanoTime();
            try {
                ProcessHandle process = restart.get();
                restarts.incrementAndGet();
                log.info("The {} is back (pid {}) after {} ms", component, process.pid(),
                        Duration.ofNanos(System.nanoTime() - started).toMillis());
                watch(process);
                return;
            } catch (RuntimeException e) {
                delay = delay.multipliedBy(2).compareTo(LONGEST_DELAY) > 0 ? LONGEST_DELAY : delay.multipliedBy(2);
                log.warn("The {} did not come back ({}: {}); trying again in {} s", component,
                        e.getClass().getSimpleName(), e.getMessage(), delay.toSeconds());
                sleep(delay);
            }
        }
    }

    /** The owner is stopping the component: its exit is expected from now on. */
    @Override
    public void close() {
        closing = true;
        thread.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(jvmExit);
        } catch (IllegalStateException e) {
            // The JVM is exiting: the hook has run or is running, and sets what close() set.
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
