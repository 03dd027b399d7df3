package org.careweave.store.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.db.StoreDatabase;
import org.careweave.store.testing.Await;
import org.careweave.store.testing.Store;
import org.careweave.store.testing.TestDatabases;
import org.careweave.store.testing.ViewProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Kill the sink mid-stream and restart it: the database ends identical to a run without the kill.
 *
 * <p>One topic holds a seeded workload (new versions, re-delivered old versions, removals, merges, unmerges). One
 * database is filled by a sink that runs straight through; others by sinks that are killed again and again: a sink
 * in a JVM of its own killed with SIGKILL at random moments, and a sink whose database connection is cut before a
 * statement, before a commit or just after one. Every sink table must end identical, row for row.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class SinkRestartIT {

    private static final Logger log = LoggerFactory.getLogger(SinkRestartIT.class);
    private static final String PREFIX = "restartit-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private static final String TOPIC = Topics.PERSON_VIEWS.name(PREFIX);
    private static final int RECORDS = 1_500;
    /** Many persons for the records, so that many records decide the final state and a lost one shows. */
    private static final int PERSONS = 150;
    private static final Duration CATCH_UP = Duration.ofMinutes(3);
    private static final int KILLS = 10;

    private static Platform platform;
    private static long total;
    private static Map<String, List<String>> straightRun;

    @BeforeAll
    static void produceAndRunStraightThrough(Platform p) {
        platform = p;
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 3, (short) 1);
        StoreEndpoints straight = TestDatabases.fresh(platform, "restart_straight");
        try (ViewProducer producer = new ViewProducer(straight, TOPIC)) {
            for (Workload.Record record : Workload.generate(20_240_601L, PERSONS, RECORDS)) {
                producer.send(record.key(), record.view());
            }
        }
        total = Store.endOffsets(platform.bootstrapServers(), TOPIC).values().stream().mapToLong(Long::longValue)
                .sum();
        assertThat(total).isEqualTo(RECORDS);

        Store store = new Store(straight);
        try (SinkService sink = SinkService.start(SinkConfig.defaults(), straight, PREFIX, new SimpleMeterRegistry())) {
            store.awaitCaughtUp(sink.topic(), CATCH_UP);
        }
        straightRun = store.snapshot();
        assertThat(straightRun.get("person_view")).as("the workload leaves persons").isNotEmpty();
        assertThat(straightRun.get("person_redirect")).as("the workload leaves merges").isNotEmpty();
        assertThat(straightRun.get("person_removed")).as("the workload leaves removals").isNotEmpty();
        assertThat(straightRun.get("result")).as("the workload leaves results").isNotEmpty();
    }

    @Test
    void aSinkKilledWithSigkillAgainAndAgainEndsIdenticalToOneThatRanStraightThrough(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work) throws Exception {
        StoreEndpoints killed = TestDatabases.fresh(platform, "restart_killed");
        StoreDatabase.migrate(killed);
        Store store = new Store(killed);
        Random random = new Random(7);
        int kills = 0;
        int killsMidStream = 0;
        long consumed = 0;
        Path output = work.resolve("sink-process.log");
        while (kills < KILLS && consumed < total) {
            // Aim each kill at a random point of an even share of what is left, so kills cover the whole stream
            // however fast the machine is; a kill then lands while batches are being written.
            long share = Math.max(1, (total - consumed) / (KILLS - kills + 1));
            long target = consumed + 1 + (long) random.nextInt((int) share);
            Process sink = startSinkProcess(killed, output);
            Await.until("child sink to store " + target + " records", CATCH_UP,
                    () -> store.consumed(TOPIC) >= target || !sink.isAlive());
            Thread.sleep(random.nextInt(50));
            sink.destroyForcibly();
            assertThat(sink.waitFor(30, TimeUnit.SECONDS)).isTrue();
            kills++;
            consumed = store.consumed(TOPIC);
            if (consumed < total) {
                killsMidStream++;
            }
            log.info("Kill {}: {} of {} records stored", kills, consumed, total);
        }
        try (SinkService sink = SinkService.start(SinkConfig.defaults(), killed, PREFIX, new SimpleMeterRegistry())) {
            store.awaitCaughtUp(sink.topic(), CATCH_UP);
        }

        assertThat(killsMidStream).as("kills that interrupted the stream (see %s)", output).isGreaterThanOrEqualTo(5);
        assertIdentical(store.snapshot());
    }

    @Test
    void aSinkWhoseConnectionIsCutBetweenStatementsEndsIdenticalToOneThatRanStraightThrough() {
        StoreEndpoints cut = TestDatabases.fresh(platform, "restart_cut");
        Store store = new Store(cut);
        try (StoreDatabase database = StoreDatabase.open(cut, 2, "crashing")) {
            // About 12 to 18 database operations per batch of 7 (the batch is written set-wise): crashes every 1 to 40
            // operations spread over the whole stream.
            CrashingDataSource crashing = new CrashingDataSource(database.dataSource(), 99, 40, 80);
            SinkConfig config = SinkConfig.defaults().withPollRecords(7).withRetryBackoff(Duration.ofMillis(10));
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            try (SinkService sink = SinkService.start(config, cut, PREFIX, metrics, crashing, null)) {
                store.awaitCaughtUp(sink.topic(), CATCH_UP);
            }
            log.info("Connection cut {} times", crashing.injected());
            assertThat(crashing.injected()).isGreaterThan(40);
            assertThat(metrics.counter("careweave.sink.errors").count()).isEqualTo(crashing.injected());
        }
        assertIdentical(store.snapshot());
    }

    @Test
    void aSinkStoppedAndStartedAfterEveryFewBatchesEndsIdenticalToOneThatRanStraightThrough() {
        StoreEndpoints restarted = TestDatabases.fresh(platform, "restart_stopped");
        StoreDatabase.migrate(restarted);
        Store store = new Store(restarted);
        SinkConfig config = SinkConfig.defaults().withPollRecords(50);
        int starts = 0;
        while (store.consumed(TOPIC) < total) {
            long before = store.consumed(TOPIC);
            try (SinkService sink = SinkService.start(config, restarted, PREFIX, new SimpleMeterRegistry())) {
                starts++;
                Await.until("progress", CATCH_UP, () -> store.consumed(sink.topic()) > before);
            }
        }
        assertThat(starts).isGreaterThan(3);
        assertIdentical(store.snapshot());
    }

    private static void assertIdentical(Map<String, List<String>> snapshot) {
        for (String table : Store.SINK_TABLES) {
            assertThat(snapshot.get(table)).as(table).containsExactlyElementsOf(straightRun.get(table));
        }
    }

    private static Process startSinkProcess(StoreEndpoints endpoints, Path output) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                SinkProcess.class.getName(), endpoints.kafka().bootstrapServers(), endpoints.schemaRegistryUrl(),
                endpoints.jdbcUrl(), endpoints.jdbcUser(), endpoints.jdbcPassword(), PREFIX, "5"));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(output.toString())))
                .start();
    }
}
