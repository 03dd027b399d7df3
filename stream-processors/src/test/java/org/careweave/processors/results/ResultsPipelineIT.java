package org.careweave.processors.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.careweave.events.DeduplicatedResult;
import org.careweave.events.PersonGolden;
import org.careweave.events.PersonView;
import org.careweave.events.RepeatTestAlert;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.processors.PipelineHarness;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lab results end to end on the real broker: HL7 over MLLP in; results.current, alerts and person views out.
 * Each test uses its own invented patient.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class ResultsPipelineIT {

    private static PipelineHarness pipeline;

    @BeforeAll
    static void start(Platform platform) throws Exception {
        pipeline = new PipelineHarness(platform, "it-results.");
    }

    @AfterAll
    static void stop() throws Exception {
        pipeline.close();
    }

    @Test
    void verbatimResendIsCountedOnce() throws Exception {
        String oru = oru("RHMX1", "RS-1", "9990000018", "RSMRN1", "FIL-RS1", "4548-4", "HbA1c", "LN", "48",
                "mmol/mol", "20260105093000+0000", "F", "20260105120000+0000");
        assertThat(pipeline.send(adt("RHMX1", "RS-ADT", "9990000018", "RSMRN1", "Testresend", "Rae"))).isEqualTo("AA");
        assertThat(pipeline.send(oru)).isEqualTo("AA");
        assertThat(pipeline.send(oru)).isEqualTo("AA");
        String person = pipeline.personOf("RHMX1|RSMRN1");
        Map<String, DeduplicatedResult> results = pipeline.awaitTable(Topics.RESULTS_CURRENT,
                (Map<String, DeduplicatedResult> t) -> forPerson(t, person).size() >= 1);
        Thread.sleep(1500); // let the resend pass through, if it were to create anything
        results = pipeline.table(Topics.RESULTS_CURRENT);
        assertThat(forPerson(results, person)).singleElement().satisfies(r -> {
            assertThat(r.getSources()).hasSize(1);
            assertThat(r.getValue()).isEqualTo("48");
        });
    }

    @Test
    void hospitalResultAndTheGpCopyAreOneResultWithTwoSources() throws Exception {
        assertThat(pipeline.send(adt("RHMX1", "HG-ADT", "9990000026", "HGMRN1", "Testcopy", "Sam"))).isEqualTo("AA");
        // The hospital lab states the time with an offset; the GP copy gives local time in July without one.
        assertThat(pipeline.send(oru("RHMX1", "HG-1", "9990000026", "HGMRN1", "FIL-HG1", "4548-4", "HbA1c", "LN",
                "52", "mmol/mol", "20260701080000+0000", "F", "20260701120000+0000"))).isEqualTo("AA");
        assertThat(pipeline.send(oru("B86001", "GP-HG-1", "9990000026", "GPHG1", "GPORD1", "4548-4", "HbA1c", "LN",
                "52.0", "mmol/mol", "20260701090000", "F", "20260702100000"))).isEqualTo("AA");
        String person = pipeline.personOf("RHMX1|HGMRN1");
        Map<String, DeduplicatedResult> results = pipeline.awaitTable(Topics.RESULTS_CURRENT,
                (Map<String, DeduplicatedResult> t) -> forPerson(t, person).stream()
                        .anyMatch(r -> r.getSources().size() == 2));
        assertThat(forPerson(results, person)).singleElement().satisfies(r -> {
            assertThat(r.getSources()).extracting(s -> s.getSendingFacility())
                    .containsExactlyInAnyOrder("RHMX1", "B86001");
        });
    }

    @Test
    void preliminaryFinalCorrectedEndsCorrectedEvenOutOfOrder() throws Exception {
        assertThat(pipeline.send(adt("RHMX1", "PFC-ADT", "9990000034", "PFCMRN", "Testversion", "Val")))
                .isEqualTo("AA");
        // Corrected first, then preliminary, then final: the end state is the correction.
        assertThat(pipeline.send(oru("RHMX1", "PFC-C", "9990000034", "PFCMRN", "FIL-PFC", "2345-7", "Glucose", "LN",
                "6.1", "mmol/L", "20260110083000+0000", "C", "20260110150000+0000"))).isEqualTo("AA");
        assertThat(pipeline.send(oru("RHMX1", "PFC-P", "9990000034", "PFCMRN", "FIL-PFC", "2345-7", "Glucose", "LN",
                "5.9", "mmol/L", "20260110083000+0000", "P", "20260110100000+0000"))).isEqualTo("AA");
        assertThat(pipeline.send(oru("RHMX1", "PFC-F", "9990000034", "PFCMRN", "FIL-PFC", "2345-7", "Glucose", "LN",
                "5.9", "mmol/L", "20260110083000+0000", "F", "20260110120000+0000"))).isEqualTo("AA");
        String person = pipeline.personOf("RHMX1|PFCMRN");
        Map<String, DeduplicatedResult> results = pipeline.awaitTable(Topics.RESULTS_CURRENT,
                (Map<String, DeduplicatedResult> t) -> forPerson(t, person).stream()
                        .anyMatch(r -> r.getVersionCount() == 3));
        assertThat(forPerson(results, person)).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo("C");
            assertThat(r.getValue()).isEqualTo("6.1");
        });
    }

    /** A demographic update that restates what is known changes nothing a view shows, so no view is published. */
    @Test
    void aRestatementPublishesNoNewViewAndAChangeDoes() throws Exception {
        // A31s only: an admission's encounter reaches the views by another path and may make a view of its own.
        String registration = adt("RHMX1", "RV-1", "9990000050", "RVMRN", "Testrestate", "Ria");
        assertThat(pipeline.send(update(registration, "RV-1"))).isEqualTo("AA");
        String person = pipeline.personOf("RHMX1|RVMRN");
        pipeline.await(Topics.PERSON_VIEWS, (PersonView v) -> v.getPersonId().equals(person), 1);

        assertThat(pipeline.send(update(registration, "RV-2"))).isEqualTo("AA");
        // The restatement has reached the views processor once its golden record is out; then wait out the
        // publishing delay (200 ms) several times over, so that a view it caused would be on the topic.
        pipeline.await(Topics.PERSON_GOLDEN, (PersonGolden g) -> g.getPersonId().equals(person), 2);
        Thread.sleep(1500);
        assertThat(pipeline.send(update(registration, "RV-3").replace("1 Test Road", "2 Test Road"))).isEqualTo("AA");

        List<PersonView> views = pipeline.await(Topics.PERSON_VIEWS,
                (PersonView v) -> v.getPersonId().equals(person), 2);
        Thread.sleep(1000);
        views = pipeline.await(Topics.PERSON_VIEWS, (PersonView v) -> v.getPersonId().equals(person), 2);
        assertThat(views).hasSize(2);
        assertThat(views).extracting(v -> v.getAddress().getLines().get(0))
                .containsExactly("1 Test Road", "2 Test Road");
        assertThat(views).extracting(PersonView::getVersion).containsExactly(1L, 2L);
    }

    /** The same registration restated as a demographic update (A31: no encounter) under another control id. */
    private static String update(String registration, String control) {
        return registration.replace("ADT^A04^ADT_A01|RV-1|", "ADT^A31^ADT_A05|" + control + "|")
                .replace("PV1|1|O\n", "");
    }

    @Test
    void hba1cRepeatedWithin90DaysAlertsAndFullBloodCountSixMonthsApartDoesNot() throws Exception {
        assertThat(pipeline.send(adt("RHMX1", "RT-ADT", "9990000042", "RTMRN", "Testrepeat", "Kai"))).isEqualTo("AA");
        assertThat(pipeline.send(oru("RHMX1", "RT-1", "9990000042", "RTMRN", "FIL-RT1", "4548-4", "HbA1c", "LN",
                "50", "mmol/mol", "20260201090000+0000", "F", "20260201120000+0000"))).isEqualTo("AA");
        assertThat(pipeline.send(oru("B86001", "RT-2", "9990000042", "RTGP1", "GPRT2", "4548-4", "HbA1c", "LN",
                "49", "mmol/mol", "20260303090000+0000", "F", "20260303120000+0000"))).isEqualTo("AA");
        assertThat(pipeline.send(oru("RHMX1", "RT-FBC1", "9990000042", "RTMRN", "FIL-FBC1", "718-7", "Haemoglobin",
                "LN", "135", "g/L", "20260105090000+0000", "F", "20260105120000+0000"))).isEqualTo("AA");
        assertThat(pipeline.send(oru("RHMX1", "RT-FBC2", "9990000042", "RTMRN", "FIL-FBC2", "718-7", "Haemoglobin",
                "LN", "133", "g/L", "20260710090000+0000", "F", "20260710120000+0000"))).isEqualTo("AA");
        String person = pipeline.personOf("RHMX1|RTMRN");
        List<RepeatTestAlert> alerts = pipeline.await(Topics.ALERTS_REPEAT_TESTS,
                (RepeatTestAlert a) -> a.getPersonId().equals(person), 1);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.getCode().getCode()).isEqualTo("4548-4");
            assertThat(a.getMinimumIntervalDays()).isEqualTo(90);
            assertThat(a.getPrevious().getSendingFacility()).isEqualTo("RHMX1");
            assertThat(a.getCurrent().getSendingFacility()).isEqualTo("B86001");
        });
        Map<String, PersonView> views = pipeline.awaitTable(Topics.PERSON_VIEWS,
                (Map<String, PersonView> t) -> t.containsKey(person) && t.get(person).getResults().size() == 4);
        assertThat(views.get(person).getAlerts()).hasSize(1);
        assertThat(views.get(person).getResults()).hasSize(4);
    }

    private static List<DeduplicatedResult> forPerson(Map<String, DeduplicatedResult> table, String person) {
        return table.values().stream().filter(r -> r.getPersonId().equals(person)).toList();
    }

    static String adt(String facility, String control, String nhs, String mrn, String family, String given) {
        return "MSH|^~\\&|PAS|" + facility + "|CW|CW|20260101090000+0000||ADT^A04^ADT_A01|" + control + "|P|2.5\n"
                + "PID|1||" + nhs + "^^^NHS^NH~" + mrn + "^^^" + facility + "^MR||" + family + "^" + given
                + "||19700101|U|||1 Test Road^^Leeds^^LS1 1AA\n"
                + "PV1|1|O\n";
    }

    static String oru(String facility, String control, String nhs, String mrn, String filler, String code,
                      String display, String system, String value, String units, String collected, String status,
                      String reported) {
        return "MSH|^~\\&|LAB|" + facility + "|CW|CW|" + reported + "||ORU^R01^ORU_R01|" + control + "|P|2.5\n"
                + "PID|1||" + nhs + "^^^NHS^NH~" + mrn + "^^^" + facility + "^MR||Testperson^Test||19700101|U\n"
                + "OBR|1|PL-" + filler + "|" + filler + "|" + code + "^" + display + "^" + system + "|||" + collected
                + "|||||||||||||||" + reported + "||CH|" + status + "\n"
                + "OBX|1|NM|" + code + "^" + display + "^" + system + "||" + value + "|" + units + "|||||" + status
                + "\n";
    }
}
