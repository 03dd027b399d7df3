package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Predicate;

import org.careweave.ingest.mllp.MllpClient;
import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * careweave end to end, as `careweave up` runs it: HL7 over MLLP in; the person's view, results and the "before you
 * order" answer out of the HTTP API, through identity, result deduplication, a repeat-test alert and an A40 merge.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class EndToEndIT {

    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    private static final DateTimeFormatter HL7 = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Pipeline pipeline;
    private static ApiReader api;
    private static Platform platform;
    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start(Platform shared) throws Exception {
        platform = OwnDatabase.on(shared, "it_e2e");
        SettingsSource settings = SettingsSource.of(Map.of(
                PlatformConfig.TOPIC_PREFIX.key(), "it-e2e.",
                PlatformConfig.DATA_DIR.key(), dataDir.toString(),
                "mllp.port", "0",
                "api.port", "0",
                "mapping.application.id", "it-e2e-mapping",
                "processors.application.id", "it-e2e-processors"));
        PlatformConfig config = PlatformConfig.from(settings);
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), config.topicPrefix(), 3, (short) 1);
        pipeline = Pipeline.start(settings, platform, config, dataDir, new PrintStream(OutputStream.nullOutputStream()));
        api = new ApiReader(pipeline.apiAddress(), Files.readString(pipeline.adminToken()).strip());
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @Test
    void viewsResultsAndBeforeYouOrderThroughTheApi() throws Exception {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
        String first = now.minusDays(20).format(HL7);
        String repeat = now.minusDays(5).format(HL7);
        int port = mllpPort();
        try (MllpClient mllp = MllpClient.connect("127.0.0.1", port)) {
            send(mllp, "MSH|^~\\&|PAS|RHMX1|CW|CW|" + first + "||ADT^A01^ADT_A01|E2E-1|P|2.5\r"
                    + "PID|1||9990000018^^^NHS^NH~E2E100^^^RHMX1^MR||Testend^Alexandra||19800101|F|||"
                    + "12 Example Street^^Leeds^^LS1 4AB\r"
                    + "PV1|1|I|WARD7^BED3^^RHMX1||||||||||||||||VE2E1^^^RHMX1\r");
            send(mllp, "MSH|^~\\&|LAB|RHMX1|CW|CW|" + first + "||ORU^R01^ORU_R01|E2E-2|P|2.5\r"
                    + "PID|1||9990000018^^^NHS^NH~E2E100^^^RHMX1^MR||Testend^Alexandra||19800101|F\r"
                    + "OBR|1|PLE2E|FLE2E|4548-4^HbA1c^LN|||" + first + "\r"
                    + "OBX|1|NM|4548-4^HbA1c^LN||52|mmol/mol|20-41|H|||F\r");
            // The GP's record: no NHS number, a short name; then its copy of the same result.
            send(mllp, "MSH|^~\\&|GPSYS|B86001|CW|CW|" + first + "||ADT^A28^ADT_A05|E2E-3|P|2.4\r"
                    + "PID|1||GPE2E^^^B86001^PI||Testend^Alex||19800101|F|||12 Example St^^Leeds^^LS1 4AB\r");
            send(mllp, "MSH|^~\\&|GPSYS|B86001|CW|CW|" + first + "||ORU^R01^ORU_R01|E2E-4|P|2.4\r"
                    + "PID|1||GPE2E^^^B86001^PI||Testend^Alex||19800101|F\r"
                    + "OBR|1|GPORD1||4548-4^HbA1c^LN|||" + first + "\r"
                    + "OBX|1|NM|4548-4^HbA1c^LN||52.0|mmol/mol|20-41|H|||F\r");
            send(mllp, "MSH|^~\\&|GPSYS|B86001|CW|CW|" + repeat + "||ORU^R01^ORU_R01|E2E-5|P|2.4\r"
                    + "PID|1||GPE2E^^^B86001^PI||Testend^Alex||19800101|F\r"
                    + "OBR|1|GPORD2||4548-4^HbA1c^LN|||" + repeat + "\r"
                    + "OBX|1|NM|4548-4^HbA1c^LN||50|mmol/mol|20-41|H|||F\r");
            // A duplicate hospital record, different enough not to link by itself, then merged by A40.
            send(mllp, "MSH|^~\\&|PAS|RHMX1|CW|CW|" + repeat + "||ADT^A04^ADT_A01|E2E-6|P|2.5\r"
                    + "PID|1||E2E777^^^RHMX1^MR||Tesstend^Sandra||19800110|F|||99 Other Road^^York^^YO1 7AA\r"
                    + "PV1|1|O\r");
        }
        String person = awaitPersonId(NHS + "|9990000018");
        String duplicate = awaitPersonId("RHMX1|E2E777");
        assertThat(duplicate).as("the duplicate record is a person of its own before the merge").isNotEqualTo(person);
        try (MllpClient mllp = MllpClient.connect("127.0.0.1", port)) {
            send(mllp, "MSH|^~\\&|PAS|RHMX1|CW|CW|" + repeat + "||ADT^A40^ADT_A39|E2E-7|P|2.5\r"
                    + "PID|1||9990000018^^^NHS^NH~E2E100^^^RHMX1^MR||Testend^Alexandra||19800101|F\r"
                    + "MRG|E2E777^^^RHMX1^MR\r");
        }

        JsonNode view = await("/api/persons/" + person, v -> v.path("results").size() == 2
                && v.path("alerts").size() == 1
                && v.path("identifiers").toString().contains("E2E777"));
        assertThat(view.path("personId").asText()).isEqualTo(person);
        assertThat(view.path("name").path("family").asText()).isEqualTo("Testend");
        assertThat(view.path("birthDate").asText()).isEqualTo("1980-01-01");
        assertThat(view.path("identifiers").toString()).contains("GPE2E").contains("E2E100").contains("9990000018");
        JsonNode deduplicated = null;
        for (JsonNode result : view.path("results")) {
            if (result.path("sources").size() == 2) {
                deduplicated = result;
            }
        }
        assertThat(deduplicated).as("the hospital's HbA1c and the GP's copy are one result").isNotNull();
        assertThat(deduplicated.path("sources").toString()).contains("RHMX1").contains("B86001");
        assertThat(view.path("alerts").get(0).path("type").asText()).isEqualTo("repeat-test");
        assertThat(view.path("encounters").size()).isPositive();

        HttpResponse<String> merged = get("/api/persons/" + duplicate);
        assertThat(merged.statusCode()).as("a merged person redirects to the survivor").isEqualTo(308);
        assertThat(merged.headers().firstValue("Location").orElse("")).contains(person);

        JsonNode results = json(get("/api/persons/" + person + "/results?code="
                + URLEncoder.encode("http://loinc.org|4548-4", StandardCharsets.UTF_8)));
        assertThat(results.toString()).contains("4548-4");

        JsonNode recent = json(get("/api/persons/" + person + "/recent-tests?code="
                + URLEncoder.encode("http://loinc.org|4548-4", StandardCharsets.UTF_8)));
        assertThat(recent.path("withinInterval").asBoolean()).isTrue();
        assertThat(recent.path("retestInterval").path("days").asInt()).isEqualTo(90);
        assertThat(recent.path("lastResult").path("value").asText()).isEqualTo("50");
    }

    /**
     * One stay as a PAS tells it, mistakes included: an emergency attendance admitted under a new visit number
     * (A06 with MRG-5), a transfer cancelled (A12), a discharge cancelled (A13), then leave of absence (A21); and a
     * pre-admission cancelled (A38). The API shows the stay once, where the patient really is.
     */
    @Test
    void aStaysCorrectionsShowThroughTheApi() throws Exception {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
        String arrived = now.minusHours(30).format(HL7);
        String discharged = now.minusHours(2).format(HL7);
        String pid = "PID|1||E2ESTAY1^^^RHMX1^MR||Stayward^Invented||19911111|M\r";
        int port = mllpPort();
        try (MllpClient mllp = MllpClient.connect("127.0.0.1", port)) {
            send(mllp, adt("A04", "ADT_A01", 1, pid + pv1("E", "ED^MAJORS", "EDSTAY1", arrived, "")));
            send(mllp, adt("A06", "ADT_A06", 2, pid + "MRG|E2ESTAY1^^^RHMX1^MR||||EDSTAY1^^^RHMX1\r"
                    + pv1("I", "WARD9^BED1", "IPSTAY1", "", "")));
            send(mllp, adt("A02", "ADT_A02", 3, pid + pv1("I", "WARD10^BED2", "IPSTAY1", "", "")));
            send(mllp, adt("A12", "ADT_A12", 4, pid + pv1("I", "WARD9^BED1", "IPSTAY1", "", "")));
            send(mllp, adt("A03", "ADT_A03", 5, pid + pv1("I", "WARD9^BED1", "IPSTAY1", "", discharged)));
            send(mllp, adt("A13", "ADT_A01", 6, pid + pv1("I", "WARD9^BED1", "IPSTAY1", "", "")));
            send(mllp, adt("A21", "ADT_A21", 7, pid + pv1("I", "WARD9^BED1", "IPSTAY1", "", "")));
            send(mllp, adt("A05", "ADT_A05", 8, pid + pv1("I", "WARD3", "PASTAY1", "", "")));
            send(mllp, adt("A38", "ADT_A38", 9, pid + pv1("I", "WARD3", "PASTAY1", "", "")));
        }
        String person = awaitPersonId("RHMX1|E2ESTAY1");

        JsonNode view = await("/api/persons/" + person, v -> v.path("encounters").toString().contains("cancelled")
                && v.path("encounters").toString().contains("onleave"));
        assertThat(view.path("encounters").size()).as("the attendance and the admission are one stay, plus the "
                + "cancelled pre-admission: %s", view.path("encounters")).isEqualTo(2);
        JsonNode stay = view.path("encounters").get(0);
        assertThat(stay.path("visit").path("value").asText()).isEqualTo("IPSTAY1");
        assertThat(stay.path("patientClass").asText()).isEqualTo("I");
        assertThat(stay.path("location").asText()).as("the transfer was cancelled").isEqualTo("WARD9 / BED1");
        assertThat(stay.path("status").asText()).isEqualTo("onleave");
        assertThat(stay.path("discharged").isMissingNode() || stay.path("discharged").isNull())
                .as("the discharge was cancelled: %s", stay).isTrue();
        assertThat(java.time.OffsetDateTime.parse(stay.path("admitted").asText()).toInstant())
                .as("from the attendance").isEqualTo(now.minusHours(30).toInstant());
        JsonNode preAdmission = view.path("encounters").get(1);
        assertThat(preAdmission.path("visit").path("value").asText()).isEqualTo("PASTAY1");
        assertThat(preAdmission.path("status").asText()).isEqualTo("cancelled");
    }

    /**
     * One admission registered twice at the hospital (two clerks, two visit numbers), the patient transferred under
     * the second, then the two merged (A42, MRG-5 the duplicate, PV1-19 the visit that survives) and the patient's
     * two account numbers merged (A41). The API shows one stay, where the patient is, admitted when they were.
     */
    @Test
    void aStayRegisteredTwiceAndMergedShowsOnce() throws Exception {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
        String admitted = now.minusHours(10).format(HL7);
        String pid = "PID|1||E2EDUP1^^^RHMX1^MR||Testtwice^Invented||19770707|F|||||||||||ACCT2\r";
        sendAll(adt("A01", "ADT_A01", 190, pid + pv1("I", "WARD4^BED3", "DUPSTAY1", admitted, "")),
                adt("A01", "ADT_A01", 191, pid + pv1("I", "WARD4^BED3", "DUPSTAY2", now.minusHours(9).format(HL7),
                        "")),
                adt("A02", "ADT_A02", 192, pid + pv1("I", "WARD5^BED1", "DUPSTAY2", "", "")));
        String person = awaitPersonId("RHMX1|E2EDUP1");
        await("/api/persons/" + person, v -> v.path("encounters").size() == 2
                && v.path("encounters").toString().contains("WARD5"));

        sendAll(adt("A42", "ADT_A39", 193, pid + "MRG|E2EDUP1^^^RHMX1^MR||||DUPSTAY1^^^RHMX1\r"
                        + pv1("I", "WARD5^BED1", "DUPSTAY2", admitted, "")),
                adt("A41", "ADT_A39", 194, pid + "MRG|E2EDUP1^^^RHMX1^MR||ACCT1\r"));

        JsonNode view = await("/api/persons/" + person, v -> v.path("encounters").size() == 1);
        JsonNode stay = view.path("encounters").get(0);
        assertThat(stay.path("visit").path("value").asText()).as("the number that survived").isEqualTo("DUPSTAY2");
        assertThat(stay.path("location").asText()).isEqualTo("WARD5 / BED1");
        assertThat(stay.path("status").asText()).isEqualTo("in-progress");
        assertThat(java.time.OffsetDateTime.parse(stay.path("admitted").asText()).toInstant())
                .isEqualTo(now.minusHours(10).toInstant());
    }

    /** A lab's ORU with two patients' results: each result shows in its own patient's record, and only there. */
    @Test
    void aResultMessageForTwoPatientsFilesEachResultUnderItsPatient() throws Exception {
        String collected = ZonedDateTime.now(ZoneOffset.UTC).minusDays(1).withNano(0).format(HL7);
        int port = mllpPort();
        try (MllpClient mllp = MllpClient.connect("127.0.0.1", port)) {
            send(mllp, "MSH|^~\\&|LAB|RHMX1|CW|CW|" + collected + "||ORU^R01^ORU_R01|E2E-TWO-1|P|2.5\r"
                    + "PID|1||E2ETWO1^^^RHMX1^MR||Firstpatient^Invented||19500505|F\r"
                    + "OBR|1|PLTWO1|FLTWO1|718-7^Hb^LN|||" + collected + "\r"
                    + "OBX|1|NM|718-7^Hb^LN||131|g/L|115-165||||F\r"
                    + "PID|2||E2ETWO2^^^RHMX1^MR||Secondpatient^Invented||19600606|M\r"
                    + "OBR|1|PLTWO2|FLTWO2|2823-3^Potassium^LN|||" + collected + "\r"
                    + "OBX|1|NM|2823-3^Potassium^LN||6.2|mmol/L|3.5-5.3|H|||F\r"
                    + "NTE|1|L|Sample haemolysed: potassium may be falsely raised.\r");
        }
        String first = awaitPersonId("RHMX1|E2ETWO1");
        String second = awaitPersonId("RHMX1|E2ETWO2");
        assertThat(first).isNotEqualTo(second);

        JsonNode firstView = await("/api/persons/" + first, v -> v.path("results").size() == 1);
        JsonNode secondView = await("/api/persons/" + second, v -> v.path("results").size() == 1);
        assertThat(firstView.path("results").get(0).path("code").path("code").asText()).isEqualTo("718-7");
        assertThat(secondView.path("results").get(0).path("code").path("code").asText()).isEqualTo("2823-3");
        assertThat(secondView.path("name").path("family").asText()).isEqualTo("Secondpatient");
        JsonNode potassium = secondView.path("results").get(0);
        assertThat(potassium.path("notes").get(0).asText()).as("the laboratory's note reaches the clinician")
                .isEqualTo("Sample haemolysed: potassium may be falsely raised.");
        assertThat(potassium.path("order").path("display").asText()).isEqualTo("Potassium");
        assertThat(firstView.path("results").get(0).path("notes")).as("the note is the second patient's only")
                .isEmpty();
    }

    /**
     * A death a PAS records shows in the view, first without its date (PID-30 Y alone, as when a ward is told of a
     * death), then with it, and goes again when the PAS takes it back (PID-30 N).
     */
    @Test
    void aDeathShowsAndATakenBackDeathGoes() throws Exception {
        String now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0).format(HL7);
        String pid = "PID|1||E2EDIED1^^^RHMX1^MR||Died^Invented||19300303|M|||||||||||||||||||||";
        sendAll("MSH|^~\\&|PAS|RHMX1|CW|CW|" + now + "||ADT^A08^ADT_A01|E2E-DIED-0|P|2.4\r"
                + "EVN|A08|" + now + "\r" + pid + "|Y\rPV1|1|N\r");
        String person = awaitPersonId("RHMX1|E2EDIED1");
        JsonNode dateUnknown = await("/api/persons/" + person, v -> v.has("deceasedIndicator"));
        assertThat(dateUnknown.path("deceasedIndicator").asBoolean()).isTrue();
        assertThat(dateUnknown.has("deceased")).as("no date was given").isFalse();

        sendAll("MSH|^~\\&|PAS|RHMX1|CW|CW|" + now + "||ADT^A08^ADT_A01|E2E-DIED-1|P|2.4\r"
                + "EVN|A08|" + now + "\r" + pid + "20261127123000+0000|Y\rPV1|1|N\r");
        JsonNode died = await("/api/persons/" + person, v -> v.has("deceased"));
        assertThat(died.path("deceased").asText()).isEqualTo("2026-11-27T12:30:00+00:00");
        assertThat(died.path("deceasedIndicator").asBoolean()).isTrue();

        sendAll("MSH|^~\\&|PAS|RHMX1|CW|CW|" + now + "||ADT^A08^ADT_A01|E2E-DIED-2|P|2.4\r"
                + "EVN|A08|" + now + "\r" + pid + "|N\rPV1|1|N\r");
        JsonNode takenBack = await("/api/persons/" + person, v -> !v.has("deceased"));
        assertThat(takenBack.has("deceasedIndicator")).isFalse();
    }

    /** A radiology report sent one line per OBX shows whole and in order, not as its last line. */
    @Test
    void aTextReportSentLineByLineShowsWhole() throws Exception {
        String collected = ZonedDateTime.now(ZoneOffset.UTC).minusDays(1).withNano(0).format(HL7);
        sendAll("MSH|^~\\&|RIS|RHMX1|CW|CW|" + collected + "||ORU^R01^ORU_R01|E2E-RAD-1|P|2.5\r"
                + "PID|1||E2ERAD1^^^RHMX1^MR||Radiology^Invented||19700707|F\r"
                + "OBR|1|PLRAD1|FLRAD1|XCHES^Chest X-ray^RIS|||" + collected + "\r"
                + "OBX|1|TX|XCHES^Chest X-ray report^RIS||Clinical details: cough.||||||F\r"
                + "OBX|2|TX|XCHES^Chest X-ray report^RIS||||||||F\r"
                + "OBX|3|TX|XCHES^Chest X-ray report^RIS||Findings: lungs are clear.||||||F\r"
                + "OBX|4|TX|XCHES^Chest X-ray report^RIS||Conclusion: normal chest.||||||F\r");
        String person = awaitPersonId("RHMX1|E2ERAD1");

        JsonNode view = await("/api/persons/" + person, v -> v.path("results").size() == 1);
        assertThat(view.path("results").get(0).path("value").asText()).isEqualTo(
                "Clinical details: cough.\n\nFindings: lungs are clear.\nConclusion: normal chest.");
    }

    /**
     * The review queue end to end: two records identity cannot decide on alone raise a review; `careweave review
     * list` shows the pair, `careweave review decide --same-person` links it, and the API then shows one person.
     */
    @Test
    void aReviewPairDecidedByAPersonBecomesOnePerson() throws Exception {
        int port = mllpPort();
        try (MllpClient mllp = MllpClient.connect("127.0.0.1", port)) {
            send(mllp, adt("A04", "ADT_A01", 20, "PID|1||E2EREV1^^^RHMX1^MR||Testreview^Harriet||19660606|F|||"
                    + "3 Example Road^^Leeds^^LS7 3AB\r" + pv1("O", "CLINIC1", "REVV1", "", "")));
            send(mllp, "MSH|^~\\&|GPSYS|B86001|CW|CW|" + ZonedDateTime.now(ZoneOffset.UTC).format(HL7)
                    + "||ADT^A28^ADT_A05|E2E-REV-21|P|2.4\r"
                    + "PID|1||E2EREV2^^^B86001^PI||Testreview^Harriet||19660606|F|||"
                    + "40 Other Street^^Bradford^^BD1 1XX\r");
        }
        String hospital = awaitPersonId("RHMX1|E2EREV1");
        String gp = awaitPersonId("B86001|E2EREV2");
        assertThat(gp).as("not linked by demographics alone").isNotEqualTo(hospital);

        try (ExternalPlatformProperties properties = new ExternalPlatformProperties(platform, "it-e2e.")) {
            String pair = null;
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (pair == null && System.nanoTime() < deadline) {
                CommandRun list = CommandRun.of("review", "list");
                assertThat(list.exitCode()).as(list.err()).isZero();
                pair = list.outLines().stream()
                        .filter(l -> l.contains("RHMX1|E2EREV1") && l.contains("B86001|E2EREV2"))
                        .map(l -> l.substring(0, l.indexOf(' '))).findFirst().orElse(null);
                if (pair == null) {
                    Thread.sleep(200);
                }
            }
            assertThat(pair).as("the pair is in the review queue").isNotNull();
            assertThat(CommandRun.of("review", "list").out()).as("no demographics printed")
                    .doesNotContain("Testreview").doesNotContain("1966");

            CommandRun decide = CommandRun.of("review", "decide", pair, "--same-person", "--by", "e2e steward");
            assertThat(decide.exitCode()).as(decide.err()).isZero();
            CommandRun again = CommandRun.of("review", "decide", "pair-nosuchpair", "--different-persons", "--by",
                    "e2e steward");
            assertThat(again.exitCode()).isEqualTo(1);

            JsonNode view = await("/api/persons/" + hospital,
                    v -> v.path("identifiers").toString().contains("E2EREV2"));
            assertThat(view.path("identifiers").toString()).contains("E2EREV1");
            String decidedPair = pair;
            long closedBy = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (CommandRun.of("review", "list").out().contains(decidedPair) && System.nanoTime() < closedBy) {
                Thread.sleep(200);
            }
            assertThat(CommandRun.of("review", "list").out()).as("the pair is closed").doesNotContain(decidedPair);
            assertThat(CommandRun.of("review", "list", "--all").out()).contains(decidedPair)
                    .contains("closed DECIDED_SAME_PERSON");
        }
        HttpResponse<String> merged = get("/api/persons/" + gp);
        long redirectBy = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (merged.statusCode() != 308 && System.nanoTime() < redirectBy) {
            Thread.sleep(200);
            merged = get("/api/persons/" + gp);
        }
        assertThat(merged.statusCode()).as("the younger person redirects to the survivor").isEqualTo(308);
        assertThat(merged.headers().firstValue("Location").orElse("")).contains(hospital);
    }

    /**
     * An older patient administration system's feed: its nickname listed before the legal name, no visit numbers,
     * {@code PV1|1|N} on every update, a laboratory whose PID has only an initial, and an A18 (the v2.2 merge). The view
     * shows the legal and registered name, one stay that its transfer and discharge update, no empty visits, and the
     * merged record's result under the survivor.
     */
    @Test
    void anOlderFeedShowsAsARecentOneDoes() throws Exception {
        String now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0).format(HL7);
        String collected = ZonedDateTime.now(ZoneOffset.UTC).minusDays(1).withNano(0).format(HL7);
        String pid = "PID|1||OLDPAS1^^^RHMX1^MR||Oldfeed^Bob^^^^^N~Oldfeed^Robert^^^Mr^^L||19440404|M\r";
        sendAll(adt("A01", "ADT_A01", 60, pid + pv1("I", "WARD4^BED1", "", now, "")),
                adt("A08", "ADT_A01", 61, pid + "PV1|1|N\r"),
                adt("A02", "ADT_A02", 62, pid + pv1("I", "WARD5^BED2", "", "", "")),
                adt("A08", "ADT_A01", 63, pid + "PV1|1\r"),
                adt("A03", "ADT_A03", 64, pid + pv1("I", "WARD5^BED2", "", "", now)),
                adt("A04", "ADT_A01", 65, "PID|1||OLDPAS2^^^RHMX1^MR||Oldfeed^Robert||19440404|M\rPV1|1|N\r"),
                "MSH|^~\\&|LAB|RHMX1|CW|CW|" + collected + "||ORU^R01|E2E-OLD-66|P|2.3\r"
                        + "PID|1||OLDPAS2^^^RHMX1^MR||OLDFEED^R||19440404|U\r"
                        + "OBR|1|PLOLD1|FLOLD1|2823-3^Potassium^LN|||" + collected + "\r"
                        + "OBX|1|NM|2823-3^Potassium^LN||4.1|mmol/L|3.5-5.3||||F\r");
        String survivor = awaitPersonId("RHMX1|OLDPAS1");
        JsonNode beforeMerge = await("/api/persons/" + awaitPersonId("RHMX1|OLDPAS2"),
                v -> v.path("results").size() == 1);
        assertThat(beforeMerge.path("name").path("given").get(0).asText())
                .as("the laboratory's echo of the request form does not replace the registered name")
                .isEqualTo("Robert");
        assertThat(beforeMerge.path("sex").asText()).isEqualTo("M");

        sendAll("MSH|^~\\&|PAS|RHMX1|CW|CW|" + now + "||ADT^A18|E2E-OLD-67|P|2.2\rEVN|A18\r" + pid
                + "MRG|OLDPAS2^^^RHMX1^MR\r");
        JsonNode view = await("/api/persons/" + survivor, v -> v.path("results").size() == 1
                && v.path("encounters").toString().contains("finished"));
        assertThat(view.path("name").path("given").get(0).asText()).isEqualTo("Robert");
        assertThat(view.path("encounters")).as("one stay: %s", view.path("encounters")).singleElement()
                .satisfies(stay -> {
                    assertThat(stay.path("location").asText()).isEqualTo("WARD5 / BED2");
                    assertThat(stay.path("status").asText()).isEqualTo("finished");
                    assertThat(stay.path("admitted").isTextual()).isTrue();
                    assertThat(stay.path("discharged").isTextual()).isTrue();
                });
        assertThat(view.path("results").get(0).path("value").asText()).isEqualTo("4.1");
        assertThat(awaitPersonId("RHMX1|OLDPAS2")).as("the merged number finds the survivor").isEqualTo(survivor);
    }

    /**
     * A hospital number sent again with a second NHS number (the hospital's trace corrected it): the record takes the
     * new number, and the view shows the record under review (NHS_NUMBER_CHANGED), so a clinician knows its NHS number
     * changed. A laboratory report that still carries the old number does not change it back; that number shows under
     * review instead (CONFLICTING_NHS_NUMBER). Until the twenty-third session the record kept the old number for good.
     */
    @Test
    void aSecondNhsNumberForAHospitalNumberShowsAsUnderReview() throws Exception {
        String pid = "PID|1||NHSCHG1^^^RHMX1^MR~%s^^^NHS^NH||Changed^Invented||19610606|M\r";
        sendAll(adt("A08", "ADT_A01", 90, pid.formatted("9990000158") + "PV1|1|N\r"),
                adt("A08", "ADT_A01", 91, pid.formatted("9990000166") + "PV1|1|N\r"));
        String person = awaitPersonId("RHMX1|NHSCHG1");

        JsonNode view = await("/api/persons/" + person, v -> v.path("identifiersUnderReview").size() == 1
                && v.path("nhsNumber").asText().equals("9990000166"));
        JsonNode under = view.path("identifiersUnderReview").get(0);
        assertThat(under.path("identifier").path("value").asText()).isEqualTo("NHSCHG1");
        assertThat(under.path("reason").asText()).isEqualTo("NHS_NUMBER_CHANGED");
        assertThat(view.path("identifiers").toString()).doesNotContain("9990000158");
        assertThat(view.path("possibleDuplicates")).isEmpty();

        String collected = ZonedDateTime.now(ZoneOffset.UTC).minusHours(2).withNano(0).format(HL7);
        sendAll("MSH|^~\\&|LAB|RHMX1|CW|CW|" + collected + "||ORU^R01^ORU_R01|E2E-NHSCHG-92|P|2.5\r"
                + pid.formatted("9990000158") + "OBR|1|PCHG1|FCHG1|2823-3^Potassium^LN|||" + collected + "\r"
                + "OBX|1|NM|2823-3^Potassium^LN||4.1|mmol/L|3.5-5.3|N|||F\r");
        JsonNode echoed = await("/api/persons/" + person, v -> v.path("results").size() == 1
                && v.path("identifiersUnderReview").size() == 2);
        assertThat(echoed.path("nhsNumber").asText()).as("the report does not undo the change").isEqualTo("9990000166");
        assertThat(echoed.path("identifiersUnderReview").toString()).contains("CONFLICTING_NHS_NUMBER")
                .contains("9990000158");
    }

    /**
     * A GP record arrives with the hospital patient's NHS number but another man's name, sex and birth date (the number
     * keyed into the wrong record): it links, as the NHS number says, and the view shows that record under review,
     * so a clinician knows that some of what the record shows may be another patient's.
     */
    @Test
    void anNhsNumberOnSomeoneElsesDemographicsShowsItsRecordUnderReview() throws Exception {
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(HL7);
        sendAll(adt("A04", "ADT_A01", 108, "PID|1||9990000190^^^NHS^NH~QNHS1^^^RHMX1^MR||Testquery^Alice||19800101|F"
                        + "|||1 Elm Road^^Leeds^^LS1 1AA\rPV1|1|N\r"),
                "MSH|^~\\&|GPSYS|B86001|CW|CW|" + now + "||ADT^A28^ADT_A05|E2E-QNHS-2|P|2.4\r"
                        + "PID|1||9990000190^^^NHS^NH~QNHS2^^^B86001^PI||Otherman^Bernard||19550707|M"
                        + "|||9 Far Lane^^Bradford^^BD9 9ZZ\r");
        String person = awaitPersonId("RHMX1|QNHS1");
        assertThat(awaitPersonId("B86001|QNHS2")).as("the NHS number links them").isEqualTo(person);

        JsonNode view = await("/api/persons/" + person, v -> v.path("identifiersUnderReview").size() == 1);
        JsonNode under = view.path("identifiersUnderReview").get(0);
        assertThat(under.path("identifier").path("system").asText()).isEqualTo("B86001");
        assertThat(under.path("identifier").path("value").asText()).isEqualTo("QNHS2");
        assertThat(under.path("reason").asText()).isEqualTo("NHS_NUMBER_DEMOGRAPHICS_DISAGREE");
        assertThat(view.path("possibleDuplicates")).isEmpty();
    }

    /**
     * A hospital keys another patient's NHS number into its record: the record joins her, its result on show in her
     * record, flagged for review. When the hospital corrects the number, the record and its result leave her and
     * show under the corrected number. Until the twenty-third session the correction changed nothing: the record
     * stayed on her person, with its result, for good.
     */
    @Test
    void anNhsNumberCorrectedAtTheHospitalTakesItsRecordAndResultOutOfTheWrongPatient() throws Exception {
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(HL7);
        String collected = ZonedDateTime.now(ZoneOffset.UTC).minusDays(1).withNano(0).format(HL7);
        String keyedWrong = "PID|1||9990000409^^^NHS^NH~FIX2^^^RHMX1^MR||Testbeta^Bob||19800202|M\r";
        sendAll("MSH|^~\\&|GPSYS|B86001|CW|CW|" + now + "||ADT^A28^ADT_A05|E2E-FIX-152|P|2.4\r"
                        + "PID|1||9990000409^^^NHS^NH~FIX1^^^B86001^PI||Testalpha^Ann||19700101|F\r",
                adt("A04", "ADT_A01", 150, keyedWrong + "PV1|1|O\r"),
                "MSH|^~\\&|LAB|RHMX1|CW|CW|" + collected + "||ORU^R01^ORU_R01|E2E-FIX-153|P|2.5\r" + keyedWrong
                        + "OBR|1|PFIX1|FFIX1|4548-4^HbA1c^LN|||" + collected + "\r"
                        + "OBX|1|NM|4548-4^HbA1c^LN||51|mmol/mol|20-42|H|||F\r");
        String anns = awaitPersonId("B86001|FIX1");
        assertThat(awaitPersonId("RHMX1|FIX2")).as("the NHS number links them").isEqualTo(anns);
        await("/api/persons/" + anns, v -> v.path("results").size() == 1
                && v.path("identifiersUnderReview").size() == 1);

        sendAll(adt("A08", "ADT_A01", 151, keyedWrong.replace("9990000409", "9990000417") + "PV1|1|N\r"));

        String bobs = awaitPersonIdOtherThan("RHMX1|FIX2", anns);
        assertThat(bobs).isNotEqualTo(anns);
        JsonNode hers = await("/api/persons/" + anns, v -> v.path("results").isEmpty());
        assertThat(hers.path("identifiers").toString()).doesNotContain("FIX2");
        assertThat(hers.path("possibleDuplicates")).as("the question the wrong number raised is moot").isEmpty();
        assertThat(hers.path("identifiersUnderReview")).isEmpty();
        JsonNode his = await("/api/persons/" + bobs, v -> v.path("results").size() == 1
                && v.path("identifiersUnderReview").toString().contains("NHS_NUMBER_CHANGED"));
        assertThat(his.path("identifiers").toString()).contains("9990000417").doesNotContain("9990000409");
        assertThat(his.path("name").path("family").asText()).isEqualTo("Testbeta");
        assertThat(his.path("possibleDuplicates")).isEmpty();
        assertThat(awaitPersonId("https://fhir.nhs.uk/Id/nhs-number|9990000417")).isEqualTo(bobs);
        assertThat(awaitPersonId("https://fhir.nhs.uk/Id/nhs-number|9990000409")).isEqualTo(anns);
        // The records team is not left a question the hospital has answered: the pair the wrong number raised closes.
        Predicate<JsonNode> wrongNumbersPair = r -> r.toString().contains("FIX1") && r.toString().contains("FIX2");
        JsonNode decided = await("/api/reviews?status=decided&limit=1000", v -> java.util.stream.StreamSupport
                .stream(v.path("reviews").spliterator(), false).anyMatch(wrongNumbersPair));
        JsonNode settled = java.util.stream.StreamSupport.stream(decided.path("reviews").spliterator(), false)
                .filter(wrongNumbersPair).findFirst().orElseThrow();
        assertThat(settled.path("reason").asText()).isEqualTo("SETTLED_DIFFERENT_PERSONS");
        assertThat(settled.path("evidence").toString()).contains("NHS_NUMBER_CHANGED");
        assertThat(json(get("/api/reviews?status=open&limit=1000")).path("reviews").toString())
                .as("only the change itself waits for the records team").doesNotContain("FIX1");
    }

    /**
     * Two patients swap beds (A17), then one visit is deleted as recorded in error (A23): each view shows its
     * patient in the other's bed, and the deleted visit goes.
     */
    @Test
    void aBedSwapAndADeletedVisitShowAsTheWardDidThem() throws Exception {
        String first = "PID|1||SWAP1^^^RHMX1^MR||Swapone^Invented||19510101|F\r";
        String second = "PID|2||SWAP2^^^RHMX1^MR||Swaptwo^Invented||19520202|F\r";
        sendAll(adt("A01", "ADT_A01", 80, first + pv1("I", "WARD3^BED1", "VSWAP1", "", "")),
                adt("A01", "ADT_A01", 81, second.replace("PID|2|", "PID|1|") + pv1("I", "WARD3^BED2", "VSWAP2", "",
                        "")),
                adt("A17", "ADT_A17", 82, first + pv1("I", "WARD3^BED2", "VSWAP1", "", "") + second
                        + pv1("I", "WARD3^BED1", "VSWAP2", "", "")));
        JsonNode one = await("/api/persons/" + awaitPersonId("RHMX1|SWAP1"),
                v -> v.path("encounters").toString().contains("BED2"));
        JsonNode two = await("/api/persons/" + awaitPersonId("RHMX1|SWAP2"),
                v -> v.path("encounters").toString().contains("BED1"));
        assertThat(one.path("encounters").get(0).path("location").asText()).isEqualTo("WARD3 / BED2");
        assertThat(two.path("encounters").get(0).path("location").asText()).isEqualTo("WARD3 / BED1");
        assertThat(one.path("encounters").get(0).path("status").asText()).as("still admitted").isEqualTo("in-progress");

        sendAll(adt("A23", "ADT_A21", 83, first + pv1("I", "WARD3^BED2", "VSWAP1", "", "")));
        await("/api/persons/" + awaitPersonId("RHMX1|SWAP1"), v -> v.path("encounters").isEmpty());
    }

    /**
     * Twins whose names differ by a letter, as a typo would: the hospital states each one's place in the birth
     * (PID-24, PID-25), and they stay two children, each with their own result.
     */
    @Test
    void twinsTheHospitalNumberedStayTwoChildren() throws Exception {
        String twin = "PID|1||TWIN%d^^^RHMX1^MR||Testtwin^%s||20190303|M|||5 Cot Lane^^Leeds^^LS2 3CD"
                + "|||||||||||||Y|%d\r";
        sendAll(adt("A04", "ADT_A01", 106, twin.formatted(1, "Jayden", 1) + "PV1|1|N\r"),
                adt("A04", "ADT_A01", 107, twin.formatted(2, "Jaden", 2) + "PV1|1|N\r"));
        String first = awaitPersonId("RHMX1|TWIN1");
        String second = awaitPersonId("RHMX1|TWIN2");
        assertThat(second).isNotEqualTo(first);
        JsonNode view = await("/api/persons/" + second, v -> v.path("name").path("given").toString()
                .contains("Jaden"));
        assertThat(view.path("possibleDuplicates")).as("the hospital has said who is who").isEmpty();
    }

    /**
     * A GP practice registers a patient by mistake under a wrong name and withdraws the registration (A29): the view
     * goes back to the hospital's name, and the practice's number still finds the patient.
     */
    @Test
    void aRegistrationWithdrawnByItsPracticeNoLongerNamesThePatient() throws Exception {
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(HL7);
        sendAll(adt("A04", "ADT_A01", 105, "PID|1||9990000182^^^NHS^NH~WDRAWN1^^^RHMX1^MR||Testkept^Imogen||19710101|F"
                        + "\rPV1|1|N\r"),
                "MSH|^~\\&|GPSYS|B86001|CW|CW|" + now + "||ADT^A28^ADT_A05|E2E-A29-1|P|2.4\r"
                        + "PID|1||9990000182^^^NHS^NH~WDRAWN2^^^B86001^PI||Testmistaken^Imelda||19710110|F\r");
        String person = awaitPersonId("RHMX1|WDRAWN1");
        await("/api/persons/" + person, v -> v.path("name").path("family").asText().equals("Testmistaken"));

        sendAll("MSH|^~\\&|GPSYS|B86001|CW|CW|" + now + "||ADT^A29^ADT_A21|E2E-A29-2|P|2.4\r"
                + "PID|1||9990000182^^^NHS^NH~WDRAWN2^^^B86001^PI||Testmistaken^Imelda||19710110|F\r");

        JsonNode view = await("/api/persons/" + person, v -> v.path("name").path("family").asText()
                .equals("Testkept"));
        assertThat(view.path("birthDate").asText()).isEqualTo("1971-01-01");
        assertThat(view.path("otherNames").toString()).doesNotContain("Testmistaken");
        assertThat(awaitPersonId("B86001|WDRAWN2")).isEqualTo(person);
    }

    /**
     * A patient flagged sensitive (PD1-12 Y from the hospital that traced her): every organisation's address, phone
     * and GP practice leave her view, the search by postcode no longer finds her, and they come back only when that
     * hospital lifts the restriction.
     */
    @Test
    void aSensitivePatientsAddressIsWithheldFromEveryOrganisation() throws Exception {
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(HL7);
        sendAll("MSH|^~\\&|GPSYS|B86001|CW|CW|" + now + "||ADT^A28^ADT_A05|E2E-HIDE-110|P|2.4\rEVN|A28\r"
                + "PID|1||HIDE1^^^B86001^PI~9990000204^^^NHS^NH||Testhidden^Rhea||19820303|F|||"
                + "1 Old Road^^Leeds^^LS1 4AB||07700 900001\rPD1|||Example Practice^^B86001\r");
        String person = awaitPersonId("B86001|HIDE1");
        await("/api/persons/" + person, v -> v.path("address").path("postcode").asText().equals("LS1 4AB"));
        String search = "/api/persons?family=Testhidden&birthdate=1982-03-03&address-postalcode=LS14AB";
        await(search, v -> v.path("persons").size() == 1);

        sendAll(adt("A04", "ADT_A01", 110, "PID|1||HIDE2^^^RHMX1^MR~9990000204^^^NHS^NH||Testhidden^Rhea||19820303|F|||"
                + "2 New Street^^Leeds^^LS2 9ZZ||07700 900002\rPD1||||||||||||Y\rPV1|1|O\r"));
        JsonNode hidden = await("/api/persons/" + person, v -> v.path("restricted").asBoolean());
        assertThat(awaitPersonId("RHMX1|HIDE2")).isEqualTo(person);
        assertThat(hidden.has("address")).as(hidden.toString()).isFalse();
        assertThat(hidden.has("phone")).isFalse();
        assertThat(hidden.has("generalPractice")).isFalse();
        assertThat(hidden.toString()).doesNotContain("Old Road", "LS1 4AB", "New Street", "LS2 9ZZ", "07700");
        assertThat(hidden.path("name").path("family").asText()).isEqualTo("Testhidden");
        assertThat(hidden.path("nhsNumber").asText()).isEqualTo("9990000204");
        assertThat(json(get(search)).path("persons").size()).as("not found by where she lives").isZero();
        assertThat(json(get("/api/persons?family=Testhidden&birthdate=1982-03-03")).path("persons").size())
                .as("found by name and birth date").isEqualTo(1);

        sendAll(adt("A08", "ADT_A01", 111, "PID|1||HIDE2^^^RHMX1^MR~9990000204^^^NHS^NH||Testhidden^Rhea||19820303|F"
                + "\rPD1||||||||||||N\rPV1|1|O\r"));
        JsonNode lifted = await("/api/persons/" + person, v -> !v.path("restricted").asBoolean());
        assertThat(lifted.path("address").path("postcode").asText()).isEqualTo("LS2 9ZZ");
    }

    /**
     * An HbA1c the laboratory could not do (an insufficient sample) is shown, but it is no test done: the retake two
     * days later raises no repeat-test alert, and "before you order" names the retake as the last test.
     */
    @Test
    void aTestTheLaboratoryCouldNotDoIsNoReasonNotToRetakeIt() throws Exception {
        String patient = "PID|1||NOTOB1^^^RHMX1^MR~9990000220^^^NHS^NH||Testretake^Nia||19660606|F\r";
        String failedAt = ZonedDateTime.now(ZoneOffset.UTC).minusDays(3).withNano(0).format(HL7);
        String retakeAt = ZonedDateTime.now(ZoneOffset.UTC).minusDays(1).withNano(0).format(HL7);
        sendAll(adt("A04", "ADT_A01", 120, patient + "PV1|1|O\r"),
                "MSH|^~\\&|LAB|RHMX1|CW|CW|" + failedAt + "||ORU^R01^ORU_R01|E2E-NOTOB-121|P|2.5\r" + patient
                        + "OBR|1|PNOTOB1|FNOTOB1|4548-4^HbA1c^LN|||" + failedAt + "\r"
                        + "OBX|1|ST|4548-4^HbA1c^LN||Insufficient sample||||||F\r");
        String person = awaitPersonId("RHMX1|NOTOB1");
        JsonNode failed = await("/api/persons/" + person, v -> v.path("results").size() == 1);
        assertThat(failed.path("results").get(0).path("notObtained").asBoolean()).isTrue();
        String recentTests = "/api/persons/" + person + "/recent-tests?code="
                + URLEncoder.encode("http://loinc.org|4548-4", StandardCharsets.UTF_8);
        JsonNode before = json(get(recentTests));
        assertThat(before.has("lastResult")).as("no test done yet").isFalse();
        assertThat(before.path("laterNotObtained").path("value").asText()).as("but an attempt that failed")
                .isEqualTo("Insufficient sample");

        sendAll("MSH|^~\\&|LAB|RHMX1|CW|CW|" + retakeAt + "||ORU^R01^ORU_R01|E2E-NOTOB-122|P|2.5\r" + patient
                + "OBR|1|PNOTOB2|FNOTOB2|4548-4^HbA1c^LN|||" + retakeAt + "\r"
                + "OBX|1|NM|4548-4^HbA1c^LN||49|mmol/mol|20-42|H|||F\r");
        JsonNode retaken = await("/api/persons/" + person, v -> v.path("results").size() == 2);
        assertThat(retaken.path("alerts").size()).as("the retake was needed, not a repeat").isZero();
        JsonNode recent = json(get(recentTests));
        assertThat(recent.path("lastResult").path("value").asText()).isEqualTo("49");
        assertThat(recent.path("withinInterval").asBoolean()).isTrue();
        assertThat(recent.has("laterNotObtained")).as("the failed attempt came before the retake").isFalse();
    }

    /**
     * The hospital's own trace of a patient's NHS number found a conflict (PID-32 05), and the number joins the
     * practice's record of her: the view shows the hospital record under review until the hospital sends the number
     * verified (01).
     */
    @Test
    void aNumberTheHospitalsTraceLeftInConflictIsUnderReviewUntilVerified() throws Exception {
        // PID-32 is the 32nd field: 23 empty fields after the sex.
        String pid = "PID|1||9990000522^^^NHS^NH~%s||Testtraced^Wynne||19480808|F" + "|".repeat(24) + "%s\r";
        String now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0).format(HL7);
        sendAll("MSH|^~\\&|GPSYS|B86001|CW|CW|" + now + "||ADT^A28^ADT_A05|E2E-TRACE-180|P|2.4\r"
                        + pid.formatted("TRACE1^^^B86001^PI", "01"),
                adt("A04", "ADT_A01", 181, pid.formatted("TRACE2^^^RHMX1^MR", "05") + "PV1|1|O\r"));
        String person = awaitPersonId("B86001|TRACE1");
        assertThat(awaitPersonId("RHMX1|TRACE2")).as("the number links them").isEqualTo(person);
        JsonNode flagged = await("/api/persons/" + person, v -> v.path("identifiersUnderReview").toString()
                .contains("NHS_NUMBER_TRACE_UNRESOLVED"));
        assertThat(flagged.path("identifiersUnderReview").toString()).contains("TRACE2").doesNotContain("TRACE1");

        sendAll(adt("A08", "ADT_A01", 182, pid.formatted("TRACE2^^^RHMX1^MR", "01") + "PV1|1|N\r"));

        await("/api/persons/" + person, v -> v.path("identifiersUnderReview").isEmpty());
    }

    /**
     * A laboratory reports HbA1c in mmol/mol (LOINC 59261-8, as UK laboratories do); the clinician's app asks
     * "before you order" with the code of HbA1c in % (4548-4). One retest rule covers both, so the test is found.
     */
    @Test
    void aTestReportedUnderAnotherCodeOfItsRuleIsFoundBeforeOrdering() throws Exception {
        String patient = "PID|1||IFCC1^^^RHMX1^MR~9990000484^^^NHS^NH||Testifcc^Ida||19640404|F\r";
        String collected = ZonedDateTime.now(ZoneOffset.UTC).minusDays(5).withNano(0).format(HL7);
        sendAll(adt("A04", "ADT_A01", 170, patient + "PV1|1|O\r"),
                "MSH|^~\\&|LAB|RHMX1|CW|CW|" + collected + "||ORU^R01^ORU_R01|E2E-IFCC-171|P|2.5\r" + patient
                        + "OBR|1|PIFCC1|FIFCC1|59261-8^HbA1c IFCC^LN|||" + collected + "\r"
                        + "OBX|1|NM|59261-8^HbA1c IFCC^LN||53|mmol/mol|20-42|H|||F\r");
        String person = awaitPersonId("RHMX1|IFCC1");
        await("/api/persons/" + person, v -> v.path("results").size() == 1);

        JsonNode recent = json(get("/api/persons/" + person + "/recent-tests?code="
                + URLEncoder.encode("http://loinc.org|4548-4", StandardCharsets.UTF_8)));

        assertThat(recent.path("lastResult").path("value").asText()).isEqualTo("53");
        assertThat(recent.path("withinInterval").asBoolean()).isTrue();
        assertThat(recent.path("retestInterval").path("ruleId").asText()).isEqualTo("hba1c");
    }

    /**
     * An HbA1c whose collection date was keyed a month ahead at the ward: "before you order" counts its interval from
     * when the result arrived, not from the date a month away, and says why.
     */
    @Test
    void aCollectionDateKeyedAheadIsCountedFromTheResultsArrival() throws Exception {
        String patient = "PID|1||AHEAD1^^^RHMX1^MR~9990000468^^^NHS^NH||Testahead^Ada||19670707|F\r";
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
        String mistyped = now.plusDays(30).format(HL7);
        sendAll(adt("A04", "ADT_A01", 160, patient + "PV1|1|O\r"),
                "MSH|^~\\&|LAB|RHMX1|CW|CW|" + now.format(HL7) + "||ORU^R01^ORU_R01|E2E-AHEAD-161|P|2.5\r" + patient
                        + "OBR|1|PAHEAD1|FAHEAD1|4548-4^HbA1c^LN|||" + mistyped + "\r"
                        + "OBX|1|NM|4548-4^HbA1c^LN||48|mmol/mol|20-42|H|||F\r");
        String person = awaitPersonId("RHMX1|AHEAD1");
        await("/api/persons/" + person, v -> v.path("results").size() == 1);

        JsonNode recent = json(get("/api/persons/" + person + "/recent-tests?code="
                + URLEncoder.encode("http://loinc.org|4548-4", StandardCharsets.UTF_8)));

        assertThat(recent.path("lastResult").path("value").asText()).isEqualTo("48");
        assertThat(recent.path("withinInterval").asBoolean()).as("a test now would repeat it").isTrue();
        java.time.OffsetDateTime earliest = java.time.OffsetDateTime.parse(recent.path("earliestRetest").asText());
        assertThat(earliest.toInstant()).as("90 days from its arrival, not from a month ahead")
                .isBefore(now.plusDays(91).toInstant()).isAfter(now.plusDays(89).toInstant());
        assertThat(recent.path("explanation").asText()).contains("after its result reached careweave");
    }

    /**
     * An admission the hospital's interface engine held in its queue and delivered after the discharge (as after an
     * outage): the view reads the visit's events in the order the hospital recorded them, so the patient stays
     * discharged.
     */
    @Test
    void anAdmissionDeliveredAfterTheDischargeLeavesThePatientDischarged() throws Exception {
        String patient = "PID|1||LATE1^^^RHMX1^MR||Testlate^Owen||19590909|M\r";
        ZonedDateTime admittedAt = ZonedDateTime.now(ZoneOffset.UTC).minusHours(6).withNano(0);
        ZonedDateTime dischargedAt = admittedAt.plusHours(4);
        String admission = "MSH|^~\\&|PAS|RHMX1|CW|CW|" + admittedAt.format(HL7)
                + "||ADT^A01^ADT_A01|E2E-LATE-131|P|2.5"
                + "\rEVN|A01|" + admittedAt.format(HL7) + "\r" + patient
                + pv1("I", "WARD3^BED2", "VLATE1", admittedAt.format(HL7), "");
        String discharge = "MSH|^~\\&|PAS|RHMX1|CW|CW|" + dischargedAt.format(HL7)
                + "||ADT^A03^ADT_A03|E2E-LATE-132|P|2.5"
                + "\rEVN|A03|" + dischargedAt.format(HL7) + "\r" + patient
                + pv1("I", "", "VLATE1", admittedAt.format(HL7), dischargedAt.format(HL7));
        sendAll(discharge);
        String person = awaitPersonId("RHMX1|LATE1");
        await("/api/persons/" + person, v -> v.path("encounters").size() == 1);
        sendAll(admission);

        // The admission's own statements show where the discharge said nothing; its status does not.
        JsonNode view = await("/api/persons/" + person,
                v -> v.path("encounters").get(0).path("location").asText().equals("WARD3 / BED2"));
        JsonNode stay = view.path("encounters").get(0);
        assertThat(stay.path("status").asText()).isEqualTo("finished");
        assertThat(stay.path("discharged").asText()).isNotEmpty();
    }

    /**
     * A practice system whose clock was set a year ahead for one message (a clock change gone wrong): its next update,
     * stamped right, still changes the patient's address. Before, the year-ahead stamp was kept as when the practice
     * recorded its statements, every later true statement of the practice read as older, and the address never
     * changed again.
     */
    @Test
    void aSenderClockSetAheadOnceDoesNotFreezeThePatientsDetails() throws Exception {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String patient = "PID|1||CLOCK1^^^B86001^PI||Testclock^Ivy||19750505|F|||";
        String ahead = now.plusYears(1).format(HL7);
        sendAll("MSH|^~\\&|GPSYS|B86001|CW|CW|" + ahead + "||ADT^A28^ADT_A05|E2E-CLOCK-140|P|2.4\rEVN|A28|" + ahead
                + "\r" + patient + "1 Old Road^^Leeds^^LS1 4AB\r");
        String person = awaitPersonId("B86001|CLOCK1");
        await("/api/persons/" + person, v -> v.path("address").path("postcode").asText().equals("LS1 4AB"));

        String later = now.plusMinutes(1).format(HL7);
        sendAll("MSH|^~\\&|GPSYS|B86001|CW|CW|" + later + "||ADT^A31^ADT_A05|E2E-CLOCK-141|P|2.4\rEVN|A31|" + later
                + "\r" + patient + "2 New Street^^Leeds^^LS2 9ZZ\r");
        await("/api/persons/" + person, v -> v.path("address").path("postcode").asText().equals("LS2 9ZZ"));
    }

    /**
     * A stay recorded under the wrong patient is moved to the right one (A45): it leaves the first patient's view
     * and shows in the second's, on the ward where it is, beside the visit the second patient had.
     */
    @Test
    void aStayRecordedUnderTheWrongPatientMovesToTheRightOne() throws Exception {
        String wrong = "PID|1||MOVEW^^^RHMX1^MR||Movewrong^Invented||19530303|F\r";
        String right = "PID|1||MOVER^^^RHMX1^MR||Moveright^Invented||19540404|F\r";
        String admitted = ZonedDateTime.now(ZoneOffset.UTC).minusHours(5).withNano(0).format(HL7);
        sendAll(adt("A01", "ADT_A01", 102, wrong + pv1("I", "WARD5^BED3", "VMOVE1", admitted, "")),
                adt("A04", "ADT_A01", 103, right + pv1("O", "CLINIC2", "VMOVE0", "", "")));
        String wrongPerson = awaitPersonId("RHMX1|MOVEW");
        String rightPerson = awaitPersonId("RHMX1|MOVER");
        await("/api/persons/" + wrongPerson, v -> v.path("encounters").size() == 1);
        await("/api/persons/" + rightPerson, v -> v.path("encounters").size() == 1);

        sendAll(adt("A45", "ADT_A45", 104, right + "MRG|MOVEW^^^RHMX1^MR||||VMOVE1^^^RHMX1\r"
                + pv1("I", "WARD5^BED3", "VMOVE1", admitted, "")));

        await("/api/persons/" + wrongPerson, v -> v.path("encounters").isEmpty());
        JsonNode moved = await("/api/persons/" + rightPerson, v -> v.path("encounters").size() == 2);
        JsonNode stay = null;
        for (JsonNode encounter : moved.path("encounters")) {
            if (encounter.path("visit").path("value").asText().equals("VMOVE1")) {
                stay = encounter;
            }
        }
        assertThat(stay).as(moved.path("encounters").toString()).isNotNull();
        assertThat(stay.path("location").asText()).isEqualTo("WARD5 / BED3");
        assertThat(stay.path("status").asText()).as("admitted, not discharged").isEqualTo("in-progress");
        assertThat(stay.path("admitted").asText()).isNotEmpty();
        assertThat(moved.path("name").path("family").asText()).isEqualTo("Moveright");
    }

    /**
     * A woman the hospital registered under her maiden name and her GP practice under her married name: one person,
     * shown with the newer name and her practice, and found by either name, as a clinician at either organisation
     * would search.
     */
    @Test
    void aPatientIsFoundByTheNameEachOrganisationKnowsHerBy() throws Exception {
        sendAll(adt("A04", "ADT_A01", 70, "PID|1||MAIDEN1^^^RHMX1^MR~9990000131^^^NHS^NH||Maidenname^Orla||19880808|F\r"
                        + "PV1|1|N\r"),
                "MSH|^~\\&|GPSYS|B86001|CW|CW|" + ZonedDateTime.now(ZoneOffset.UTC).format(HL7)
                        + "||ADT^A28^ADT_A05|E2E-NAME-71|P|2.4\rEVN|A28\r"
                        + "PID|1||GPN71^^^B86001^PI~9990000131^^^NHS^NH||Married-Name^Orla||19880808|F\r"
                        + "PD1|||Example Practice^^B86001\r");
        String person = awaitPersonId("RHMX1|MAIDEN1");
        JsonNode view = await("/api/persons/" + person, v -> v.path("otherNames").size() == 1);
        assertThat(view.path("generalPractice").path("code").asText()).as("whom to ask").isEqualTo("B86001");
        assertThat(view.path("generalPractice").path("name").asText()).isEqualTo("Example Practice");

        for (String family : new String[] {"Maidenname", "married%20name", "Married-Name"}) {
            JsonNode found = await("/api/persons?family=" + family + "&birthdate=1988-08-08&given=orla",
                    v -> v.path("persons").size() == 1);
            assertThat(found.path("persons").get(0).path("personId").asText()).as(family).isEqualTo(person);
        }
    }

    /**
     * A temporary hospital number replaced by a permanent one (A47, change of patient identifier): the results filed
     * under the temporary number show under the permanent one, and the temporary number still finds the patient.
     */
    @Test
    void aTemporaryNumberReplacedByAPermanentOneKeepsItsResults() throws Exception {
        String collected = ZonedDateTime.now(ZoneOffset.UTC).minusDays(1).withNano(0).format(HL7);
        int port = mllpPort();
        try (MllpClient mllp = MllpClient.connect("127.0.0.1", port)) {
            send(mllp, adt("A04", "ADT_A01", 40, "PID|1||TMPA47^^^RHMX1^MR||Testchange^Olive||19480101|F|||"
                    + "6 Example Lane^^Leeds^^LS9 9ZZ\r" + pv1("E", "ED", "EDA47", "", "")));
            send(mllp, "MSH|^~\\&|LAB|RHMX1|CW|CW|" + collected + "||ORU^R01^ORU_R01|E2E-A47-41|P|2.5\r"
                    + "PID|1||TMPA47^^^RHMX1^MR||Testchange^Olive||19480101|F\r"
                    + "OBR|1|PLA47|FLA47|2823-3^Potassium^LN|||" + collected + "\r"
                    + "OBX|1|NM|2823-3^Potassium^LN||5.9|mmol/L|3.5-5.3|H|||F\r");
        }
        String temporary = awaitPersonId("RHMX1|TMPA47");
        await("/api/persons/" + temporary, v -> v.path("results").size() == 1);

        try (MllpClient mllp = MllpClient.connect("127.0.0.1", port)) {
            send(mllp, adt("A47", "ADT_A30", 42, "PID|1||PERMA47^^^RHMX1^MR||Testchange^Olive||19480101|F\r"
                    + "MRG|TMPA47^^^RHMX1^MR\r"));
        }
        String permanent = awaitPersonId("RHMX1|PERMA47");
        JsonNode view = await("/api/persons/" + permanent, v -> v.path("results").size() == 1
                && v.path("identifiers").toString().contains("TMPA47"));
        assertThat(view.path("results").get(0).path("value").asText()).isEqualTo("5.9");
        assertThat(view.path("encounters")).hasSize(1);
        assertThat(awaitPersonId("RHMX1|TMPA47")).as("the temporary number finds the same patient")
                .isEqualTo(permanent);
        if (!permanent.equals(temporary)) {
            assertThat(get("/api/persons/" + temporary).statusCode()).isEqualTo(308);
        }
    }

    /**
     * The review queue as a clinician's app and a data steward see it through the API: the pair shows with both
     * persons' views as a possible duplicate, the steward finds it in /api/reviews and decides it there, and once
     * identity has applied the decision the pair is listed as decided and the views no longer show it.
     */
    @Test
    void aReviewPairShownWithTheViewsIsDecidedThroughTheApi() throws Exception {
        int port = mllpPort();
        try (MllpClient mllp = MllpClient.connect("127.0.0.1", port)) {
            send(mllp, adt("A04", "ADT_A01", 30, "PID|1||E2EAPIREV1^^^RHMX1^MR||Testqueue^Imogen||19590909|F|||"
                    + "5 Example Road^^Leeds^^LS8 2CD\r" + pv1("O", "CLINIC1", "REVV2", "", "")));
            send(mllp, "MSH|^~\\&|GPSYS|B86001|CW|CW|" + ZonedDateTime.now(ZoneOffset.UTC).format(HL7)
                    + "||ADT^A28^ADT_A05|E2E-APIREV-31|P|2.4\r"
                    + "PID|1||E2EAPIREV2^^^B86001^PI||Testqueue^Imogen||19590909|F|||"
                    + "90 Other Street^^York^^YO1 7ZZ\r");
        }
        String hospital = awaitPersonId("RHMX1|E2EAPIREV1");
        String gp = awaitPersonId("B86001|E2EAPIREV2");
        assertThat(gp).as("not linked by demographics alone").isNotEqualTo(hospital);

        JsonNode hospitalView = await("/api/persons/" + hospital,
                v -> v.path("possibleDuplicates").findValuesAsText("personId").contains(gp));
        String pair = hospitalView.path("possibleDuplicates").get(0).path("pairId").asText();
        assertThat(await("/api/persons/" + gp, v -> v.path("possibleDuplicates").size() == 1)
                .path("possibleDuplicates").get(0).path("personId").asText()).isEqualTo(hospital);
        JsonNode queue = await("/api/reviews?limit=1000", v -> v.path("reviews").toString().contains(pair));
        assertThat(queue.toString()).as("no demographics in the queue").doesNotContain("Testqueue")
                .doesNotContain("1959");

        HttpResponse<String> decided = api.post("/api/reviews/" + pair + "/decision",
                "{\"verdict\":\"different-persons\",\"note\":\"checked with the practice\"}");
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(202);

        JsonNode closed = await("/api/reviews?status=decided&limit=1000",
                v -> v.path("reviews").toString().contains(pair));
        for (JsonNode review : closed.path("reviews")) {
            if (review.path("pairId").asText().equals(pair)) {
                assertThat(review.path("reason").asText()).isEqualTo("DECIDED_DIFFERENT_PERSONS");
                assertThat(review.path("evidence").toString()).contains("admin");
            }
        }
        assertThat(await("/api/persons/" + hospital, v -> v.path("possibleDuplicates").isEmpty())
                .path("possibleDuplicates")).isEmpty();
        assertThat(awaitPersonId("B86001|E2EAPIREV2")).as("still apart").isEqualTo(gp);
        HttpResponse<String> twice = api.post("/api/reviews/" + pair + "/decision", "{\"verdict\":\"same-person\"}");
        assertThat(twice.statusCode()).as("a decided pair is not decided again here").isEqualTo(409);
    }

    /**
     * A false link undone: a GP record linked by demographics to a hospital patient, found to be someone else, is
     * separated with `careweave review separate`; each person then shows only their own result.
     */
    @Test
    void aFalseLinkSeparatedByAPersonSplitsTheResults() throws Exception {
        sendHospitalAndGpRecords("E2ESEP", 2, "9990000042", "Testsplit^Rosalind||19720303|F",
                "8 Example Street^^Leeds^^LS2 7AB", "Testsplit^Rosalind||19720303|F", "8 Example St^^Leeds^^LS2 7AB");
        String hospital = awaitPersonId("RHMX1|E2ESEP1");
        JsonNode linked = await("/api/persons/" + hospital, v -> v.path("results").size() == 2
                && v.path("identifiers").toString().contains("E2ESEP2"));
        assertThat(linked.path("identifiers").toString()).as("linked by demographics").contains("E2ESEP2");

        try (ExternalPlatformProperties properties = new ExternalPlatformProperties(platform, "it-e2e.")) {
            CommandRun separate = CommandRun.of("review", "separate", "B86001|E2ESEP2", "--from", "RHMX1|E2ESEP1",
                    "--by", "e2e steward", "--note", "different patient, checked with the practice");
            assertThat(separate.exitCode()).as(separate.err()).isZero();
        }

        JsonNode kept = await("/api/persons/" + hospital, v -> v.path("results").size() == 1
                && !v.path("identifiers").toString().contains("E2ESEP2"));
        assertThat(kept.path("results").get(0).path("code").path("code").asText()).isEqualTo("718-7");
        String gp = awaitPersonIdOtherThan("B86001|E2ESEP2", hospital);
        assertThat(gp).as("the GP record is a person of its own").isNotEqualTo(hospital);
        JsonNode separated = await("/api/persons/" + gp, v -> v.path("results").size() == 1);
        assertThat(separated.path("results").get(0).path("code").path("code").asText()).isEqualTo("2823-3");
        assertThat(separated.path("identifiers").toString()).contains("E2ESEP2").doesNotContain("9990000042");

        // Found wrong in its turn, the separation is undone with `careweave review link`: one person again.
        try (ExternalPlatformProperties properties = new ExternalPlatformProperties(platform, "it-e2e.")) {
            CommandRun link = CommandRun.of("review", "link", "B86001|E2ESEP2", "--with", "RHMX1|E2ESEP1",
                    "--by", "e2e steward", "--note", "the practice confirmed: same patient after all");
            assertThat(link.exitCode()).as(link.err()).isZero();
        }
        JsonNode rejoined = await("/api/persons/" + hospital, v -> v.path("results").size() == 2);
        assertThat(rejoined.path("identifiers").toString()).contains("E2ESEP2");
        assertThat(awaitPersonId("B86001|E2ESEP2")).isEqualTo(hospital);
    }

    /**
     * The same through the API, as a records team's app would do it: POST the separation naming the person and the
     * two records; identity moves the GP record and its result to a person of its own, and the separation is then
     * listed as decided.
     */
    @Test
    void aFalseLinkIsSeparatedThroughTheApi() throws Exception {
        sendHospitalAndGpRecords("E2EAPISEP", 3, "9990000050", "Testapart^Winifred||19650505|F",
                "12 Example Lane^^Hull^^HU1 2AB", "Testapart^Winifred||19650505|F", "12 Example Ln^^Hull^^HU1 2AB");
        String hospital = awaitPersonId("RHMX1|E2EAPISEP1");
        await("/api/persons/" + hospital, v -> v.path("results").size() == 2
                && v.path("identifiers").toString().contains("E2EAPISEP2"));

        HttpResponse<String> sent = api.post("/api/persons/" + hospital + "/separations",
                "{\"record\":\"B86001|E2EAPISEP2\",\"from\":\"RHMX1|E2EAPISEP1\","
                        + "\"note\":\"different patient, checked with the practice\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        String pair = JSON.readTree(sent.body()).path("pairId").asText();

        JsonNode kept = await("/api/persons/" + hospital, v -> v.path("results").size() == 1
                && !v.path("identifiers").toString().contains("E2EAPISEP2"));
        assertThat(kept.path("results").get(0).path("code").path("code").asText()).isEqualTo("718-7");
        String gp = awaitPersonIdOtherThan("B86001|E2EAPISEP2", hospital);
        assertThat(gp).as("the GP record is a person of its own").isNotEqualTo(hospital);
        JsonNode separated = await("/api/persons/" + gp, v -> v.path("results").size() == 1);
        assertThat(separated.path("results").get(0).path("code").path("code").asText()).isEqualTo("2823-3");
        assertThat(separated.path("identifiers").toString()).contains("E2EAPISEP2").doesNotContain("9990000050");

        JsonNode decided = await("/api/reviews?status=decided&limit=1000",
                v -> v.path("reviews").toString().contains(pair));
        for (JsonNode review : decided.path("reviews")) {
            if (review.path("pairId").asText().equals(pair)) {
                assertThat(review.path("reason").asText()).isEqualTo("DECIDED_DIFFERENT_PERSONS");
                assertThat(review.path("evidence").toString()).contains("admin");
            }
        }
        HttpResponse<String> again = api.post("/api/persons/" + hospital + "/separations",
                "{\"record\":\"B86001|E2EAPISEP2\",\"from\":\"RHMX1|E2EAPISEP1\"}");
        assertThat(again.statusCode()).as("the record is not on that person any more").isEqualTo(409);
    }

    /**
     * A missed link mended through the API: a GP record under the patient's former surname, which matching neither
     * linked nor raised, is linked to the hospital's record; the two persons become one with both results.
     */
    @Test
    void aMissedLinkIsMendedThroughTheApi() throws Exception {
        sendHospitalAndGpRecords("E2ELINK", 4, "9990000069", "Testwedded^Philippa||19770707|F",
                "3 Example Close^^Bath^^BA1 1AA", "Testmaiden^Pippa||19770708|F", "40 Other Road^^Wells^^BA5 2ZZ");
        String hospital = awaitPersonId("RHMX1|E2ELINK1");
        String gp = awaitPersonId("B86001|E2ELINK2");
        assertThat(gp).as("matching missed them").isNotEqualTo(hospital);
        await("/api/persons/" + gp, v -> v.path("results").size() == 1);
        assertThat(await("/api/persons/" + hospital, v -> v.path("results").size() == 1).path("possibleDuplicates"))
                .as("and raised no review").isEmpty();

        HttpResponse<String> sent = api.post("/api/persons/" + gp + "/links",
                "{\"record\":\"RHMX1|E2ELINK1\",\"with\":\"B86001|E2ELINK2\","
                        + "\"note\":\"same patient, former surname, checked with the practice\"}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        String pair = JSON.readTree(sent.body()).path("pairId").asText();

        // The GP's person came second, so it is the one merged into the hospital's.
        JsonNode one = await("/api/persons/" + hospital, v -> v.path("results").size() == 2);
        assertThat(one.path("identifiers").toString()).contains("E2ELINK1").contains("E2ELINK2");
        assertThat(awaitPersonId("B86001|E2ELINK2")).isEqualTo(hospital);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        HttpResponse<String> old = get("/api/persons/" + gp);
        while (old.statusCode() != 308 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            old = get("/api/persons/" + gp);
        }
        assertThat(old.statusCode()).as("the merged person redirects").isEqualTo(308);
        assertThat(old.headers().firstValue("Location")).hasValue("/api/persons/" + hospital);

        JsonNode decided = await("/api/reviews?status=decided&limit=1000",
                v -> v.path("reviews").toString().contains(pair));
        for (JsonNode review : decided.path("reviews")) {
            if (review.path("pairId").asText().equals(pair)) {
                assertThat(review.path("reason").asText()).isEqualTo("DECIDED_SAME_PERSON");
            }
        }
        HttpResponse<String> again = api.post("/api/persons/" + hospital + "/links",
                "{\"record\":\"B86001|E2ELINK2\",\"with\":\"RHMX1|E2ELINK1\"}");
        assertThat(again.statusCode()).as("one person already").isEqualTo(409);
    }

    /**
     * A trust's patient index links a hospital record and a GP record of one patient that matching missed (A24), then
     * finds the link wrong and unlinks them (A37): each shows in the API at once, the results going with their
     * records both ways.
     */
    @Test
    void aLinkAndAnUnlinkFromTheTrustsIndexMoveTheResultsBothWays() throws Exception {
        sendHospitalAndGpRecords("E2EA24", 6, "9990000174", "Testjoined^Harriet||19580303|F",
                "8 Example Row^^York^^YO1 1AA", "Testother^Hattie||19580330|F", "77 Far Lane^^Leeds^^LS9 9AA");
        String hospital = awaitPersonId("RHMX1|E2EA241");
        String gp = awaitPersonId("B86001|E2EA242");
        assertThat(gp).as("matching missed them").isNotEqualTo(hospital);
        await("/api/persons/" + gp, v -> v.path("results").size() == 1);
        String records = "PID|1||E2EA241^^^RHMX1^MR\rPID|2||E2EA242^^^B86001^PI\r";

        sendAll(adt("A24", "ADT_A24", 100, records));

        JsonNode linked = await("/api/persons/" + hospital, v -> v.path("results").size() == 2);
        assertThat(linked.path("identifiers").toString()).contains("E2EA242");
        // The latest registration's name, as for any person of two records (the GP's A28 came after the hospital's
        // A04); the A24's PIDs state no name and clear none.
        assertThat(linked.path("name").path("family").asText()).isEqualTo("Testother");
        assertThat(linked.path("birthDate").asText()).isEqualTo("1958-03-30");
        assertThat(awaitPersonId("B86001|E2EA242")).isEqualTo(hospital);

        sendAll(adt("A37", "ADT_A37", 101, records));

        JsonNode kept = await("/api/persons/" + hospital, v -> v.path("results").size() == 1
                && !v.path("identifiers").toString().contains("E2EA242"));
        assertThat(kept.path("results").get(0).path("code").path("code").asText()).isEqualTo("718-7");
        String apart = awaitPersonIdOtherThan("B86001|E2EA242", hospital);
        assertThat(apart).as("the GP record is a person of its own again").isNotEqualTo(hospital);
        JsonNode gpView = await("/api/persons/" + apart, v -> v.path("results").size() == 1);
        assertThat(gpView.path("results").get(0).path("code").path("code").asText()).isEqualTo("2823-3");
        assertThat(gpView.path("name").path("family").asText()).isEqualTo("Testother");
    }

    /**
     * A hospital's record ({@code <tag>1} at RHMX1, with an NHS number and an Hb result) and a GP's ({@code <tag>2} at
     * B86001, no NHS number, a potassium result), collected {@code daysAgo}; {@code patient} is PID-5 to PID-8.
     */
    private static void sendHospitalAndGpRecords(String tag, int daysAgo, String nhs, String hospitalPatient,
                                                 String hospitalAddress, String gpPatient, String gpAddress)
            throws Exception {
        String collected = ZonedDateTime.now(ZoneOffset.UTC).minusDays(daysAgo).withNano(0).format(HL7);
        String hospital = tag + "1^^^RHMX1^MR";
        String gp = tag + "2^^^B86001^PI";
        int port = mllpPort();
        try (MllpClient mllp = MllpClient.connect("127.0.0.1", port)) {
            send(mllp, "MSH|^~\\&|PAS|RHMX1|CW|CW|" + collected + "||ADT^A04^ADT_A01|" + tag + "-1|P|2.5\r"
                    + "PID|1||" + nhs + "^^^NHS^NH~" + hospital + "||" + hospitalPatient + "|||" + hospitalAddress
                    + "\rPV1|1|O\r");
            send(mllp, "MSH|^~\\&|LAB|RHMX1|CW|CW|" + collected + "||ORU^R01^ORU_R01|" + tag + "-2|P|2.5\r"
                    + "PID|1||" + hospital + "||" + hospitalPatient + "\r"
                    + "OBR|1|PL" + tag + "|FL" + tag + "|718-7^Hb^LN|||" + collected + "\r"
                    + "OBX|1|NM|718-7^Hb^LN||128|g/L|115-165||||F\r");
            send(mllp, "MSH|^~\\&|GPSYS|B86001|CW|CW|" + collected + "||ADT^A28^ADT_A05|" + tag + "-3|P|2.4\r"
                    + "PID|1||" + gp + "||" + gpPatient + "|||" + gpAddress + "\r");
            send(mllp, "MSH|^~\\&|GPSYS|B86001|CW|CW|" + collected + "||ORU^R01^ORU_R01|" + tag + "-4|P|2.4\r"
                    + "PID|1||" + gp + "||" + gpPatient + "\r"
                    + "OBR|1|GP" + tag + "||2823-3^Potassium^LN|||" + collected + "\r"
                    + "OBX|1|NM|2823-3^Potassium^LN||4.1|mmol/L|3.5-5.3||||F\r");
        }
    }

    private static String adt(String trigger, String structure, int n, String body) {
        return "MSH|^~\\&|PAS|RHMX1|CW|CW|" + ZonedDateTime.now(ZoneOffset.UTC).format(HL7) + "||ADT^" + trigger
                + "^" + structure + "|E2E-STAY-" + n + "|P|2.5\r" + "EVN|" + trigger + "\r" + body;
    }

    /** PV1 with class (2), location (3), visit number (19), admitted (44) and discharged (45). */
    private static String pv1(String patientClass, String location, String visit, String admitted,
                              String discharged) {
        String[] fields = new String[46];
        java.util.Arrays.fill(fields, "");
        fields[0] = "PV1";
        fields[1] = "1";
        fields[2] = patientClass;
        fields[3] = location;
        fields[19] = visit + "^^^RHMX1";
        fields[44] = admitted;
        fields[45] = discharged;
        return String.join("|", fields) + "\r";
    }

    private static int mllpPort() {
        return Integer.parseInt(pipeline.mllpAddress().replaceAll(".*:(\\d+).*", "$1"));
    }

    /** Sends the messages in order on one connection, each answered AA. */
    private static void sendAll(String... messages) throws Exception {
        try (MllpClient mllp = MllpClient.connect("127.0.0.1", mllpPort())) {
            for (String message : messages) {
                send(mllp, message);
            }
        }
    }

    private static void send(MllpClient mllp, String message) throws Exception {
        String ack = mllp.send(message.getBytes(StandardCharsets.UTF_8));
        assertThat(ack).contains("MSA|AA|");
    }

    private static String awaitPersonId(String identifier) throws Exception {
        JsonNode found = await("/api/persons?identifier=" + URLEncoder.encode(identifier, StandardCharsets.UTF_8),
                body -> body.path("persons").size() == 1);
        return found.path("persons").get(0).path("personId").asText();
    }

    /** The person an identifier finds once it no longer finds {@code before}: a record separated from a person. */
    private static String awaitPersonIdOtherThan(String identifier, String before) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        String now = awaitPersonId(identifier);
        while (now.equals(before) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            now = awaitPersonId(identifier);
        }
        return now;
    }

    private static JsonNode await(String path, Predicate<JsonNode> ready) throws Exception {
        return api.await(path, ready);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return api.get(path);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
