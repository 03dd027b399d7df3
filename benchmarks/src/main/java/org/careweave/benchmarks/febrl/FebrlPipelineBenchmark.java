package org.careweave.benchmarks.febrl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.careweave.benchmarks.common.Machine;
import org.careweave.benchmarks.common.Options;
import org.careweave.benchmarks.common.PlatformProcess;
import org.careweave.benchmarks.common.ResultFiles;
import org.careweave.benchmarks.common.Stats;
import org.careweave.benchmarks.stream.PipelineProcess;
import org.careweave.benchmarks.stream.TopicTail;
import org.careweave.events.IdentityLink;
import org.careweave.events.IdentityReview;
import org.careweave.events.PatientEvent;
import org.careweave.benchmarks.load.PipelinedMllpSender;
import org.careweave.processors.identity.matching.MatchModel;
import org.careweave.schemas.topics.Topics;

/**
 * FEBRL4 through the whole pipeline (issue 4): every record of dataset4a is sent over MLLP as an ADT^A28 from
 * facility FEBRLA, then every record of dataset4b from FEBRLB (one connection, pipelined, so the order is kept), with no NHS number and the facility's own counter as
 * local id (rec_id is kept aside only to score). Ingest and mapping turn them into patient events; then the stream
 * processors are started on that backlog, and the identity topology links them. The latest identity.links record
 * per source identifier gives each record's person; cross-facility pairs in one person are scored against FEBRL's
 * 5,000 true pairs.
 *
 * <p>The identity model is estimated by EM on the records themselves (no labels) and deployed as the
 * {@code identity.model} file, as an operator would. Scenarios: demographics only; and soc_sec_id sent as an extra
 * PID-3 identifier with its own assigning authority (FEBRLSSN).
 *
 * <p>Options: {@code --data DIR --out DIR --date yyyy-mm-dd --scenarios demographics,socsecid}.
 */
public final class FebrlPipelineBenchmark {

    private static final String FACILITY_A = Febrl4.FACILITY_A;
    private static final String FACILITY_B = Febrl4.FACILITY_B;
    /** Unanswered messages allowed on the sending connection; careweave answers them in order. */
    private static final int SEND_WINDOW = 200;
    private static final Duration QUIET = Duration.ofSeconds(4);
    private static final Duration LINKING_TIMEOUT = Duration.ofMinutes(10);

    public record Scenario(String name, String fields, int records, long ackedAa, long ackedOther,
                           double sendSeconds, double sendRecordsPerSecond, int patientEvents, int linkedRecords,
                           int persons, long linkRecords, long truePairs, long predictedPairs, long correctPairs,
                           double precision, double recall, double f1, int reviewPairs, int reviewPairsTrue,
                           double recallAfterReview, Map<String, Long> linksByRule, double firstToLastLinkSeconds,
                           double identityRecordsPerSecond, double startToLastLinkSeconds,
                           double recordsPerSecondIncludingStartup, double processorsCpuSeconds) {
    }

    public record Report(String date, Machine machine, String order, String model, List<Scenario> scenarios) {
    }

    private FebrlPipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, Set.of());
        List<String> scenarios = List.of(options.text("scenarios", "demographics,socsecid").split(","));
        Febrl4 febrl = Febrl4.read(Febrl4.dataDir(options));
        List<FebrlRecord> a = febrl.a();
        List<FebrlRecord> b = febrl.b();
        Path logDir = Path.of("benchmarks/target/logs/febrl-pipeline");
        Files.createDirectories(logDir);
        Machine machine = Machine.now();

        MatchModel model = febrl.estimatedModel();
        Path modelFile = logDir.resolve("febrl4-model.json").toAbsolutePath();
        Files.writeString(modelFile, model.toJson());

        List<Scenario> results = new ArrayList<>();
        List<String> prefixes = scenarios.stream().map(s -> "febrl-" + s + ".").toList();
        try (PlatformProcess platform = PlatformProcess.start(prefixes, 3, logDir)) {
            for (String scenario : scenarios) {
                boolean withSocSecId = scenario.equals("socsecid");
                results.add(run(platform, "febrl-" + scenario + ".", scenario,
                        withSocSecId ? "demographics + soc_sec_id as PID-3 (authority FEBRLSSN)" : "demographics",
                        a, b, withSocSecId, modelFile, logDir));
            }
        }
        Report report = new Report(options.date(), machine.finished(),
                "dataset4a from FEBRLA, then dataset4b from FEBRLB, in file order, over one pipelined MLLP connection "
                        + "(up to " + SEND_WINDOW + " unanswered; careweave stores and answers in order)",
                "estimated by EM on the 10,000 records' demographics (no labels), deployed as identity.model; "
                        + "shipped thresholds and guards", results);
        ResultFiles.write(options.out(), "febrl-pipeline", options.date(), report, markdown(report));
    }

    private static Scenario run(PlatformProcess platform, String prefix, String name, String fields,
                                List<FebrlRecord> a, List<FebrlRecord> b, boolean withSocSecId, Path model,
                                Path logDir) throws IOException, InterruptedException {
        int n = a.size() + b.size();
        AtomicLong patientEvents = new AtomicLong();
        long aa = 0;
        long other = 0;
        double sendSeconds;
        try (PipelineProcess ingest = PipelineProcess.start(platform, prefix, "ingest,mapping", null,
                logDir.resolve(name + "-ingest.log"), List.of());
             TopicTail<PatientEvent> events = TopicTail.avro(platform.bootstrapServers(),
                     platform.schemaRegistryUrl(), Topics.PATIENT_EVENTS.name(prefix), PatientEvent.class,
                     (r, at) -> patientEvents.incrementAndGet())) {
            List<byte[]> messages = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                messages.add(FebrlMessages.registration(a.get(i), FACILITY_A, i + 1, withSocSecId));
            }
            for (int i = 0; i < b.size(); i++) {
                messages.add(FebrlMessages.registration(b.get(i), FACILITY_B, i + 1, withSocSecId));
            }
            PipelinedMllpSender.Outcome sent = PipelinedMllpSender.send("127.0.0.1", ingest.mllpPort(), messages,
                    SEND_WINDOW);
            sendSeconds = sent.seconds();
            aa = sent.aa();
            other = sent.other();
            waitFor(() -> patientEvents.get() >= n, Duration.ofMinutes(5));
        }
        System.err.printf(Locale.ROOT, "%s: %d records sent in %.1f s (%d AA, %d other); %d patient events%n", name,
                n, sendSeconds, aa, other, patientEvents.get());

        Map<String, String> personByIdentifier = new ConcurrentHashMap<>();
        Map<String, String> ruleByIdentifier = new ConcurrentHashMap<>();
        AtomicLong firstLink = new AtomicLong();
        AtomicLong lastLink = new AtomicLong();
        List<IdentityReview> reviews = java.util.Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        double cpuSeconds;
        long linkRecords;
        try (PipelineProcess processors = PipelineProcess.start(platform, prefix, "processors", model,
                logDir.resolve(name + "-processors.log"), List.of());
             TopicTail<IdentityLink> links = TopicTail.avro(platform.bootstrapServers(), platform.schemaRegistryUrl(),
                     Topics.IDENTITY_LINKS.name(prefix), IdentityLink.class, (r, at) -> {
                         firstLink.compareAndSet(0, at);
                         lastLink.set(at);
                         if (r.value() == null) {
                             personByIdentifier.remove(r.key());
                         } else {
                             personByIdentifier.put(r.key(), r.value().getPersonId());
                             ruleByIdentifier.put(r.key(), r.value().getRule());
                         }
                     });
             TopicTail<IdentityReview> reviewTail = TopicTail.avro(platform.bootstrapServers(),
                     platform.schemaRegistryUrl(), Topics.IDENTITY_REVIEW.name(prefix), IdentityReview.class,
                     (r, at) -> {
                         if (r.value() != null) {
                             reviews.add(r.value());
                         }
                     })) {
            long cpu0 = processors.cpuNanos();
            waitFor(() -> febrlLinked(personByIdentifier) >= n
                    && System.nanoTime() - lastLink.get() > QUIET.toNanos(), LINKING_TIMEOUT);
            cpuSeconds = (processors.cpuNanos() - cpu0) / 1e9;
            linkRecords = links.records();
        }
        Map<String, Long> rules = new java.util.TreeMap<>();
        ruleByIdentifier.forEach((key, rule) -> {
            if (isFebrl(key)) {
                rules.merge(rule, 1L, Long::sum);
            }
        });
        return score(name, fields, a, b, aa, other, sendSeconds, (int) patientEvents.get(), personByIdentifier,
                rules, reviews, firstLink.get(), lastLink.get(), started, cpuSeconds, linkRecords);
    }

    private static Scenario score(String name, String fields, List<FebrlRecord> a, List<FebrlRecord> b, long aa,
                                  long other,
                                  double sendSeconds, int patientEvents, Map<String, String> personByIdentifier,
                                  Map<String, Long> rules, List<IdentityReview> reviews, long firstLink,
                                  long lastLink, long started, double cpuSeconds, long linkRecords) {
        int sizeA = a.size();
        int n = sizeA + b.size();
        int[] person = new int[n];
        int[] entity = new int[n];
        boolean[] fromB = new boolean[n];
        Map<String, Integer> personIds = new HashMap<>();
        int linked = 0;
        for (int i = 0; i < n; i++) {
            boolean inB = i >= sizeA;
            fromB[i] = inB;
            FebrlRecord r = inB ? b.get(i - sizeA) : a.get(i);
            entity[i] = r.entity();
            String personId = personByIdentifier.get(identifier(inB ? FACILITY_B : FACILITY_A,
                    inB ? i - sizeA + 1 : i + 1));
            if (personId != null) {
                linked++;
            }
            // A record without a link is a person of its own.
            person[i] = personIds.computeIfAbsent(personId == null ? "unlinked-" + i : personId,
                    k -> personIds.size());
        }
        PairScore score = PairScore.of(person, entity, fromB, true);
        int reviewTrue = 0;
        int[] afterReview = person.clone();
        for (IdentityReview review : reviews) {
            int left = index(review.getLeftIdentifier(), sizeA);
            int right = index(review.getRightIdentifier(), sizeA);
            if (left >= 0 && right >= 0 && fromB[left] != fromB[right] && entity[left] == entity[right]) {
                reviewTrue++;
                int from = afterReview[right];
                int to = afterReview[left];
                for (int i = 0; i < n; i++) {
                    if (afterReview[i] == from) {
                        afterReview[i] = to;
                    }
                }
            }
        }
        PairScore reviewed = PairScore.of(afterReview, entity, fromB, true);
        double firstToLast = (lastLink - firstLink) / 1e9;
        double startToLast = (lastLink - started) / 1e9;
        return new Scenario(name, fields, n, aa, other, Stats.round(sendSeconds, 2),
                Stats.round(n / sendSeconds, 0), patientEvents, linked, (int) Arrays.stream(person).distinct().count(),
                linkRecords, score.truePairs(), score.predictedPairs(), score.correctPairs(),
                Stats.round(score.precision(), 4), Stats.round(score.recall(), 4), Stats.round(score.f1(), 4),
                reviews.size(), reviewTrue, Stats.round(reviewed.recall(), 4), new LinkedHashMap<>(rules),
                Stats.round(firstToLast, 2), Stats.round(n / firstToLast, 0), Stats.round(startToLast, 2),
                Stats.round(n / startToLast, 0), Stats.round(cpuSeconds, 1));
    }

    private static String identifier(String facility, int localId) {
        return facility + "|" + localId;
    }

    private static boolean isFebrl(String key) {
        return key != null && (key.startsWith(FACILITY_A + "|") || key.startsWith(FACILITY_B + "|"));
    }

    private static int febrlLinked(Map<String, String> personByIdentifier) {
        int count = 0;
        for (String key : personByIdentifier.keySet()) {
            if (isFebrl(key)) {
                count++;
            }
        }
        return count;
    }

    /** The record index of FEBRLA|n or FEBRLB|n, or -1 for any other identifier. */
    private static int index(String identifier, int sizeA) {
        if (!isFebrl(identifier)) {
            return -1;
        }
        int local = Integer.parseInt(identifier.substring(identifier.indexOf('|') + 1));
        return identifier.startsWith(FACILITY_A) ? local - 1 : sizeA + local - 1;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                System.err.println("timed out after " + timeout + "; scoring what arrived");
                return;
            }
            Thread.sleep(100);
        }
    }

    private static String markdown(Report r) {
        StringBuilder s = new StringBuilder();
        s.append("# FEBRL4 through the pipeline (MLLP -> mapping -> identity), ").append(r.date()).append("\n\n")
                .append(r.machine().describe()).append("\n\n");
        s.append("Order: ").append(r.order()).append(". Model: ").append(r.model()).append(". The stream processors "
                + "start once all 10,000 patient events are mapped and work through that backlog; records/s is "
                + "10,000 ÷ (last identity.links record − first), as a read_committed consumer sees them.\n\n");
        s.append("| fields | records | AA | precision | recall | F1 | true pairs | linked pairs | review pairs (true) "
                + "| recall after review | persons | MLLP send records/s | identity records/s | incl. start-up "
                + "| processors CPU s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Scenario x : r.scenarios()) {
            s.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.4f | %.4f | %.4f | %,d | %,d | %d (%d) | %.4f "
                            + "| %,d | %,.0f | %,.0f | %,.0f | %.1f |%n", x.fields(), x.records(), x.ackedAa(),
                    x.precision(), x.recall(), x.f1(), x.truePairs(), x.predictedPairs(), x.reviewPairs(),
                    x.reviewPairsTrue(), x.recallAfterReview(), x.persons(), x.sendRecordsPerSecond(),
                    x.identityRecordsPerSecond(), x.recordsPerSecondIncludingStartup(), x.processorsCpuSeconds()));
        }
        s.append("\nLinks by rule (latest per FEBRL identifier): ");
        for (Scenario x : r.scenarios()) {
            s.append(x.fields()).append(": ").append(x.linksByRule()).append("; ");
        }
        s.setLength(s.length() - 2);
        s.append(".\n");
        return s.toString();
    }
}
