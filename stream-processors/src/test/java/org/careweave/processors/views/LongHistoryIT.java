package org.careweave.processors.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.streams.KafkaStreams;
import org.careweave.events.PersonView;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.processors.PipelineHarness;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A person with years of lab results, on the real broker. Their view and their results state grow with every
 * result; with Kafka's default limit of 1 MiB per record, a person of about 2,400 such results made the processors
 * fail, replace their thread and fail again for ever, so that nobody of that task got a view any more.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class LongHistoryIT {

    private static final int RESULTS_PER_REPORT = 40;
    /**
     * How long a view may take to show a history of thousands of results. Each result folded into a large person
     * costs milliseconds (docs/benchmarks.md, view update cost), so thousands of them take a minute or more on a slow
     * or busy 2-core machine: the harness's usual 60 s ran out at 4,872 of 5,000 results in one CI run. A waiting
     * time, not a speed target: the benchmark measures the speed.
     */
    private static final Duration FOLDING_A_LONG_HISTORY = Duration.ofMinutes(4);

    @Test
    void aPersonWithFiveThousandResultsGetsAViewWithAllOfThem(Platform platform) throws Exception {
        try (PipelineHarness pipeline = new PipelineHarness(platform, "it-long.")) {
            sendHistory(pipeline, "9990000301", "LHMRN1", "LH", 125);
            String person = pipeline.personOf("RHMX1|LHMRN1");

            Map<String, PersonView> views = pipeline.awaitTable(Topics.PERSON_VIEWS,
                    (Map<String, PersonView> t) -> t.containsKey(person)
                            && t.get(person).getResults().size() == 5_000, FOLDING_A_LONG_HISTORY);
            assertThat(views.get(person).getResults()).hasSize(5_000);
            assertThat(pipeline.processors().recordsTooLarge()).isZero();
            // The person's results state (about 450 bytes a result) is the largest record: over Kafka's default.
            assertThat(pipeline.processors().largestRecord()).isBetween(2_000_000L, 16L * 1024 * 1024);
            assertThat(pipeline.processors().state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    /**
     * Past the limit (here Kafka's default, so that the test stays small) the processors stop and say why, rather
     * than fail, replace their thread and fail again for ever; once the limit is raised they go on where they stopped
     * and nothing is lost.
     */
    @Test
    void aRecordOverTheLimitStopsTheProcessorsUntilTheLimitIsRaised(Platform platform) throws Exception {
        ProcessorsConfig oneMebibyte = ProcessorsConfig.defaults().withMaxRecordBytes(1024 * 1024);
        try (PipelineHarness pipeline = new PipelineHarness(platform, "it-long-limit.", 1, oneMebibyte)) {
            sendHistory(pipeline, "9990000328", "LHMRN2", "LL", 75);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (pipeline.processors().state() != KafkaStreams.State.ERROR && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(pipeline.processors().state()).isEqualTo(KafkaStreams.State.ERROR);
            assertThat(pipeline.processors().refusal()).hasValueSatisfying(
                    why -> assertThat(why).startsWith("RecordTooLargeException"));
            assertThat(pipeline.processors().recordsTooLarge()).isPositive();
            sendHistory(pipeline, "9990000336", "LHMRN3", "LO", 1);

            pipeline.restartProcessors(ProcessorsConfig.defaults());
            String large = pipeline.personOf("RHMX1|LHMRN2");
            String other = pipeline.personOf("RHMX1|LHMRN3");
            Map<String, PersonView> views = pipeline.awaitTable(Topics.PERSON_VIEWS,
                    (Map<String, PersonView> t) -> t.containsKey(large) && t.containsKey(other)
                            && t.get(large).getResults().size() == 75 * RESULTS_PER_REPORT, FOLDING_A_LONG_HISTORY);
            assertThat(views.get(large).getResults()).hasSize(75 * RESULTS_PER_REPORT);
            assertThat(views.get(other).getResults()).hasSize(RESULTS_PER_REPORT);
            assertThat(pipeline.processors().state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    /** A registration, then {@code reports} lab reports of 40 results each on different days. */
    private static void sendHistory(PipelineHarness pipeline, String nhs, String mrn, String controlPrefix,
                                      int reports) throws Exception {
        String pid = "PID|1||" + nhs + "^^^NHS^NH~" + mrn + "^^^RHMX1^MR||Testlong^Lee||19500101|U\n";
        assertThat(pipeline.send("MSH|^~\\&|PAS|RHMX1|CW|CW|20260101090000+0000||ADT^A04^ADT_A01|" + controlPrefix
                + "-0|P|2.5\n" + pid)).isEqualTo("AA");
        for (int r = 0; r < reports; r++) {
            String day = String.format("20%02d%02d%02d", 10 + r / 336, 1 + r / 28 % 12, 1 + r % 28);
            StringBuilder message = new StringBuilder("MSH|^~\\&|LAB|RHMX1|CW|CW|20260101090000+0000||ORU^R01^ORU_R01|"
                    + controlPrefix + "-R" + r + "|P|2.5\n" + pid);
            message.append("OBR|1|PL-").append(controlPrefix).append(r).append("|FIL-").append(controlPrefix).append(r)
                    .append("|PANEL^Panel^L|||").append(day).append("090000+0000|||||||||||||||").append(day)
                    .append("120000+0000||CH|F\n");
            for (int o = 1; o <= RESULTS_PER_REPORT; o++) {
                message.append("OBX|").append(o).append("|NM|C").append(o).append("^Analyte ").append(o)
                        .append("^L||").append(40 + o).append("|mmol/L|30-60|N|||F\n");
            }
            assertThat(pipeline.send(message.toString())).as("report " + r).isEqualTo("AA");
        }
    }
}
