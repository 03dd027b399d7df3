package org.careweave.benchmarks.common;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much of its cores a run got: the same CPU-bound work (SHA-256 of a 1 KiB buffer) on one thread, then on one
 * thread per core, and the ratio of the two rates. On an idle machine with whole cores it is close to the core
 * count.
 *
 * <p>Why: the development machine is a virtual machine whose host lends it less than two cores at times, without
 * any steal time showing inside. The thirteenth session measured two threads doing 1.06× to 2.15× one thread's work
 * within minutes, while single-thread JMH figures stayed put; figures of multi-threaded parts (ingest, identity,
 * the rebuild, latency) moved by up to 2× from one hour to the next with it. A figure is read with this next to it.
 */
public final class ParallelCapacity {

    private static final int BUFFER = 1024;
    private static final int BATCH = 200;
    private static final int ROUNDS = 3;

    private ParallelCapacity() {
    }

    /**
     * The ratio of the work done by {@code threads} threads to that of one, each run for {@code window} in all after
     * an unmeasured warm-up; 0 when it could not be measured.
     */
    public static double measure(int threads, Duration window) {
        return measure(threads, window, ParallelCapacity::rate);
    }

    /** The work {@code threads} threads do together in {@code window}, as a rate. */
    @FunctionalInterface
    interface Rate {
        double of(int threads, Duration window) throws InterruptedException;
    }

    static double measure(int threads, Duration window, Rate rate) {
        // Three short windows of each, alternating, and the best of each. What disturbs a window only ever lowers its
        // rate: most likely the JIT compiler of a JVM that just started, still busy with other code before this loop
        // (medians of the windows read up to 2.52x on 2 cores, a single pair 3.28x), or a child process of the
        // previous run still exiting. The best windows are the ones that measured the cores.
        Duration slice = window.dividedBy(ROUNDS);
        try {
            rate.of(threads, Duration.ofMillis(300));
            rate.of(1, Duration.ofMillis(300));
            double one = 0;
            double all = 0;
            for (int round = 0; round < ROUNDS; round++) {
                one = Math.max(one, rate.of(1, slice));
                all = Math.max(all, rate.of(threads, slice));
            }
            return one == 0 ? 0 : all / one;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Digests per second done by {@code threads} threads together over {@code window}. */
    private static double rate(int threads, Duration window) throws InterruptedException {
        AtomicLong digests = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>(threads);
        long[] deadline = new long[1];
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                MessageDigest sha256 = sha256();
                byte[] buffer = new byte[BUFFER];
                long done = 0;
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (System.nanoTime() < deadline[0]) {
                    for (int i = 0; i < BATCH; i++) {
                        sha256.update(buffer);
                        buffer[i % BUFFER] = sha256.digest()[0];
                    }
                    done += BATCH;
                }
                digests.addAndGet(done);
            }, "parallel-capacity-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        deadline[0] = System.nanoTime() + window.toNanos();
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        return digests.get() / (window.toNanos() / 1e9);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
