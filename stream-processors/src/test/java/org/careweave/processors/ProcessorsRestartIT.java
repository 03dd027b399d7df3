package org.careweave.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.IdentityLink;
import org.careweave.events.IdentityReview;
import org.careweave.events.PersonGolden;
import org.careweave.events.PersonView;
import org.careweave.events.RepeatTestAlert;
import org.careweave.ingest.TopicContents;
import org.careweave.internal.PersonState;
import org.careweave.platform.Directories;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topic;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kill the stream processors with SIGKILL at random moments mid-stream and restart them: under exactly-once they end
 * with exactly the outputs of a run that was never interrupted.
 *
 * <p>Two topic prefixes get the same seeded workload ({@link RestartWorkload}) on the processors' inputs, one
 * partition per topic so that identity's input order is fixed. The processors run in JVMs of their own
 * ({@link ProcessorsProcess}, on a copy of this JVM's class path taken when the test starts, so that a build elsewhere
 * cannot swap the code under them). Prefix A is processed straight through. Prefix B is processed by processors that
 * are killed with SIGKILL again and again, each kill at a random moment (seeded) while they work, and restarted:
 * half the restarts on the state directory as the kill left it, half on a wiped one, so that every store is restored
 * from its changelog (once with a new process id too, as a new machine would be). Then both are compared:
 *
 * <ul>
 *   <li>identity.links, person.golden and identity.review: every committed record, in order (identity is one
 *       ordered writer; a duplicate or a lost decision would show);</li>
 *   <li>results.current and person.views as tables (latest value per key, tombstones remove); a view's version
 *       and updatedAt are left out (see {@link Outputs}: both depend on timing even without restarts);</li>
 *   <li>alerts.repeat-tests: every committed alert, each alert id once.</li>
 * </ul>
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class ProcessorsRestartIT {

    private static final Logger log = LoggerFactory.getLogger(ProcessorsRestartIT.class);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String STRAIGHT = "restart-" + RUN + "-straight.";
    private static final String KILLED = "restart-" + RUN + "-killed.";
    private static final long WORKLOAD_SEED = 20_260_311L;
    private static final int PERSONS = 40;
    private static final long KILL_SEED = 11L;
    private static final int KILLS = 6;
    private static final Duration FINISH = Duration.ofSeconds(90);
    private static final Duration PROGRESS = Duration.ofSeconds(60);
    /** Outputs unchanged this long, with every input consumed, means the processors are done. */
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static String childClassPath;
    /**
     * The children's state dirs, logs, class path copies and temporary files (RocksDB unpacks its native library
     * there, and a killed child never removes its copy): removed when the test passes, kept for a look when it fails.
     */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path work;
    private static int killsInterruptingTheStream;
    private static final List<Topic<?>> INPUTS = List.of(Topics.PATIENT_EVENTS, Topics.OBSERVATION_EVENTS,
            Topics.ENCOUNTER_EVENTS);

    /** What a restart finds in the state directory the kill left. */
    private enum StateDir {
        /** As the kill left it. */
        KEPT,
        /** Task directories deleted: every store is restored from its changelog; the process id is kept. */
        STORES_WIPED,
        /**
         * Everything deleted, process id too: a new machine. Its producers have new transactional ids and so do not
         * fence the killed ones; the test fences those itself rather than wait for the broker to time them out.
         */
        ALL_WIPED
    }

    @Test
    void processorsKilledWithSigkillAgainAndAgainEndIdenticalToARunStraightThrough(Platform platform)
            throws Exception {
        childClassPath(); // first, so that the children run the code this test started with
        List<RestartWorkload.Input> workload = RestartWorkload.generate(WORKLOAD_SEED, PERSONS);
        log.info("Workload: {} input records about {} invented persons", workload.size(), PERSONS);
        for (String prefix : List.of(STRAIGHT, KILLED)) {
            TopicProvisioner.ensureTopics(platform.bootstrapServers(), prefix, 1, (short) 1);
            produce(platform, prefix, workload);
        }

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers()))) {
            Progress straightProgress = new Progress(admin, platform.bootstrapServers(), STRAIGHT);
            long started = System.nanoTime();
            Path straightOutput = work.resolve("processors-straight.log");
            Process processors = startChild(platform, STRAIGHT, straightProgress.applicationId,
                    Files.createDirectory(work.resolve("processors-straight")), straightOutput);
            try {
                straightProgress.awaitFinished(FINISH, processors::isAlive, straightOutput);
            } finally {
                processors.destroyForcibly();
                processors.waitFor(30, TimeUnit.SECONDS);
            }
            log.info("Straight run: finished in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
            Outputs straight = Outputs.read(platform, STRAIGHT);
            straight.assertCoversTheWorkload();
            straight.assertConsistent("straight run");

            Outputs killed = runKilledAgainAndAgain(platform, admin, straight.countedRecords);
            try {
                assertSame(straight, killed);
            } catch (AssertionError e) {
                for (String person : straight.views.keySet()) {
                    if (!straight.views.get(person).equals(killed.views.get(person))) {
                        logHistory(platform, person);
                        break;
                    }
                }
                throw e;
            }
            killed.assertConsistent("killed run");
            assertThat(killsInterruptingTheStream)
                    .as("kills before every input was consumed and every view published")
                    .isGreaterThanOrEqualTo(KILLS - 1);
        }
    }

    /**
     * Aims each kill at a random point of an even share of the work left, counted in committed output records (the
     * identity topics, results and alerts: their counts do not depend on timing), so that kills spread over the whole
     * stream however fast the machine is; the kill then comes up to 100 ms later, while a transaction is open.
     */
    private Outputs runKilledAgainAndAgain(Platform platform, Admin admin, long total) throws Exception {
        Progress progress = new Progress(admin, platform.bootstrapServers(), KILLED);
        Path stateDir = Files.createDirectory(work.resolve("processors-killed"));
        Path output = work.resolve("processors-killed.log");
        Random random = new Random(KILL_SEED);
        // Half the restarts on the state directory the kill left, half on a wiped one (once with everything wiped).
        List<StateDir> restarts = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            restarts.add(i < KILLS / 2 ? StateDir.KEPT : i == KILLS / 2 ? StateDir.ALL_WIPED : StateDir.STORES_WIPED);
        }
        Collections.shuffle(restarts, random);
        int killsMidStream = 0;
        long started = System.nanoTime();
        Process child = null;
        try (OutputCounter counter = new OutputCounter(platform, KILLED)) {
            for (int kill = 0; kill < KILLS; kill++) {
                long before = counter.count();
                long share = Math.max(1, (total - before) / (KILLS - kill + 1));
                long target = before + 1 + random.nextInt((int) share);
                long startedChild = System.nanoTime();
                Process running = startChild(platform, KILLED, progress.applicationId, stateDir, output);
                child = running;
                awaitOutputs(counter, target, progress, running, "kill " + (kill + 1) + "; output in " + output);
                Thread.sleep(random.nextInt(100));
                running.destroyForcibly();
                assertThat(running.waitFor(30, TimeUnit.SECONDS)).as("killed child ended").isTrue();
                child = null;
                boolean midStream = !progress.inputsConsumed() || !progress.owedViews().isEmpty();
                if (midStream) {
                    killsMidStream++;
                }
                StateDir restart = restarts.get(kill);
                long evicting = System.nanoTime();
                progress.evictMembers();
                log.info("Kill {}: {} ms after the start, {} of about {} output records committed{}; restart with "
                                + "state dir {} ({} ms to evict the killed member)", kill + 1,
                        Duration.ofNanos(evicting - startedChild).toMillis(), counter.count(), total,
                        midStream ? ", mid-stream" : "", restart,
                        Duration.ofNanos(System.nanoTime() - evicting).toMillis());
                switch (restart) {
                    case KEPT -> {
                    }
                    case STORES_WIPED -> wipeStores(stateDir.resolve(progress.applicationId));
                    case ALL_WIPED -> {
                        Directories.deleteRecursively(stateDir);
                        Files.createDirectories(stateDir);
                        progress.fenceOpenTransactions();
                    }
                }
            }
            Process last = startChild(platform, KILLED, progress.applicationId, stateDir, output);
            child = last;
            progress.awaitFinished(FINISH, last::isAlive, output);
            assertThat(last.isAlive()).as("child processors alive at the end; output in %s", output).isTrue();
        } finally {
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
        }
        log.info("Killed run: {} kills, {} of them mid-stream, finished in {} ms (child output in {})", KILLS,
                killsMidStream, Duration.ofNanos(System.nanoTime() - started).toMillis(), output);
        killsInterruptingTheStream = killsMidStream;
        return Outputs.read(platform, KILLED);
    }

    /**
     * Waits until the run has committed {@code target} output records, or has nothing left to do (every input
     * consumed and no new output for {@link #QUIET}).
     */
    private static void awaitOutputs(OutputCounter counter, long target, Progress progress, Process child,
                                     String what) throws InterruptedException {
        long deadline = System.nanoTime() + PROGRESS.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (counter.count() < target) {
            assertThat(child.isAlive()).as("child processors alive (%s)", what).isTrue();
            long now = System.nanoTime();
            long count = counter.count();
            if (count != last) {
                last = count;
                lastChange = now;
            } else if (now - lastChange > QUIET.toNanos() && progress.inputsConsumed()
                    && progress.owedViews().isEmpty()) {
                return;
            }
            if (now > deadline) {
                fail("Timed out after " + PROGRESS + " waiting for " + target + " output records, " + count
                        + " committed (" + what + ")");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Logs, for a person whose final view differs, what the killed run committed about them: every view and golden
     * record, and every value of the person's entries in the views task's changelogs, so that a failure shows
     * where the run went astray (invented people only).
     */
    private static void logHistory(Platform platform, String person) {
        log.info("History of {} in the killed run:", person);
        for (ConsumerRecord<String, PersonView> r : TopicContents.<PersonView>all(platform,
                Topics.PERSON_VIEWS.name(KILLED))) {
            if (person.equals(r.key())) {
                log.info("  person.views @{} t={} {}", r.offset(), r.timestamp(), r.value() == null ? "tombstone"
                        : "version " + r.value().getVersion() + ", " + r.value().getIdentifiers().size()
                        + " identifiers, " + r.value().getResults().size() + " results, "
                        + r.value().getEncounters().size() + " encounters");
            }
        }
        for (ConsumerRecord<String, PersonGolden> r : TopicContents.<PersonGolden>all(platform,
                Topics.PERSON_GOLDEN.name(KILLED))) {
            if (person.equals(r.key())) {
                log.info("  person.golden @{} t={} version {}, {} identifiers, merged {}, merged into {}",
                        r.offset(), r.timestamp(), r.value().getVersion(), r.value().getIdentifiers().size(),
                        r.value().getMergedPersonIds(), r.value().getMergedInto());
            }
        }
        Deserializer<PersonState> states = AvroSerdes.specific(PersonState.class,
                Map.of("schema.registry.url", platform.schemaRegistryUrl()), false).deserializer();
        for (String store : List.of("person-states", "person-results", "person-views-pending")) {
            TopicPartition changelog = new TopicPartition(KILLED + "processors-" + store + "-changelog", 0);
            // Diagnostics only: what could be read in the time is logged, the rest is not waited for.
            readChangelog(platform.bootstrapServers(), changelog, r -> {
                if (person.equals(r.key())) {
                    String value = r.value() == null ? "tombstone" : !store.equals("person-states")
                            ? r.value().length + " bytes" : summary(states.deserialize(changelog.topic(), r.value()));
                    log.info("  {} changelog @{} t={} {}", store, r.offset(), r.timestamp(), value);
                }
            });
        }
    }

    /**
     * Reads one changelog partition from its start to its end as a read_committed consumer, handing every record
     * to {@code each}; false when the end was not reached within 10 seconds.
     */
    private static boolean readChangelog(String bootstrapServers, TopicPartition changelog,
                                         Consumer<ConsumerRecord<String, byte[]>> each) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(changelog));
            consumer.seekToBeginning(List.of(changelog));
            long end = consumer.endOffsets(List.of(changelog)).get(changelog);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(changelog) < end) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                consumer.poll(Duration.ofMillis(100)).forEach(each);
            }
            return true;
        }
    }

    private static String summary(PersonState state) {
        PersonGolden golden = state.getGolden();
        return "version " + state.getVersion() + ", golden " + (golden == null ? "none" : "version "
                + golden.getVersion() + " with " + golden.getIdentifiers().size() + " identifiers") + ", "
                + state.getEncounters().size() + " encounters, " + state.getPublishedResultIds().size()
                + " published results, merged into " + state.getMergedInto();
    }

    // ---- comparison ---------------------------------------------------------------------------------------------

    private static void assertSame(Outputs straight, Outputs killed) {
        List<String> differences = new ArrayList<>();
        compareSequences("identity.links", straight.links, killed.links, differences);
        compareSequences("person.golden", straight.golden, killed.golden, differences);
        compareSequences("identity.review", straight.reviews, killed.reviews, differences);
        compareTables("results.current", straight.results, killed.results, differences);
        compareTables("person.views", straight.views, killed.views, differences);
        compareTables("alerts.repeat-tests", straight.alerts, killed.alerts, differences);
        if (!differences.isEmpty()) {
            fail("The killed run differs from the straight run:\n" + String.join("\n", differences));
        }
    }

    private static void compareSequences(String topic, List<String> expected, List<String> actual,
                                         List<String> differences) {
        if (expected.equals(actual)) {
            return;
        }
        int first = 0;
        while (first < expected.size() && first < actual.size() && expected.get(first).equals(actual.get(first))) {
            first++;
        }
        differences.add(topic + ": " + expected.size() + " records straight, " + actual.size()
                + " killed; first difference at record " + first + ":\n  straight: "
                + (first < expected.size() ? expected.get(first) : "(none)") + "\n  killed:   "
                + (first < actual.size() ? actual.get(first) : "(none)") + recordsPerKey(expected, actual));
    }

    /**
     * Keys whose number of records differs between the runs (records are "key = value"), at most five: one CI run
     * reported a killed run with exactly one record per key where the straight run had several, which this tells
     * apart from records missing or in another order.
     */
    private static String recordsPerKey(List<String> expected, List<String> actual) {
        Map<String, Long> straight = expected.stream()
                .collect(Collectors.groupingBy(r -> r.substring(0, r.indexOf(" = ")), TreeMap::new,
                        Collectors.counting()));
        Map<String, Long> killed = actual.stream()
                .collect(Collectors.groupingBy(r -> r.substring(0, r.indexOf(" = ")), TreeMap::new,
                        Collectors.counting()));
        Set<String> keys = new TreeSet<>(straight.keySet());
        keys.addAll(killed.keySet());
        List<String> differing = keys.stream()
                .filter(k -> !straight.getOrDefault(k, 0L).equals(killed.getOrDefault(k, 0L)))
                .toList();
        if (differing.isEmpty()) {
            return "\n  the same number of records per key in both runs (" + keys.size() + " keys)";
        }
        StringBuilder out = new StringBuilder("\n  " + differing.size() + " of " + keys.size()
                + " keys have a different number of records (straight/killed):");
        differing.stream().limit(5).forEach(k -> out.append(' ').append(k).append(' ')
                .append(straight.getOrDefault(k, 0L)).append('/').append(killed.getOrDefault(k, 0L)));
        return out.toString();
    }

    private static void compareTables(String topic, Map<String, String> expected, Map<String, String> actual,
                                      List<String> differences) {
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        int shown = 0;
        int differing = 0;
        StringBuilder detail = new StringBuilder();
        for (String key : keys) {
            String e = expected.get(key);
            String a = actual.get(key);
            if (e == null ? a == null : e.equals(a)) {
                continue;
            }
            differing++;
            if (shown++ < 5) {
                detail.append("\n  ").append(key).append("\n    straight: ").append(e).append("\n    killed:   ")
                        .append(a);
            }
        }
        if (differing > 0) {
            differences.add(topic + ": " + differing + " of " + keys.size() + " keys differ (" + expected.size()
                    + " straight, " + actual.size() + " killed)" + detail);
        }
    }

    // ---- outputs ------------------------------------------------------------------------------------------------

    /** What a run left on its output topics, as comparable text. */
    private static final class Outputs {
        final List<String> links;
        final List<String> golden;
        final List<String> reviews;
        final Map<String, Long> reviewReasons;
        final Map<String, String> results;
        final Map<String, String> views;
        /** Alert id → alert; every committed alert. */
        final Map<String, String> alerts;
        final List<String> duplicateAlertIds;
        final Map<String, PersonGolden> goldenTable;
        final Map<String, IdentityLink> linkTable;
        final Map<String, DeduplicatedResult> resultTable;
        final Map<String, PersonView> viewTable;
        final int resultRecords;
        /** Committed records on the topics {@link OutputCounter} counts. */
        final long countedRecords;

        private Outputs(Platform platform, String prefix) {
            CompletableFuture<List<ConsumerRecord<String, IdentityLink>>> linkReads =
                    read(platform, prefix, Topics.IDENTITY_LINKS);
            CompletableFuture<List<ConsumerRecord<String, PersonGolden>>> goldenReads =
                    read(platform, prefix, Topics.PERSON_GOLDEN);
            CompletableFuture<List<ConsumerRecord<String, IdentityReview>>> reviewReads =
                    read(platform, prefix, Topics.IDENTITY_REVIEW);
            CompletableFuture<List<ConsumerRecord<String, DeduplicatedResult>>> resultReads =
                    read(platform, prefix, Topics.RESULTS_CURRENT);
            CompletableFuture<List<ConsumerRecord<String, PersonView>>> viewReads =
                    read(platform, prefix, Topics.PERSON_VIEWS);
            CompletableFuture<List<ConsumerRecord<String, RepeatTestAlert>>> alertReads =
                    read(platform, prefix, Topics.ALERTS_REPEAT_TESTS);
            List<ConsumerRecord<String, IdentityLink>> linkRecords = linkReads.join();
            List<ConsumerRecord<String, PersonGolden>> goldenRecords = goldenReads.join();
            List<ConsumerRecord<String, IdentityReview>> reviewRecords = reviewReads.join();
            List<ConsumerRecord<String, DeduplicatedResult>> resultRecordList = resultReads.join();
            List<ConsumerRecord<String, PersonView>> viewRecords = viewReads.join();
            List<ConsumerRecord<String, RepeatTestAlert>> alertRecords = alertReads.join();
            links = sequence(linkRecords);
            golden = sequence(goldenRecords);
            reviews = sequence(reviewRecords);
            reviewReasons = reviewRecords.stream().map(r -> r.value().getReason())
                    .collect(Collectors.groupingBy(r -> r, TreeMap::new, Collectors.counting()));
            linkTable = table(linkRecords);
            goldenTable = table(goldenRecords);
            resultTable = table(resultRecordList);
            viewTable = table(viewRecords);
            resultRecords = resultRecordList.size();
            countedRecords = linkRecords.size() + goldenRecords.size() + reviewRecords.size()
                    + resultRecordList.size() + alertRecords.size();
            results = text(resultTable);
            // A view's version counts its publications (at most one per commit interval), and its updatedAt is the
            // time of the last input folded in before it was published, which depends on how the views task's two
            // inputs (person.golden, routed inputs) interleave: both vary with timing even without a restart.
            Map<String, String> normalisedViews = new TreeMap<>();
            viewTable.forEach((person, view) -> normalisedViews.put(person,
                    PersonView.newBuilder(view).setVersion(0).setUpdatedAt(Instant.EPOCH).build().toString()));
            views = normalisedViews;
            alerts = new TreeMap<>();
            duplicateAlertIds = new ArrayList<>();
            for (ConsumerRecord<String, RepeatTestAlert> r : alertRecords) {
                if (alerts.put(r.value().getAlertId(), r.key() + " = " + r.value()) != null) {
                    duplicateAlertIds.add(r.value().getAlertId());
                }
            }
        }

        static Outputs read(Platform platform, String prefix) {
            return new Outputs(platform, prefix);
        }

        /** Reads the topics of a run side by side: each read waits for its own consumer. */
        private static <T extends SpecificRecord> CompletableFuture<List<ConsumerRecord<String, T>>> read(
                Platform platform, String prefix, Topic<?> topic) {
            return CompletableFuture.supplyAsync(() -> TopicContents.<T>all(platform, topic.name(prefix)));
        }

        private static <T> List<String> sequence(List<ConsumerRecord<String, T>> records) {
            return records.stream().map(r -> r.key() + " = " + r.value()).toList();
        }

        private static <T> Map<String, T> table(List<ConsumerRecord<String, T>> records) {
            Map<String, T> latest = new TreeMap<>();
            for (ConsumerRecord<String, T> r : records) {
                if (r.value() == null) {
                    latest.remove(r.key());
                } else {
                    latest.put(r.key(), r.value());
                }
            }
            return latest;
        }

        private static <T> Map<String, String> text(Map<String, T> table) {
            Map<String, String> out = new TreeMap<>();
            table.forEach((k, v) -> out.put(k, v.toString()));
            return out;
        }

        /** The straight run shows what the workload is meant to exercise, so that a comparison means something. */
        void assertCoversTheWorkload() {
            Map<String, Long> rules = linkTable.values().stream()
                    .collect(Collectors.groupingBy(IdentityLink::getRule, TreeMap::new, Collectors.counting()));
            log.info("Straight run: {} links by rule {}, {} golden records ({} merged away), reviews {}, {} results "
                            + "({} records), {} views, {} alerts", linkTable.size(), rules, goldenTable.size(),
                    goldenTable.values().stream().filter(g -> g.getMergedInto() != null).count(), reviewReasons,
                    resultTable.size(), resultRecords, viewTable.size(), alerts.size());
            assertThat(rules).as("links by rule").containsKeys("NHS_NUMBER", "PROBABILISTIC", "MERGE");
            assertThat(goldenTable.values()).as("persons merged away").anyMatch(g -> g.getMergedInto() != null);
            assertThat(reviewReasons).as("reviews by reason").containsKey("NHS_NUMBER_CHANGED");
            assertThat(resultTable.values()).as("results with P, F and C versions")
                    .anyMatch(r -> r.getVersionCount() == 3 && r.getStatus().equals("C"));
            assertThat(resultTable.values()).as("results sent by two organisations")
                    .anyMatch(r -> r.getSources().stream().map(s -> s.getSendingFacility()).distinct().count() == 2);
            assertThat(resultRecords).as("results republished or removed as persons moved")
                    .isGreaterThan(resultTable.size());
            assertThat(alerts.size()).as("repeat-test alerts").isGreaterThanOrEqualTo(PERSONS / 5);
            assertThat(viewTable.size()).as("views").isGreaterThanOrEqualTo(PERSONS * 3 / 4);
        }

        /** Checks within one run: nothing duplicated where a duplicate would show. */
        void assertConsistent(String run) {
            assertThat(duplicateAlertIds).as("%s: alert ids published more than once", run).isEmpty();
            Set<String> live = goldenTable.values().stream().filter(g -> g.getMergedInto() == null)
                    .map(PersonGolden::getPersonId).collect(Collectors.toCollection(TreeSet::new));
            assertThat(viewTable.keySet()).as("%s: one view per live person, none for persons merged away", run)
                    .containsExactlyInAnyOrderElementsOf(live);
            Map<String, List<String>> resultsByPerson = new HashMap<>();
            Set<String> contents = new HashSet<>();
            for (DeduplicatedResult r : resultTable.values()) {
                resultsByPerson.computeIfAbsent(r.getPersonId(), p -> new ArrayList<>()).add(r.toString());
                String content = r.getPersonId() + "|" + r.getCode() + "|" + r.getCollectedAt() + "|" + r.getValue()
                        + "|" + r.getUnits() + "|" + r.getSources();
                assertThat(contents.add(content)).as("%s: result %s published twice under different ids", run,
                        r.getResultId()).isTrue();
            }
            assertThat(resultsByPerson.keySet()).as("%s: results only for live persons", run).isSubsetOf(live);
            for (PersonView view : viewTable.values()) {
                List<String> shown = view.getResults().stream().map(Object::toString).sorted().toList();
                List<String> current = resultsByPerson.getOrDefault(view.getPersonId(), List.of()).stream().sorted()
                        .toList();
                assertThat(shown).as("%s: the view of %s shows its current results", run, view.getPersonId())
                        .isEqualTo(current);
                for (RepeatTestAlert alert : view.getAlerts()) {
                    assertThat(alerts.containsKey(alert.getAlertId()))
                            .as("%s: alert %s in a view was published", run, alert.getAlertId()).isTrue();
                }
            }
        }
    }

    /** Counts the committed records on a run's outputs as they appear: a read_committed consumer of its own. */
    private static final class OutputCounter implements AutoCloseable {
        /** Topics whose record counts do not depend on timing (views are published once per commit interval). */
        static final List<Topic<?>> COUNTED = List.of(Topics.IDENTITY_LINKS, Topics.PERSON_GOLDEN,
                Topics.IDENTITY_REVIEW, Topics.RESULTS_CURRENT, Topics.ALERTS_REPEAT_TESTS);

        private final AtomicLong count = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        OutputCounter(Platform platform, String prefix) {
            Map<String, Object> props = new HashMap<>();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            List<TopicPartition> partitions = COUNTED.stream().map(t -> new TopicPartition(t.name(prefix), 0))
                    .toList();
            thread = new Thread(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
                        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    while (running.get()) {
                        count.addAndGet(consumer.poll(Duration.ofMillis(50)).count());
                    }
                }
            }, "output-counter");
            thread.setDaemon(true);
            thread.start();
        }

        long count() {
            return count.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }

    // ---- the processors' progress -------------------------------------------------------------------------------

    /** The processors' consumer group: committed offsets of every partition it reads, and the topics it writes. */
    private static final class Progress {
        final String applicationId;
        private final Admin admin;
        private final String bootstrapServers;
        private final String prefix;

        Progress(Admin admin, String bootstrapServers, String prefix) {
            this.admin = admin;
            this.bootstrapServers = bootstrapServers;
            this.prefix = prefix;
            this.applicationId = prefix + "processors";
        }

        Map<TopicPartition, Long> committedOffsets() {
            try {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, Long> out = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
                offsets.forEach((tp, om) -> {
                    if (om != null) {
                        out.put(tp, om.offset());
                    }
                });
                return out;
            } catch (Exception e) {
                throw new IllegalStateException("Cannot read the offsets of " + applicationId, e);
            }
        }

        long committed() {
            return committedOffsets().values().stream().mapToLong(Long::longValue).sum();
        }

        /** End offsets of every topic of the prefix (inputs, outputs, the processors' internal topics). */
        Map<TopicPartition, Long> endOffsets() {
            try {
                Set<String> topics = admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
                        .filter(t -> t.startsWith(prefix)).collect(Collectors.toSet());
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, d) ->
                        d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()),
                                OffsetSpec.latest())));
                Map<TopicPartition, Long> out = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
                admin.listOffsets(request).all().get(10, TimeUnit.SECONDS)
                        .forEach((tp, info) -> out.put(tp, info.offset()));
                return out;
            } catch (Exception e) {
                throw new IllegalStateException("Cannot read the end offsets of " + prefix + "*", e);
            }
        }

        /** How far behind the end of each partition the processors read (inputs and their own topics) are. */
        Map<TopicPartition, Long> lags() {
            Map<TopicPartition, Long> committed = committedOffsets();
            Map<TopicPartition, Long> lags = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
            endOffsets().forEach((tp, end) -> {
                String topic = tp.topic();
                boolean read = INPUTS.stream().anyMatch(t -> t.name(prefix).equals(topic))
                        || topic.equals(Topics.IDENTITY_LINKS.name(prefix))
                        || topic.equals(Topics.PERSON_GOLDEN.name(prefix))
                        || topic.startsWith(applicationId) && topic.endsWith("-repartition");
                if (read) {
                    lags.put(tp, end - committed.getOrDefault(tp, 0L));
                }
            });
            return lags;
        }

        /**
         * Whether every record the processors read has been consumed: inputs to their end; the processors' own
         * topics to their end or to the transaction marker that ends them.
         */
        boolean inputsConsumed() {
            for (Map.Entry<TopicPartition, Long> lag : lags().entrySet()) {
                boolean input = INPUTS.stream().anyMatch(t -> t.name(prefix).equals(lag.getKey().topic()));
                if (lag.getValue() > (input ? 0 : 1)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Persons whose view is owed: the committed keys of the views task's pending store. Views are published from
         * a punctuator, so processors that have consumed every input may still owe views (or may still be restoring
         * the store that says so).
         */
        Set<String> owedViews() {
            TopicPartition changelog = new TopicPartition(applicationId + "-person-views-pending-changelog", 0);
            Set<String> owed = new TreeSet<>();
            boolean read = readChangelog(bootstrapServers, changelog, r -> {
                if (r.value() == null) {
                    owed.remove(r.key());
                } else {
                    owed.add(r.key());
                }
            });
            if (!read) {
                fail("Cannot read " + changelog + " to its end");
            }
            return owed;
        }

        /**
         * Waits until every input is consumed, no view is owed, and nothing is written or committed for
         * {@link #QUIET}.
         */
        void awaitFinished(Duration timeout, BooleanSupplier alive, Path output) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            Object last = null;
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                if (!alive.getAsBoolean()) {
                    fail("the processors of " + prefix + " stopped before finishing; output in " + output);
                }
                Object now = List.of(committedOffsets(), endOffsets());
                if (!now.equals(last)) {
                    last = now;
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince >= QUIET.toNanos() && inputsConsumed()
                        && owedViews().isEmpty()) {
                    log.info("The processors of {} are done; lags {}", prefix, lags());
                    return;
                }
                Thread.sleep(200);
            }
            fail("the processors of " + prefix + " did not finish within " + timeout + " (output in " + output
                    + "): committed " + committedOffsets() + ", end offsets " + endOffsets());
        }

        /** A killed member would otherwise hold its partitions until its session times out (45 s). */
        void evictMembers() {
            try {
                admin.removeMembersFromConsumerGroup(applicationId, new RemoveMembersFromConsumerGroupOptions())
                        .all().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                log.info("No members to evict from {}: {}", applicationId, e.getCause().toString());
            } catch (Exception e) {
                throw new IllegalStateException("Cannot evict the members of " + applicationId, e);
            }
        }

        /** Aborts the killed processors' open transactions, as the broker would once they time out. */
        void fenceOpenTransactions() {
            try {
                List<String> open = admin.listTransactions().all().get(10, TimeUnit.SECONDS).stream()
                        .filter(t -> t.transactionalId().startsWith(applicationId))
                        .filter(t -> t.state() != TransactionState.COMPLETE_ABORT
                                && t.state() != TransactionState.COMPLETE_COMMIT && t.state() != TransactionState.EMPTY)
                        .map(TransactionListing::transactionalId).toList();
                if (!open.isEmpty()) {
                    admin.fenceProducers(open).all().get(10, TimeUnit.SECONDS);
                }
                log.info("Fenced {} open transactions of {}", open.size(), applicationId);
            } catch (Exception e) {
                throw new IllegalStateException("Cannot fence the transactions of " + applicationId, e);
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /**
     * Writes the workload, all of it or a failed test: both runs must read exactly the same input. Seen once in CI: the
     * topics had just been created, a batch was retried after NOT_LEADER_OR_FOLLOWER behind later ones, and the
     * broker refused it as out of sequence; unchecked, the killed run lost 16 admissions and the test reported a
     * difference the processors had not made. So the partitions' leaders are awaited, one request is in flight at a
     * time (a retry cannot be overtaken), and every send is checked.
     */
    private static void produce(Platform platform, String prefix, List<RestartWorkload.Input> inputs)
            throws Exception {
        awaitLeaders(platform, inputs.stream().map(i -> i.topic().name(prefix)).distinct().toList());
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(),
                AvroSerdes.anySpecific(Map.of("schema.registry.url", platform.schemaRegistryUrl())).serializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (RestartWorkload.Input input : inputs) {
                sent.add(producer.send(new ProducerRecord<>(input.topic().name(prefix), 0, input.timestamp(),
                        input.key(), input.value())));
            }
            producer.flush();
            for (Future<RecordMetadata> record : sent) {
                try {
                    record.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("The workload could not be written to " + prefix
                            + " topics; the runs would not read the same input", e.getCause());
                }
            }
        }
    }

    private static void awaitLeaders(Platform platform, List<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers()))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                boolean allLed = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()
                        .stream().flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null);
                if (allLed) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Partitions of " + topics + " have no leader after 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    private static Process startChild(Platform platform, String prefix, String applicationId, Path stateDir,
                                      Path output) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Quick to start (they are started seven times): client compiler only, one GC thread.
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        List<String> command = List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + tmp,
                "-cp", childClassPath(), ProcessorsProcess.class.getName(), platform.bootstrapServers(),
                platform.schemaRegistryUrl(), prefix, applicationId, stateDir.toString());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(output.toString())))
                .start();
    }

    /**
     * This JVM's class path, with careweave's own classes and jars copied once: every child then runs the code this
     * test started with, even if a build elsewhere replaces a careweave jar meanwhile (a jar replaced under a running
     * JVM fails its next class load).
     */
    private static synchronized String childClassPath() throws IOException {
        if (childClassPath != null) {
            return childClassPath;
        }
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String manifestClassPath = null;
            if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    Manifest manifest = jar.getManifest();
                    manifestClassPath = manifest == null ? null
                            : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                }
            }
            if (manifestClassPath != null && !manifestClassPath.isBlank()) {
                // A manifest-only jar (surefire's booter): its entries are URLs relative to it.
                for (String url : manifestClassPath.trim().split("\\s+")) {
                    entries.add(Path.of(path.toUri().resolve(url)).toString());
                }
            } else {
                entries.add(entry);
            }
        }
        Path copies = Files.createDirectory(work.resolve("classpath"));
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String entry : entries) {
            Path path = Path.of(entry);
            boolean ours = Files.isDirectory(path) || path.getFileName().toString().startsWith("careweave-");
            if (ours && Files.exists(path)) {
                Path copy = copies.resolve(n++ + "-" + path.getFileName());
                copyRecursively(path, copy);
                out.add(copy.toString());
            } else {
                out.add(entry);
            }
        }
        childClassPath = String.join(File.pathSeparator, out);
        return childClassPath;
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    /** Deletes the task directories (the stores); keeps the process id file, so the restart keeps its identity. */
    private static void wipeStores(Path appDir) throws IOException {
        if (!Files.isDirectory(appDir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(appDir)) {
            for (Path entry : entries.toList()) {
                if (Files.isDirectory(entry)) {
                    Directories.deleteRecursively(entry);
                }
            }
        }
    }
}
