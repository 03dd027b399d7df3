package org.careweave.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.careweave.events.IdentityReview;
import org.careweave.events.PersonView;
import org.careweave.events.ReviewDecision;
import org.careweave.events.ReviewVerdict;
import org.careweave.ingest.TopicContents;
import org.careweave.ingest.mapping.MappingConfig;
import org.careweave.platform.Platform;
import org.careweave.platform.config.SettingsSource;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.processors.PipelineHarness;
import org.careweave.review.ReviewQueue;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rebuilding every view from the raw topic through replay gives the same views as live processing did. One
 * partition per topic, so that live and replay see the same order (person ids depend on it, as they should).
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class ReplayIT {

    private static final String PREFIX = "it-replay.";

    @Test
    void viewsRebuiltFromRawEqualTheLiveViews(Platform platform, @TempDir Path stateDir) throws Exception {
        Map<String, PersonView> live;
        try (PipelineHarness pipeline = new PipelineHarness(platform, PREFIX, 1)) {
            for (String message : Scenario.MESSAGES) {
                assertThat(pipeline.send(message)).isEqualTo("AA");
            }
            live = awaitStable(platform, Topics.PERSON_VIEWS.name(PREFIX), 2);
        }
        // Ann (hospital + GP, linked by demographics) and Bob (with the duplicate record merged into him).
        assertThat(live).hasSize(2);

        Replay.Summary summary = Replay.run(new Replay.Request(PREFIX, PREFIX + "v2.", Optional.empty(),
                Optional.empty(), Set.of(), "it-v2", 1, (short) 1,
                MappingConfig.defaults(), ProcessorsConfig.defaults()), platform,
                stateDir, progress -> { });
        assertThat(summary.rawRead()).isEqualTo(Scenario.MESSAGES.size());
        assertThat(summary.mapped()).isEqualTo(Scenario.MESSAGES.size());

        Map<String, PersonView> replayed = awaitStable(platform, Topics.PERSON_VIEWS.name(PREFIX + "v2."), 2);
        assertThat(comparable(replayed)).isEqualTo(comparable(live));
    }

    /**
     * A decision a person made on a review pair is not in hl7.raw; a versioned rebuild applies it again, so the pair
     * stays one person.
     */
    @Test
    void decisionsPeopleMadeSurviveAVersionedRebuild(Platform platform, @TempDir Path stateDir) throws Exception {
        String prefix = "it-replay-dec.";
        Map<String, PersonView> live;
        try (PipelineHarness pipeline = new PipelineHarness(platform, prefix, 1)) {
            assertThat(pipeline.send("MSH|^~\\&|PAS|RHMX1|CW|CW|20260301090000||ADT^A04^ADT_A01|DEC-1|P|2.5\r"
                    + "PID|1||DEC1^^^RHMX1^MR||Testreplay^Harriet||19660606|F|||3 Example Road^^Leeds^^LS7 3AB\r"
                    + "PV1|1|O\r")).isEqualTo("AA");
            assertThat(pipeline.send("MSH|^~\\&|GPSYS|B86001|CW|CW|20260301091000||ADT^A28^ADT_A05|DEC-2|P|2.4\r"
                    + "PID|1||DEC2^^^B86001^PI||Testreplay^Harriet||19660606|F|||"
                    + "40 Other Street^^Bradford^^BD1 1XX\r")).isEqualTo("AA");
            ReviewQueue queue = new ReviewQueue(platform, prefix);
            IdentityReview review = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (review == null && System.nanoTime() < deadline) {
                review = queue.open().stream().findFirst().orElse(null);
                Thread.sleep(200);
            }
            assertThat(review).as("the pair went to review").isNotNull();
            queue.decide(review, ReviewVerdict.SAME_PERSON, "it steward", null, Instant.now());
            long merged = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            do {
                live = awaitStable(platform, Topics.PERSON_VIEWS.name(prefix), 1);
            } while (live.size() != 1 && System.nanoTime() < merged);
        }
        assertThat(live).hasSize(1);
        assertThat(live.values().iterator().next().getIdentifiers().toString()).contains("DEC1").contains("DEC2");

        Replay.run(new Replay.Request(prefix, prefix + "v2.", Optional.empty(), Optional.empty(), Set.of(),
                "it-dec-v2", 1, (short) 1,
                MappingConfig.defaults(), ProcessorsConfig.defaults()), platform, stateDir, progress -> { });

        Map<String, PersonView> replayed = awaitStable(platform, Topics.PERSON_VIEWS.name(prefix + "v2."), 1);
        assertThat(comparable(replayed)).isEqualTo(comparable(live));
    }

    /**
     * identity.decisions keeps every decision, and a pair may have several: here a "same person" refused (the two
     * records came to hold different NHS numbers), then "different persons" accepted. A versioned rebuild applies
     * them all in order, so the pair is closed there as it is live; it used to copy only the first, refused again.
     */
    @Test
    void aLaterDecisionOnAPairWhoseFirstWasRefusedSurvivesARebuild(Platform platform, @TempDir Path stateDir)
            throws Exception {
        String prefix = "it-replay-redecide.";
        String hospital = "PID|1||RD1^^^RHMX1^MR||Testredecide^Imogen||19710707|F|||5 Road^^Leeds^^LS7 3AB\r";
        String gp = "PID|1||RD2^^^B86001^PI||Testredecide^Imogen||19710707|F|||41 Street^^Bradford^^BD1 1XX\r";
        Map<String, PersonView> live;
        IdentityReview liveReview;
        try (PipelineHarness pipeline = new PipelineHarness(platform, prefix, 1)) {
            assertThat(pipeline.send("MSH|^~\\&|PAS|RHMX1|CW|CW|20260301090000||ADT^A04^ADT_A01|RD-1|P|2.5\r"
                    + hospital + "PV1|1|O\r")).isEqualTo("AA");
            assertThat(pipeline.send("MSH|^~\\&|GPSYS|B86001|CW|CW|20260301091000||ADT^A28^ADT_A05|RD-2|P|2.4\r"
                    + gp)).isEqualTo("AA");
            ReviewQueue queue = new ReviewQueue(platform, prefix);
            IdentityReview review = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (review == null && System.nanoTime() < deadline) {
                review = queue.open().stream().findFirst().orElse(null);
                Thread.sleep(200);
            }
            assertThat(review).as("the pair went to review").isNotNull();
            // Each record then gets an NHS number of its own, and two NHS numbers are never one person.
            assertThat(pipeline.send("MSH|^~\\&|PAS|RHMX1|CW|CW|20260301100000||ADT^A08^ADT_A01|RD-3|P|2.5\r"
                    + hospital.replace("||RD1^", "||9990000573^^^NHS^NH~RD1^") + "PV1|1|O\r")).isEqualTo("AA");
            assertThat(pipeline.send("MSH|^~\\&|GPSYS|B86001|CW|CW|20260301101000||ADT^A08^ADT_A05|RD-4|P|2.4\r"
                    + gp.replace("||RD2^", "||9990000581^^^NHS^NH~RD2^"))).isEqualTo("AA");
            pipeline.awaitTable(Topics.PERSON_VIEWS, (Map<String, PersonView> views) -> views.values().stream()
                    .filter(v -> v.getIdentifiers().toString().contains("9990000573")
                            || v.getIdentifiers().toString().contains("9990000581")).count() == 2);

            queue.decide(review, ReviewVerdict.SAME_PERSON, "it steward", null, Instant.now());
            queue.decide(review, ReviewVerdict.DIFFERENT_PERSONS, "it steward", null, Instant.now());
            String pairId = review.getPairId();
            liveReview = awaitClosed(queue, pairId);
            assertThat(liveReview.getOpen()).as("live: the second decision closed the pair").isFalse();
            live = awaitStable(platform, Topics.PERSON_VIEWS.name(prefix), 2);
        }

        Replay.run(new Replay.Request(prefix, prefix + "v2.", Optional.empty(), Optional.empty(), Set.of(),
                "it-redecide-v2", 1, (short) 1,
                MappingConfig.defaults(), ProcessorsConfig.defaults()), platform, stateDir, progress -> { });

        assertThat(TopicContents.<ReviewDecision>all(platform, Topics.IDENTITY_DECISIONS.name(prefix + "v2."))
                .stream().map(r -> r.value().getVerdict()).toList())
                .containsExactly(ReviewVerdict.SAME_PERSON, ReviewVerdict.DIFFERENT_PERSONS);
        IdentityReview rebuilt = awaitClosed(new ReviewQueue(platform, prefix + "v2."), liveReview.getPairId());
        assertThat(rebuilt.getOpen()).as("rebuilt: the pair is closed as live").isFalse();
        assertThat(rebuilt.getReason()).isEqualTo(liveReview.getReason());
        Map<String, PersonView> replayed = awaitStable(platform, Topics.PERSON_VIEWS.name(prefix + "v2."), 2);
        assertThat(comparable(replayed)).isEqualTo(comparable(live));
    }

    /** The pair's review once closed, or as it is after 60 s. */
    private static IdentityReview awaitClosed(ReviewQueue queue, String pairId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Optional<IdentityReview> review = queue.review(pairId);
        while ((review.isEmpty() || review.get().getOpen()) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            review = queue.review(pairId);
        }
        return review.orElseThrow();
    }

    @Test
    void replayOfOneFacilityAndTimeRangeSelectsOnlyThose(Platform platform, @TempDir Path stateDir) throws Exception {
        String prefix = "it-replay-sel.";
        try (PipelineHarness pipeline = new PipelineHarness(platform, prefix, 1)) {
            for (String message : Scenario.MESSAGES) {
                assertThat(pipeline.send(message)).isEqualTo("AA");
            }
        }
        Replay.Summary summary = Replay.run(new Replay.Request(prefix, prefix + "gp.", Optional.empty(),
                Optional.of(Instant.now().plus(Duration.ofMinutes(1))), Set.of("B86001"), "it-gp", 1, (short) 1,
                MappingConfig.defaults(), ProcessorsConfig.defaults()),
                platform, stateDir, progress -> { });
        long gpMessages = Scenario.MESSAGES.stream().filter(m -> m.contains("|B86001|")).count();
        assertThat(summary.mapped()).isEqualTo(gpMessages);
        assertThat(summary.skipped()).isEqualTo(Scenario.MESSAGES.size() - gpMessages);

        // The same options (so the same label) again: it continues the finished run, reads nothing again, and says so.
        Replay.Summary again = Replay.run(new Replay.Request(prefix, prefix + "gp.", Optional.empty(),
                Optional.of(Instant.now().plus(Duration.ofMinutes(1))), Set.of("B86001"), "it-gp", 1, (short) 1,
                MappingConfig.defaults(), ProcessorsConfig.defaults()),
                platform, stateDir, progress -> { });
        assertThat(again.rawRead()).isZero();
        assertThat(again.earlierRead()).isEqualTo(Scenario.MESSAGES.size());
        assertThat(again.mapped()).isZero();
        assertThat(again.resumed()).isTrue();
        assertThat(summary.resumed()).isFalse();
    }

    /**
     * A versioned replay that selects nothing writes nothing to the target, so its processors never read a record nor
     * commit an offset: it finishes all the same and says it mapped nothing. It used to wait for ever for a commit;
     * the timeout is only a guard against that hang (a run takes seconds), generous for a loaded machine.
     */
    @Test
    void aVersionedReplayThatSelectsNothingFinishes(Platform platform, @TempDir Path stateDir) throws Exception {
        String prefix = "it-replay-none.";
        try (PipelineHarness pipeline = new PipelineHarness(platform, prefix, 1)) {
            for (String message : Scenario.MESSAGES) {
                assertThat(pipeline.send(message)).isEqualTo("AA");
            }
        }

        Replay.Summary summary = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> Replay.run(
                new Replay.Request(prefix, prefix + "v2.", Optional.empty(), Optional.empty(), Set.of("NOSUCH"),
                        "it-none", 1, (short) 1, MappingConfig.defaults(), ProcessorsConfig.defaults()),
                platform, stateDir, progress -> { }));

        assertThat(summary.rawRead()).isEqualTo(Scenario.MESSAGES.size());
        assertThat(summary.mapped()).isZero();
        assertThat(summary.skipped()).isEqualTo(Scenario.MESSAGES.size());
        assertThat(summary.written()).isEmpty();
    }

    /**
     * A fix made in the deployment's mapping settings is what a replay is run for: a laboratory that sends its
     * numbers bare, filed under the laboratory until mapping.authorities says they are the hospital's.
     */
    @Test
    void replayDerivesWithTheDeploymentsOwnMappingSettings(Platform platform, @TempDir Path stateDir)
            throws Exception {
        String prefix = "it-replay-fix.";
        try (PipelineHarness pipeline = new PipelineHarness(platform, prefix, 1)) {
            assertThat(pipeline.send("MSH|^~\\&|LAB|WINPATH|CW|CW|20260301100000+0000||ADT^A28^ADT_A05|RF-1|P|2.4\n"
                    + "PID|1||RF100||Testfix^Dee||19720202|F|||3 Way^^Leeds^^LS2 2DD\n")).isEqualTo("AA");
            Map<String, PersonView> live = awaitStable(platform, Topics.PERSON_VIEWS.name(prefix), 1);
            assertThat(live.values()).singleElement().satisfies(view -> assertThat(view.getIdentifiers())
                    .extracting(id -> id.getSystem() + "|" + id.getValue()).containsExactly("WINPATH|RF100"));
        }

        MappingConfig fixed = MappingConfig.from(SettingsSource.of(Map.of("mapping.authorities", "WINPATH=RHMX1")));
        Replay.run(new Replay.Request(prefix, prefix + "v2.", Optional.empty(), Optional.empty(), Set.of(),
                "it-fix", 1, (short) 1, fixed, ProcessorsConfig.defaults()), platform, stateDir, progress -> { });

        Map<String, PersonView> replayed = awaitStable(platform, Topics.PERSON_VIEWS.name(prefix + "v2."), 1);
        assertThat(replayed.values()).singleElement().satisfies(view -> assertThat(view.getIdentifiers())
                .extracting(id -> id.getSystem() + "|" + id.getValue()).containsExactly("RHMX1|RF100"));
    }

    /** Views without the fields that record when and how often they were written. */
    private static Map<String, String> comparable(Map<String, PersonView> views) {
        Map<String, String> out = new TreeMap<>();
        views.forEach((id, view) -> {
            PersonView copy = PersonView.newBuilder(view).setVersion(0).setUpdatedAt(Instant.EPOCH).build();
            out.put(id, copy.toString());
        });
        return out;
    }

    /** The compacted view topic as a table, once it has stopped changing. */
    private static Map<String, PersonView> awaitStable(Platform platform, String topic, int minimumViews)
            throws InterruptedException {
        Map<String, PersonView> last = Map.of();
        int stable = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (stable < 4 && System.nanoTime() < deadline) {
            Map<String, PersonView> now = new TreeMap<>();
            TopicContents.<PersonView>all(platform, topic).forEach(r -> {
                if (r.value() == null) {
                    now.remove(r.key());
                } else {
                    now.put(r.key(), r.value());
                }
            });
            stable = now.size() >= minimumViews && now.equals(last) ? stable + 1 : 0;
            last = now;
            Thread.sleep(750);
        }
        return last;
    }
}
