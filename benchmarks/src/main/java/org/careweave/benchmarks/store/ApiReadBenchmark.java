package org.careweave.benchmarks.store;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.careweave.benchmarks.common.CareweaveUp;
import org.careweave.benchmarks.common.Latency;
import org.careweave.benchmarks.common.Machine;
import org.careweave.benchmarks.common.Options;
import org.careweave.benchmarks.common.ProcessCpu;
import org.careweave.benchmarks.common.ResultFiles;
import org.careweave.benchmarks.load.TestNhsNumbers;
import org.careweave.ingest.mllp.MllpClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The query API as clinicians' apps use it: {@code careweave up} (as a user runs it) holding views of invented
 * persons with some results each, read by N concurrent clients in closed loops (each waits for its answer, then asks
 * again), for the three reads an app makes: the person's view, their results of one test, and the "before you order"
 * check. Every read is audited in the same database transaction as it is served, so this measures that write too.
 *
 * <p>Options: {@code --jar deploy/app/target/careweave.jar --persons 1000 --results 20 --clients 1,8,32
 * --preheat-seconds 60 --warmup-seconds 10 --seconds 20 --out DIR --date D}.
 */
public final class ApiReadBenchmark {

    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    private static final String HBA1C = URLEncoder.encode("http://loinc.org|4548-4", StandardCharsets.UTF_8);
    private static final DateTimeFormatter HL7 = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Of an app's reads: its view, its results of one test, the "before you order" check (per 100). */
    private static final int VIEW_SHARE = 60;
    private static final int RESULTS_SHARE = 25;
    private static final String[][] TESTS = {
        {"4548-4", "HbA1c", "mmol/mol"}, {"2823-3", "Potassium", "mmol/L"}, {"2951-2", "Sodium", "mmol/L"},
        {"718-7", "Haemoglobin", "g/L"}, {"2160-0", "Creatinine", "umol/L"},
    };

    /** One endpoint's answers at one concurrency. */
    public record EndpointFigures(String endpoint, long requests, Latency latency) {
    }

    public record Round(int clients, double seconds, long requests, double readsPerSecond, long errors,
                        Latency all, List<EndpointFigures> endpoints, double careweaveCpuMicrosPerRead,
                        double jvmCpuMicrosPerRead, double clientCpuMicrosPerRead) {
    }

    /** @param idleCores careweave's CPU while nobody reads, in cores: subtracted from the rounds' CPU per read */
    public record Report(String date, Machine machine, String command, int persons, int resultsPerPerson,
                         double loadSeconds, double viewsReadySeconds, long meanViewBytes, double preheatSeconds,
                         double warmupSeconds, double idleCores, double idleJvmCores, List<Round> rounds) {
    }

    private ApiReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, Set.of());
        Path jar = Path.of(options.text("jar", "deploy/app/target/careweave.jar"));
        int persons = options.integer("persons", 1_000);
        int results = options.integer("results", 20);
        List<Integer> clients = options.integers("clients", List.of(1, 8, 32));
        Duration warmup = options.seconds("warmup-seconds", 10);
        Duration measured = options.seconds("seconds", 20);
        Duration preheat = options.seconds("preheat-seconds", 60);
        Path log = Path.of("benchmarks/target/logs/api-read/careweave-up.log");
        Machine machine = Machine.now();
        try (CareweaveUp up = CareweaveUp.start(jar, log, Duration.ofMinutes(4))) {
            String[] nhsNumbers = TestNhsNumbers.first(persons);
            long loadStart = System.nanoTime();
            send(up.mllpPort(), nhsNumbers, results);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Api api = new Api(http, up.apiUrl(), up.adminToken());
            long readyStart = System.nanoTime();
            List<String> personIds = personIds(api, nhsNumbers, results);
            double readySeconds = (System.nanoTime() - readyStart) / 1e9;
            long bytes = 0;
            for (int i = 0; i < Math.min(50, personIds.size()); i++) {
                bytes += api.get("/api/persons/" + personIds.get(i)).body().length();
            }
            long meanViewBytes = bytes / Math.min(50, personIds.size());
            // Reads at 8 clients, unmeasured, until the JIT compiler has compiled the read path: four minutes after
            // start it was still 30% of careweave's samples during the 8-client round without this.
            runClients(api, personIds, 8, preheat, null, new AtomicLong());
            // What careweave spends with nobody reading (its stream threads poll, the broker, the JIT compiler
            // finishing): measured once the views are in, and taken off each round's CPU.
            Thread.sleep(Duration.ofSeconds(10).toMillis());
            long idleStart = System.nanoTime();
            long idleCpuBefore = up.treeCpuNanos();
            long idleJvmBefore = up.careweaveCpuNanos();
            Thread.sleep(Duration.ofSeconds(15).toMillis());
            double idleNanos = System.nanoTime() - idleStart;
            double idleCores = (up.treeCpuNanos() - idleCpuBefore) / idleNanos;
            double idleJvmCores = (up.careweaveCpuNanos() - idleJvmBefore) / idleNanos;
            List<Round> rounds = new ArrayList<>();
            for (int c : clients) {
                rounds.add(round(api, up, personIds, c, warmup, measured, idleCores, idleJvmCores));
            }
            Report report = new Report(options.date(), machine.finished(), "java -jar " + jar + " up", persons,
                    results, Math.round(loadSeconds * 10) / 10.0, Math.round(readySeconds * 10) / 10.0,
                    meanViewBytes, preheat.toSeconds(), warmup.toSeconds(), Math.round(idleCores * 1000) / 1000.0, Math.round(idleJvmCores * 1000) / 1000.0,
                    rounds);
            ResultFiles.write(options.out(), "api-read", options.date(), report, markdown(report));
        }
    }

    /** Each person registered (A04) and given {@code results} results in messages of five. */
    private static void send(int port, String[] nhsNumbers, int results) throws Exception {
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(HL7);
        try (MllpClient mllp = MllpClient.connect("127.0.0.1", port)) {
            for (int p = 0; p < nhsNumbers.length; p++) {
                String pid = "PID|1||" + nhsNumbers[p] + "^^^NHS^NH~APIR" + p + "^^^RHMX1^MR||Readtest" + p
                        + "^Invented||19" + (40 + p % 60) + "0" + (1 + p % 9) + "1" + (p % 9) + "|" + (p % 2 == 0
                        ? "F" : "M") + "|||" + (1 + p % 200) + " Example Road^^Leeds^^LS" + (1 + p % 28) + " 1AA\r";
                ack(mllp, "MSH|^~\\&|PAS|RHMX1|CW|CW|" + now + "||ADT^A04^ADT_A01|APIR-A-" + p + "|P|2.5\r"
                        + "EVN|A04\r" + pid + "PV1|1|O\r");
                for (int m = 0; m * 5 < results; m++) {
                    StringBuilder oru = new StringBuilder("MSH|^~\\&|LAB|RHMX1|CW|CW|" + now
                            + "||ORU^R01^ORU_R01|APIR-R-" + p + "-" + m + "|P|2.5\r" + pid);
                    String collected = ZonedDateTime.now(ZoneOffset.UTC).minusDays(7L * (m + 1)).format(HL7);
                    oru.append("OBR|1|PL").append(p).append('-').append(m).append("|FL").append(p).append('-')
                            .append(m).append("|PANEL^Panel^L|||").append(collected).append('\r');
                    for (int r = 0; r < 5 && m * 5 + r < results; r++) {
                        String[] test = TESTS[r % TESTS.length];
                        oru.append("OBX|").append(r + 1).append("|NM|").append(test[0]).append('^').append(test[1])
                                .append("^LN||").append(40 + (p + m + r) % 20).append('|').append(test[2])
                                .append("|||||F\r");
                    }
                    ack(mllp, oru.toString());
                }
            }
        }
    }

    private static void ack(MllpClient mllp, String message) throws Exception {
        String ack = mllp.send(message.getBytes(StandardCharsets.UTF_8));
        if (!ack.contains("MSA|AA|")) {
            throw new IllegalStateException("not accepted: " + ack.replace('\r', '\n'));
        }
    }

    /** Each person's id, once their view holds all their results (asked in order; the last ones come last). */
    private static List<String> personIds(Api api, String[] nhsNumbers, int results) throws Exception {
        List<String> ids = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        for (String nhs : nhsNumbers) {
            String id = null;
            while (id == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("views not ready after 10 minutes (" + ids.size() + " found)");
                }
                HttpResponse<String> found = api.get("/api/persons?identifier="
                        + URLEncoder.encode(NHS + "|" + nhs, StandardCharsets.UTF_8));
                JsonNode list = found.statusCode() == 200 ? JSON.readTree(found.body()).path("persons") : null;
                if (list != null && list.size() == 1) {
                    String candidate = list.get(0).path("personId").asText();
                    HttpResponse<String> view = api.get("/api/persons/" + candidate);
                    if (view.statusCode() == 200 && JSON.readTree(view.body()).path("results").size() >= results) {
                        id = candidate;
                    }
                }
                if (id == null) {
                    Thread.sleep(200);
                }
            }
            ids.add(id);
        }
        return ids;
    }

    private static Round round(Api api, CareweaveUp up, List<String> personIds, int clients, Duration warmup,
                               Duration measured, double idleCores, double idleJvmCores) throws Exception {
        Map<String, Histogram> byEndpoint = new LinkedHashMap<>();
        for (String e : List.of("view", "results", "recent-tests")) {
            byEndpoint.put(e, Latency.newHistogram());
        }
        AtomicLong errors = new AtomicLong();
        runClients(api, personIds, clients, warmup, null, new AtomicLong());
        long cpuBefore = up.treeCpuNanos();
        long jvmBefore = up.careweaveCpuNanos();
        long clientCpuBefore = ProcessCpu.ownNanos();
        long start = System.nanoTime();
        runClients(api, personIds, clients, measured, byEndpoint, errors);
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = Math.max(0, up.treeCpuNanos() - cpuBefore - (long) (idleCores * seconds * 1e9));
        long jvm = Math.max(0, up.careweaveCpuNanos() - jvmBefore - (long) (idleJvmCores * seconds * 1e9));
        long clientCpu = ProcessCpu.ownNanos() - clientCpuBefore;
        Histogram all = Latency.newHistogram();
        List<EndpointFigures> endpoints = new ArrayList<>();
        for (Map.Entry<String, Histogram> e : byEndpoint.entrySet()) {
            all.add(e.getValue());
            endpoints.add(new EndpointFigures(e.getKey(), e.getValue().getTotalCount(),
                    Latency.of(e.getValue())));
        }
        long requests = all.getTotalCount();
        System.out.printf(Locale.ROOT, "%d clients: %,.0f reads/s, p99 %.1f ms, %d errors%n", clients,
                requests / seconds, Latency.of(all).p99Ms(), errors.get());
        return new Round(clients, Math.round(seconds * 10) / 10.0, requests,
                Math.round(requests / seconds * 10) / 10.0, errors.get(), Latency.of(all), endpoints,
                Math.round(cpu / 1e3 / Math.max(1, requests) * 10) / 10.0,
                Math.round(jvm / 1e3 / Math.max(1, requests) * 10) / 10.0,
                Math.round(clientCpu / 1e3 / Math.max(1, requests) * 10) / 10.0);
    }

    /** {@code clients} closed loops for {@code time}; latencies recorded only when {@code byEndpoint} is given. */
    private static void runClients(Api api, List<String> personIds, int clients, Duration time,
                                   Map<String, Histogram> byEndpoint, AtomicLong errors) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            runClients(pool, api, personIds, clients, time, byEndpoint, errors);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void runClients(ExecutorService pool, Api api, List<String> personIds, int clients,
                                   Duration time, Map<String, Histogram> byEndpoint, AtomicLong errors)
            throws Exception {
        long end = System.nanoTime() + time.toNanos();
        List<Future<Map<String, Histogram>>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long seed = 17L * (c + 1) + clients;
            running.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                Map<String, Histogram> own = new LinkedHashMap<>();
                while (System.nanoTime() < end) {
                    String person = personIds.get(random.nextInt(personIds.size()));
                    int pick = random.nextInt(100);
                    String endpoint = pick < VIEW_SHARE ? "view" : pick < VIEW_SHARE + RESULTS_SHARE ? "results"
                            : "recent-tests";
                    String path = switch (endpoint) {
                        case "view" -> "/api/persons/" + person;
                        case "results" -> "/api/persons/" + person + "/results?code=" + HBA1C;
                        default -> "/api/persons/" + person + "/recent-tests?code=" + HBA1C;
                    };
                    long start = System.nanoTime();
                    HttpResponse<String> response = api.get(path);
                    long micros = (System.nanoTime() - start) / 1_000;
                    if (response.statusCode() != 200) {
                        errors.incrementAndGet();
                    }
                    own.computeIfAbsent(endpoint, e -> Latency.newHistogram()).recordValue(Math.max(1, micros));
                }
                return own;
            }));
        }
        for (Future<Map<String, Histogram>> f : running) {
            Map<String, Histogram> own = f.get();
            if (byEndpoint != null) {
                own.forEach((e, h) -> byEndpoint.get(e).add(h));
            }
        }
    }

    /** The API with the admin token (a clinician's token reads the same; admin needs no tokens file). */
    private record Api(HttpClient http, String base, String token) {

        HttpResponse<String> get(String path) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base.replaceAll("/$", "") + path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String markdown(Report r) {
        StringBuilder s = new StringBuilder();
        s.append("# Query API reads, ").append(r.date()).append("\n\n").append(r.machine().describe()).append("\n\n");
        s.append(String.format(Locale.ROOT, "`%s` (default JVM settings) holding %,d invented persons with %d results"
                        + " each (sent over MLLP in %.1f s; all views served %.1f s later; a view is about %,d bytes"
                        + " of JSON). Clients read in closed loops: %d%% the person's view, %d%% their HbA1c"
                        + " results, %d%% the \"before you order\" check for HbA1c, each for a random person, with"
                        + " one audit row written and committed per read. The clients run in the benchmark's JVM on"
                        + " the same 2 cores, after %.0f s of unmeasured reads at 8 clients (so that the JIT compiler"
                        + " has compiled the read path) and %.0f s more at each round's concurrency. careweave's CPU per read includes its registry and PostgreSQL, less"
                        + " what it used with nobody reading (%.2f cores, of which its JVM %.2f, measured for 15 s"
                        + " before the rounds). The JSON also has the JVM's share less its own idle use, which the"
                        + " JIT compiler's varying background makes unreliable.%n%n",
                r.command(), r.persons(), r.resultsPerPerson(), r.loadSeconds(), r.viewsReadySeconds(),
                r.meanViewBytes(), VIEW_SHARE, RESULTS_SHARE, 100 - VIEW_SHARE - RESULTS_SHARE, r.preheatSeconds(),
                r.warmupSeconds(), r.idleCores(),
                r.idleJvmCores()));
        s.append("| clients | reads/s | p50 ms | p99 ms | p99.9 ms | max ms | errors | careweave CPU µs/read "
                + "| client CPU µs/read |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Round round : r.rounds()) {
            s.append(String.format(Locale.ROOT,
                    "| %d | %,.0f | %.2f | %.2f | %.2f | %.1f | %d | %,.0f | %,.0f |%n",
                    round.clients(), round.readsPerSecond(), round.all().p50Ms(), round.all().p99Ms(),
                    round.all().p999Ms(), round.all().maxMs(), round.errors(), round.careweaveCpuMicrosPerRead(),
                    round.clientCpuMicrosPerRead()));
        }
        s.append("\nBy endpoint:\n\n| clients | endpoint | reads | p50 ms | p99 ms | p99.9 ms |\n"
                + "|---:|---|---:|---:|---:|---:|\n");
        for (Round round : r.rounds()) {
            for (EndpointFigures e : round.endpoints()) {
                s.append(String.format(Locale.ROOT, "| %d | %s | %,d | %.2f | %.2f | %.2f |%n", round.clients(),
                        e.endpoint(), e.requests(), e.latency().p50Ms(), e.latency().p99Ms(),
                        e.latency().p999Ms()));
            }
        }
        return s.toString();
    }
}
