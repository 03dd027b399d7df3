package org.careweave.benchmarks.stream;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.careweave.benchmarks.common.Latency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Finds when a person.views record became visible through the query API ({@code GET /api/persons/{personId}}, with
 * a bearer token, as a clinician's app reads it), for a sample of records the topic tail hands over.
 *
 * <p>A record is visible when the API answers 200 with a {@code version} at least the record's: the sink stored that
 * view or a newer one of the person (a later message about the person may have replaced the phone marker by then;
 * {@link Result#supersededAtVisibility()} counts those). 404 (the person's first view not stored yet) means not yet;
 * 308 means the person was merged away before the view could be seen: counted apart, never as visible.
 *
 * <p>Cost is bounded so that the poller does not itself become the machine's ceiling:
 * <ul>
 * <li>one thread per partition of person.views, each polling only the oldest unresolved record of its partition
 * (one request in flight per partition), every {@code interval} until it is visible, or every {@code backoff} × the
 * time since the record reached the topic when that is longer (so the error stays within that fraction of the
 * delay measured, and a sink far behind is not asked dozens of times a second about a record it cannot have yet). This is exact because the sink
 * commits each partition's records in offset order (store.md: every batch with its positions in one transaction),
 * so a record never becomes visible before an earlier record of its partition; once the oldest is visible, the next
 * one is asked at once. A violation could only make figures later, never earlier. Requests ≈ partitions ÷
 * interval + samples/s at most, however far behind the sink is;</li>
 * <li>a global cap on requests per second (a pacer shared by the threads); time spent waiting on it is reported.</li>
 * </ul>
 * The time of visibility is when the first answer showing the record arrived (an upper bound). A lower bound is the
 * latest of: the request of the last answer that did not show it, the previous record's lower bound (see above), and
 * the moment the record reached the topic tail (the sink reads the same topic; it may see a record a few ms before
 * the tail does). The gap between the bounds is reported as the resolution.
 */
final class ApiPoller implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String THREAD_PREFIX = "api-poll-";

    /** One sampled message: the first person.views record showing its marker. */
    record Probe(int partition, long offset, String personId, long version, long marker, long aaNanos,
                 long topicNanos) {
    }

    /** What the poller saw. Latencies in ms (HdrHistogram in µs). */
    record Result(long submitted, long visible, long mergedAway, long unresolved, Latency aaToApi,
                  Latency topicToApi, Latency resolution, long visibleAtFirstPoll,
                  long supersededAtVisibility, long requests, double requestSeconds, double requestsPerSecond,
                  long notFoundAnswers, long olderVersionAnswers, long errors, double capWaitSeconds, double pollerCpuSeconds, int threads,
                  int intervalMs, double backoff, int maxRequestsPerSecond) {
    }

    private enum Answer { VISIBLE, NOT_YET, MERGED }

    private final HttpClient http;
    private final ExecutorService httpExecutor;
    private final String apiUrl;
    private final String authorization;
    private final long intervalNanos;
    private final double backoff;
    private final long spacingNanos;
    private final int maxRps;
    private final Map<Integer, Worker> workers = new ConcurrentHashMap<>();
    private final AtomicLong nextSlot = new AtomicLong();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong firstRequest = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastRequest = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong notFound = new AtomicLong();
    private final AtomicLong older = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong capWaitNanos = new AtomicLong();
    private final Histogram aaToApi = Latency.newHistogram();
    private final Histogram topicToApi = Latency.newHistogram();
    private final Histogram resolution = Latency.newHistogram();
    private long visible;
    private long merged;
    private long atFirstPoll;
    private long superseded;
    private volatile boolean running = true;
    private final Map<Long, Long> exitedThreadCpu = new ConcurrentHashMap<>();

    /** @param backoff 0 for a fixed interval; else poll no more often than this fraction of the time since the topic */
    ApiPoller(String apiUrl, String token, Duration interval, double backoff, int maxRequestsPerSecond) {
        AtomicInteger n = new AtomicInteger();
        this.httpExecutor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, THREAD_PREFIX + "http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5))
                .executor(httpExecutor).build();
        this.apiUrl = apiUrl;
        this.authorization = "Bearer " + token;
        this.intervalNanos = interval.toNanos();
        this.backoff = Math.max(0, backoff);
        this.maxRps = maxRequestsPerSecond;
        this.spacingNanos = maxRequestsPerSecond > 0 ? 1_000_000_000L / maxRequestsPerSecond : 0;
        try {
            // Load Jackson's classes now rather than inside the first measured answer.
            JSON.readTree("{\"version\": 1, \"phone\": \"x #1\"}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Called on the topic tail's thread, in offset order within a partition. */
    void submit(Probe probe) {
        if (!running) {
            return;
        }
        submitted.incrementAndGet();
        pending.incrementAndGet();
        workers.computeIfAbsent(probe.partition(), Worker::new).queue.addLast(probe);
    }

    /** Probes handed over and not yet resolved. */
    long pending() {
        return pending.get();
    }

    /**
     * One cheap look at the sink from the API's {@code /metrics} (admin): {@code careweave_sink_lag} (records between
     * the sink's position and the end of person.views), or -1 when it cannot be read.
     */
    long sinkLag() {
        return metricSum("careweave_sink_lag");
    }

    /**
     * Records not yet processed by careweave up: its consumers' lag (careweave_consumer_lag, every group and topic)
     * plus the sink's; -1 when /metrics does not answer or does not know yet.
     */
    long backlog() {
        return metricSum("careweave_consumer_lag", "careweave_sink_lag");
    }

    /** The sum of the /metrics samples of these names; -1 if there is none, one is negative (unknown) or no answer. */
    private long metricSum(String... names) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/metrics"))
                .header("Authorization", authorization).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return -1;
            }
            double total = 0;
            boolean found = false;
            for (String line : response.body().split("\n")) {
                for (String name : names) {
                    if (line.startsWith(name)) {
                        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).strip());
                        if (value < 0) {
                            return -1;
                        }
                        total += value;
                        found = true;
                    }
                }
            }
            return found ? (long) total : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Stops polling (what is still pending counts as not visible) and summarises. */
    Result finish() {
        running = false;
        for (Worker w : workers.values()) {
            try {
                w.thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double cpu = pollerCpuNanos() / 1e9;
        long first = firstRequest.get();
        long last = lastRequest.get();
        double seconds = requests.get() > 1 ? (last - first) / 1e9 : 0;
        synchronized (this) {
            return new Result(submitted.get(), visible, merged, pending.get(), Latency.of(aaToApi),
                    Latency.of(topicToApi), Latency.of(resolution), atFirstPoll, superseded,
                    requests.get(), round(seconds, 1), seconds > 0 ? round(requests.get() / seconds, 1) : 0,
                    notFound.get(), older.get(), errors.get(), round(capWaitNanos.get() / 1e9, 2), round(cpu, 2),
                    workers.size(), (int) (intervalNanos / 1_000_000), backoff, maxRps);
        }
    }

    /** CPU of the polling threads, the HTTP client's executor and its selector thread (ended threads included). */
    private long pollerCpuNanos() {
        long total = exitedThreadCpu.values().stream().mapToLong(Long::longValue).sum();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null || exitedThreadCpu.containsKey(info.getThreadId())) {
                continue;
            }
            String name = info.getThreadName();
            if (name.startsWith(THREAD_PREFIX) || name.startsWith("HttpClient-")) {
                total += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    @Override
    public void close() {
        running = false;
        httpExecutor.shutdownNow();
        try {
            httpExecutor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the shared pacer's next slot; returns the nanoTime the request may start. */
    private void pace() {
        if (spacingNanos <= 0) {
            return;
        }
        long now = System.nanoTime();
        long slot = nextSlot.getAndAccumulate(now, (prev, n) -> Math.max(prev, n) + spacingNanos);
        slot = Math.max(slot, now);
        if (slot > now) {
            capWaitNanos.addAndGet(slot - now);
            LockSupport.parkNanos(slot - now);
        }
    }

    /** Sets {@code superseded[0]} when visible, and {@code arrived[0]} to when the answer arrived. */
    private Answer ask(Probe probe, boolean[] superseded, long[] arrived) {
        pace();
        long sent = System.nanoTime();
        firstRequest.accumulateAndGet(sent, Math::min);
        lastRequest.accumulateAndGet(sent, Math::max);
        requests.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/api/persons/"
                        + URLEncoder.encode(probe.personId(), StandardCharsets.UTF_8)))
                .header("Authorization", authorization).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            // The answer's time is its arrival, not the end of parsing it.
            arrived[0] = System.nanoTime();
            switch (response.statusCode()) {
                case 200 -> {
                    JsonNode person = JSON.readTree(response.body());
                    if (person.path("version").asLong(-1) >= probe.version()) {
                        String phone = person.path("phone").asText("");
                        superseded[0] = !phone.endsWith("#" + probe.marker());
                        return Answer.VISIBLE;
                    }
                    older.incrementAndGet();
                    return Answer.NOT_YET;
                }
                case 404 -> {
                    notFound.incrementAndGet();
                    return Answer.NOT_YET;
                }
                case 308 -> {
                    return Answer.MERGED;
                }
                default -> {
                    errors.incrementAndGet();
                    return Answer.NOT_YET;
                }
            }
        } catch (IOException e) {
            arrived[0] = System.nanoTime();
            errors.incrementAndGet();
            return Answer.NOT_YET;
        } catch (InterruptedException e) {
            arrived[0] = System.nanoTime();
            Thread.currentThread().interrupt();
            return Answer.NOT_YET;
        }
    }

    /** The oldest unresolved probe of one partition at a time. */
    private final class Worker implements Runnable {
        final LinkedBlockingDeque<Probe> queue = new LinkedBlockingDeque<>();
        final Thread thread;

        Worker(int partition) {
            thread = new Thread(this, THREAD_PREFIX + "p" + partition);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            // A lower bound on the previous visible record's visibility, which bounds the next one's too.
            long carriedLowerBound = Long.MIN_VALUE;
            try {
                while (running) {
                    Probe probe = queue.pollFirst(50, TimeUnit.MILLISECONDS);
                    if (probe == null) {
                        continue;
                    }
                    long lastNegativeSend = Long.MIN_VALUE;
                    int polls = 0;
                    boolean[] supersededFlag = new boolean[1];
                    long[] arrived = new long[1];
                    while (running) {
                        long sent = System.nanoTime();
                        Answer answer = ask(probe, supersededFlag, arrived);
                        long answered = arrived[0];
                        polls++;
                        if (answer == Answer.VISIBLE) {
                            long lower = Math.max(probe.topicNanos(), Math.max(lastNegativeSend,
                                    carriedLowerBound));
                            record(probe, answered, lower, polls == 1, supersededFlag[0]);
                            carriedLowerBound = lower;
                            break;
                        }
                        if (answer == Answer.MERGED) {
                            synchronized (ApiPoller.this) {
                                merged++;
                            }
                            pending.decrementAndGet();
                            break;
                        }
                        lastNegativeSend = sent;
                        long period = Math.max(intervalNanos, (long) ((sent - probe.topicNanos()) * backoff));
                        long wait = sent + period - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exitedThreadCpu.put(Thread.currentThread().getId(), Math.max(0,
                        THREADS.getCurrentThreadCpuTime()));
            }
        }

        private void record(Probe probe, long answered, long lower, boolean firstPoll, boolean wasSuperseded) {
            synchronized (ApiPoller.this) {
                aaToApi.recordValue(Math.max(1, (answered - probe.aaNanos()) / 1000));
                topicToApi.recordValue(Math.max(1, (answered - probe.topicNanos()) / 1000));
                resolution.recordValue(Math.max(1, (answered - lower) / 1000));
                visible++;
                if (firstPoll) {
                    atFirstPoll++;
                }
                if (wasSuperseded) {
                    superseded++;
                }
            }
            pending.decrementAndGet();
        }
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
