package org.careweave.benchmarks.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.careweave.benchmarks.common.Latency;
import org.careweave.benchmarks.common.ProcessCpu;

/**
 * Sends generated messages over N concurrent MLLP connections, each waiting for its ACK before sending the next (one
 * message in flight per connection, as an interface engine sends), bounded by a message count and by time.
 * Measures throughput, ACK latency (HdrHistogram), AA/AE/AR, timeouts, and its own CPU time.
 */
public final class LoadGenerator {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private LoadGenerator() {
    }

    public static LoadResult run(LoadSettings settings, AckListener listener) {
        InventedPeople people = InventedPeople.of(settings.population(), settings.seed());
        long start = System.nanoTime();
        long measureStart = start + settings.warmup().toNanos();
        long measureEnd = measureStart + settings.duration().toNanos();
        Shared shared = new Shared(measureStart, measureEnd, settings.maxMessages());
        List<Worker> workers = new ArrayList<>();
        for (int c = 0; c < settings.connections(); c++) {
            workers.add(new Worker(c, settings, people, shared, listener));
        }
        long harnessCpu0 = ProcessCpu.ownNanos();
        List<Thread> threads = new ArrayList<>();
        for (Worker w : workers) {
            Thread t = new Thread(w, "load-" + settings.runId() + "-" + w.index);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                // Bounded: every worker stops at measureEnd, or at its ACK timeout after it.
                t.join(settings.warmup().plus(settings.duration()).plus(settings.ackTimeout()).toMillis() + 30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        shared.stop = true;
        long harnessCpu = ProcessCpu.ownNanos() - harnessCpu0;
        return summarise(settings, workers, shared, harnessCpu);
    }

    private static LoadResult summarise(LoadSettings settings, List<Worker> workers, Shared shared,
                                        long harnessCpuNanos) {
        Histogram all = Latency.newHistogram();
        long aa = 0;
        long ae = 0;
        long ar = 0;
        long timeouts = 0;
        long errors = 0;
        long bytes = 0;
        long cpu = 0;
        long allAcked = 0;
        Map<MessageKind, Long> byKind = new EnumMap<>(MessageKind.class);
        for (Worker w : workers) {
            all.add(w.latencies);
            aa += w.aa;
            ae += w.ae;
            ar += w.ar;
            timeouts += w.timeouts;
            errors += w.connectionErrors;
            bytes += w.bytesSent;
            cpu += w.cpuNanos;
            allAcked += w.allAcked;
            w.sentByKind.forEach((k, v) -> byKind.merge(k, v, Long::sum));
        }
        long messages = all.getTotalCount();
        long endNanos = settings.maxMessages() > 0 && shared.lastAck.get() > 0
                ? Math.min(shared.measureEnd, shared.lastAck.get()) : shared.measureEnd;
        double seconds = Math.max(1e-9, (endNanos - shared.measureStart) / 1e9);
        Map<String, Long> sentByType = new LinkedHashMap<>();
        byKind.forEach((k, v) -> sentByType.put(k.msh9().substring(0, 7), v));
        double cores = Runtime.getRuntime().availableProcessors();
        return new LoadResult(settings.connections(), messages, allAcked, round(seconds, 3), round(messages / seconds, 1),
                Latency.of(all), aa, ae, ar, timeouts, errors, bytes, sentByType, round(cpu / 1e9, 3),
                round(harnessCpuNanos / 1e9, 3), round(cpu / 1e9 / (seconds * cores), 3));
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    /** State every worker reads; the counters are only for the message budget and the run's end. */
    private static final class Shared {
        final long measureStart;
        final long measureEnd;
        final long maxMessages;
        final AtomicLong measured = new AtomicLong();
        final AtomicLong lastAck = new AtomicLong();
        final AtomicLong markers = new AtomicLong();
        volatile boolean stop;

        Shared(long measureStart, long measureEnd, long maxMessages) {
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
            this.maxMessages = maxMessages;
        }

        boolean budgetLeft() {
            return maxMessages <= 0 || measured.get() < maxMessages;
        }
    }

    private static final class Worker implements Runnable {
        final int index;
        final LoadSettings settings;
        final Shared shared;
        final AckListener listener;
        final MessageFactory factory;
        final Histogram latencies = Latency.newHistogram();
        final Map<MessageKind, Long> sentByKind = new EnumMap<>(MessageKind.class);
        long aa;
        long ae;
        long ar;
        long timeouts;
        long connectionErrors;
        long bytesSent;
        long cpuNanos;
        long sequence;
        long allAcked;

        Worker(int index, LoadSettings settings, InventedPeople people, Shared shared, AckListener listener) {
            this.index = index;
            this.settings = settings;
            this.shared = shared;
            this.listener = listener;
            this.factory = new MessageFactory(people, settings.seed() * 1_000_003L + index, settings.markEvery());
        }

        @Override
        public void run() {
            long intervalNanos = settings.ratePerSecond() > 0
                    ? Math.round(settings.connections() * 1e9 / settings.ratePerSecond()) : 0;
            // Spread paced connections over one interval so that they do not send in bursts.
            long nextSend = System.nanoTime() + (intervalNanos > 0 ? intervalNanos * index / settings.connections()
                    : 0);
            long cpuAtMeasureStart = -1;
            MllpConnection connection = null;
            try {
                while (!shared.stop && shared.budgetLeft()) {
                    long now = System.nanoTime();
                    if (now >= shared.measureEnd) {
                        break;
                    }
                    if (cpuAtMeasureStart < 0 && now >= shared.measureStart) {
                        cpuAtMeasureStart = THREADS.getCurrentThreadCpuTime();
                    }
                    if (intervalNanos > 0) {
                        if (nextSend > now) {
                            LockSupport.parkNanos(nextSend - now);
                        }
                        nextSend += intervalNanos;
                    }
                    if (connection == null) {
                        connection = connect();
                        if (connection == null) {
                            continue;
                        }
                    }
                    GeneratedMessage message = factory.next(
                            settings.runId() + "-" + index + "-" + (++sequence), shared.markers.incrementAndGet());
                    long sentAt = System.nanoTime();
                    String code;
                    try {
                        code = connection.send(message.bytes());
                    } catch (SocketTimeoutException e) {
                        if (sentAt >= shared.measureStart) {
                            timeouts++;
                        }
                        connection.close();
                        connection = null;
                        continue;
                    } catch (IOException e) {
                        if (sentAt >= shared.measureStart) {
                            connectionErrors++;
                        }
                        connection.close();
                        connection = null;
                        LockSupport.parkNanos(100_000_000L);
                        continue;
                    }
                    long ackedAt = System.nanoTime();
                    allAcked++;
                    if (ackedAt >= shared.measureStart && ackedAt < shared.measureEnd && shared.budgetLeft()) {
                        record(message, code, sentAt, ackedAt);
                    }
                }
            } finally {
                if (connection != null) {
                    connection.close();
                }
                cpuNanos = cpuAtMeasureStart < 0 ? 0 : THREADS.getCurrentThreadCpuTime() - cpuAtMeasureStart;
            }
        }

        private void record(GeneratedMessage message, String code, long sentAt, long ackedAt) {
            shared.measured.incrementAndGet();
            shared.lastAck.accumulateAndGet(ackedAt, Math::max);
            latencies.recordValue(Math.max(1, (ackedAt - sentAt) / 1000));
            bytesSent += message.bytes().length;
            sentByKind.merge(message.kind(), 1L, Long::sum);
            switch (code) {
                case "AA", "CA" -> aa++;
                case "AE", "CE" -> ae++;
                default -> ar++;
            }
            listener.acked(message, code, ackedAt);
        }

        private MllpConnection connect() {
            try {
                return MllpConnection.open(settings.host(), settings.port(), settings.ackTimeout());
            } catch (IOException e) {
                connectionErrors++;
                LockSupport.parkNanos(200_000_000L);
                return null;
            }
        }
    }
}
