package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.events.IdentityReview;
import org.careweave.events.MatchEvidence;
import org.careweave.events.ReviewDecision;
import org.careweave.events.ReviewVerdict;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.keys.ReviewPairIds;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.careweave.store.Json;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.auth.AdminToken;
import org.careweave.store.auth.Authenticator;
import org.careweave.store.auth.Role;
import org.careweave.store.auth.TokensFile;
import org.careweave.store.testing.Await;
import org.careweave.store.testing.CuttableProxy;
import org.careweave.store.testing.People;
import org.careweave.store.testing.Store;
import org.careweave.store.testing.TestDatabases;
import org.careweave.store.testing.ViewProducer;
import org.careweave.store.views.SinkConfig;
import org.careweave.store.views.SinkService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The identity review queue through the API, on a store the sink filled from real identity.review and person.views
 * topics: listing, possible duplicates in a person's view, and decisions sent to identity.decisions.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class ReviewsIT {

    private static final String PREFIX = "reviewsit-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private static final String CLINICIAN = "clinician-" + UUID.randomUUID();
    private static final String ANALYST = "analyst-" + UUID.randomUUID();
    private static final Instant RAISED = Instant.parse("2026-11-20T09:30:00Z");
    private static final String SEPARATED_BEFORE = ReviewPairIds.separation("RHMX1|MRN-rv-3", "RHMX1|MRN-rv-4");
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    private static StoreEndpoints endpoints;
    private static String admin;
    private static Store store;
    private static SinkService sink;
    private static ApiServer api;
    private static KafkaProducer<String, IdentityReview> reviews;

    @BeforeAll
    static void start(Platform platform) throws Exception {
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 3, (short) 1);
        endpoints = TestDatabases.fresh(platform, "reviewsit");
        store = new Store(endpoints);
        try (ViewProducer views = new ViewProducer(endpoints, Topics.PERSON_VIEWS.name(PREFIX))) {
            // rv-1 (hospital) and rv-2 (GP, no NHS number) may be one patient; rv-3 was merged into rv-4 after
            // identity raised a pair naming rv-3, so that side is on rv-4 now.
            views.send(People.person("rv-1", 1, "9990000018", "Example", "Dana").build());
            views.send(People.person("rv-2", 1, "9990000026", "Example", "Dana")
                    .setIdentifiers(List.of(People.local("GP123", "G-rv-2"))).setNhsNumber(null).build());
            views.send(People.person("rv-3", 1, "9990000034", "Sample", "Eve").build());
            views.send(People.person("rv-4", 2, "9990000042", "Sample", "Eve")
                    .setIdentifiers(List.of(People.nhsNumber("9990000042"), People.local("RHMX1", "MRN-rv-4"),
                            People.local("RHMX1", "MRN-rv-3"), People.local("B86001", "GP-rv-4")))
                    .setMergedPersonIds(List.of("rv-3")).build());
            views.tombstone("rv-3");
            views.send(People.person("rv-5", 1, "9990000050", "Other", "Fay").build());
            views.send(People.person("rv-6", 1, "9990000069", "Other", "Fay").build());
        }
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                "schema.registry.url", endpoints.schemaRegistryUrl()));
        reviews = new KafkaProducer<>(config, new StringSerializer(),
                AvroSerdes.specific(IdentityReview.class, config, false).serializer());
        send(review("pair-open", "RHMX1|MRN-rv-1", "GP123|G-rv-2", "rv-1", "rv-2", true));
        send(review("pair-merged-side", "RHMX1|MRN-rv-3", "RHMX1|MRN-rv-5", "rv-3", "rv-5", true));
        send(review("pair-decided", "RHMX1|MRN-rv-5", "RHMX1|MRN-rv-6", "rv-5", "rv-6", false));
        send(review("pair-withdrawn", "RHMX1|MRN-rv-6", "RHMX1|MRN-rv-1", "rv-6", "rv-1", true));
        reviews.send(new ProducerRecord<>(Topics.IDENTITY_REVIEW.name(PREFIX), "pair-withdrawn", null)).get();
        // Identity's record of a separation done before: MRN-rv-3 was moved off MRN-rv-4's person once already.
        send(review(SEPARATED_BEFORE, "RHMX1|MRN-rv-3", "RHMX1|MRN-rv-4", "rv-4", "rv-4", false));

        Path tokens = dir.resolve("tokens");
        Files.write(tokens, List.of(TokensFile.line(CLINICIAN, Role.CLINICIAN, "Dr Test Clinician"),
                TokensFile.line(ANALYST, Role.ANALYST, "Test Analyst")));
        Path adminFile = AdminToken.ensure(dir);
        admin = AdminToken.read(adminFile);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        sink = SinkService.start(SinkConfig.defaults(), endpoints, PREFIX, metrics);
        store.awaitCaughtUp(Topics.PERSON_VIEWS.name(PREFIX), Duration.ofSeconds(60));
        store.awaitCaughtUp(Topics.IDENTITY_REVIEW.name(PREFIX), Duration.ofSeconds(60));
        api = ApiServer.start(ApiConfig.defaults().withPort(0).withTokensFile(tokens).withAdminTokenFile(adminFile),
                endpoints, PREFIX, (system, code) -> Optional.empty(), List.of(sink.healthCheck()),
                metrics);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (reviews != null) {
            reviews.close();
        }
    }

    private static IdentityReview review(String pairId, String left, String right, String leftPerson,
                                         String rightPerson, boolean open) {
        return IdentityReview.newBuilder().setPairId(pairId).setLeftIdentifier(left).setRightIdentifier(right)
                .setLeftPersonId(leftPerson).setRightPersonId(rightPerson)
                .setReason(open ? "PROBABILISTIC_UNCERTAIN" : "DECIDED_DIFFERENT_PERSONS").setScore(open ? 7.5 : null)
                .setEvidence(List.of(MatchEvidence.newBuilder().setComparison("given name").setLevel("exact")
                        .setWeight(3.1).build()))
                .setRaisedAt(RAISED.plusSeconds(pairId.length())).setOpen(open).build();
    }

    private static void send(IdentityReview review) throws ExecutionException, InterruptedException {
        reviews.send(new ProducerRecord<>(Topics.IDENTITY_REVIEW.name(PREFIX), review.getPairId(), review)).get();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(api.baseUri().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(api.baseUri().resolve(path)).timeout(Duration.ofSeconds(40))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    private static void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    private static JsonNode byPair(JsonNode reviews, String pairId) {
        for (JsonNode r : reviews) {
            if (r.get("pairId").asText().equals(pairId)) {
                return r;
            }
        }
        throw new AssertionError("no review " + pairId + " in " + reviews);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theOpenQueueShowsEachSideOnThePersonHoldingItNow() throws Exception {
        HttpResponse<String> response = get("/api/reviews", admin);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode list = json(response).get("reviews");
        assertThat(list).extracting(r -> r.get("pairId").asText())
                .containsExactly("pair-open", "pair-merged-side");
        JsonNode open = byPair(list, "pair-open");
        assertThat(open.get("status").asText()).isEqualTo("open");
        assertThat(open.get("reason").asText()).isEqualTo("PROBABILISTIC_UNCERTAIN");
        assertThat(open.get("score").asDouble()).isEqualTo(7.5);
        assertThat(open.get("raisedAt").asText()).isEqualTo("2026-11-20T09:30:09+00:00");
        assertThat(open.get("left").get("identifier").get("system").asText()).isEqualTo("RHMX1");
        assertThat(open.get("left").get("identifier").get("value").asText()).isEqualTo("MRN-rv-1");
        assertThat(texts(open.get("left").get("personIds"))).containsExactly("rv-1");
        assertThat(texts(open.get("right").get("personIds"))).containsExactly("rv-2");
        assertThat(open.get("evidence").get(0).get("comparison").asText()).isEqualTo("given name");
        // Identity named rv-3; the record is on rv-4 since the merge.
        assertThat(texts(byPair(list, "pair-merged-side").get("left").get("personIds"))).containsExactly("rv-4");
        // Names and birth dates are not part of a review.
        assertThat(response.body()).doesNotContain("Dana").doesNotContain("Example");
        assertThat(store.count("SELECT count(*) FROM audit_event WHERE endpoint = 'GET /api/reviews'"
                + " AND subject = ? AND person_id = 'rv-4'", Authenticator.ADMIN_TOKEN_SUBJECT)).isPositive();
    }

    @Test
    void decidedAndAllAreListedOnAskingAndATombstoneRemovesAPair() throws Exception {
        JsonNode decided = json(get("/api/reviews?status=decided", admin)).get("reviews");
        assertThat(decided).extracting(r -> r.get("pairId").asText())
                .containsExactly("pair-decided", SEPARATED_BEFORE);
        assertThat(decided.get(0).get("status").asText()).isEqualTo("decided");

        JsonNode all = json(get("/api/reviews?status=all&limit=2", admin)).get("reviews");
        assertThat(all).hasSize(2);
        assertThat(store.count("SELECT count(*) FROM identity_review WHERE pair_id = 'pair-withdrawn'")).isZero();

        assertProblem(get("/api/reviews?status=maybe", admin), 400);
        assertProblem(get("/api/reviews?limit=0", admin), 400);
        assertProblem(get("/api/reviews?limit=lots", admin), 400);
    }

    @Test
    void onlyAdminsWorkTheQueueAndRefusalsAreAudited() throws Exception {
        assertProblem(get("/api/reviews", CLINICIAN), 403);
        assertProblem(get("/api/reviews", ANALYST), 403);
        assertProblem(post("/api/reviews/pair-open/decision", CLINICIAN, "{\"verdict\":\"same-person\"}"), 403);
        assertThat(store.count("SELECT count(*) FROM audit_event WHERE endpoint = 'POST /api/reviews/{pairId}/decision'"
                + " AND subject = 'Dr Test Clinician' AND status = 403")).isPositive();
        assertProblem(post("/api/persons/rv-4/separations", CLINICIAN,
                "{\"record\":\"B86001|GP-rv-4\",\"from\":\"RHMX1|MRN-rv-4\"}"), 403);
        assertThat(store.count("SELECT count(*) FROM audit_event WHERE endpoint = 'POST /api/persons/{personId}"
                + "/separations' AND subject = 'Dr Test Clinician' AND status = 403 AND person_id = 'rv-4'")).isOne();
    }

    @Test
    void aPersonsViewNamesTheOtherPersonsOfItsOpenReviews() throws Exception {
        JsonNode rv1 = json(get("/api/persons/rv-1", CLINICIAN));
        assertThat(rv1.get("possibleDuplicates")).hasSize(1);
        JsonNode duplicate = rv1.get("possibleDuplicates").get(0);
        assertThat(duplicate.get("personId").asText()).isEqualTo("rv-2");
        assertThat(duplicate.get("pairId").asText()).isEqualTo("pair-open");
        assertThat(duplicate.get("reason").asText()).isEqualTo("PROBABILISTIC_UNCERTAIN");
        assertThat(rv1.get("personId").asText()).isEqualTo("rv-1");
        assertThat(rv1.get("name").get("family").asText()).isEqualTo("Example");

        assertThat(json(get("/api/persons/rv-2", CLINICIAN)).get("possibleDuplicates").findValuesAsText("personId"))
                .containsExactly("rv-1");
        // The merged-away side now shows on its survivor; a decided pair shows nowhere.
        assertThat(json(get("/api/persons/rv-4", CLINICIAN)).get("possibleDuplicates").findValuesAsText("personId"))
                .containsExactly("rv-5");
        assertThat(json(get("/api/persons/rv-5", CLINICIAN)).get("possibleDuplicates").findValuesAsText("personId"))
                .containsExactly("rv-4");
        assertThat(json(get("/api/persons/rv-6", CLINICIAN)).get("possibleDuplicates")).isEmpty();
    }

    @Test
    void beforeYouOrderSaysWhenAnotherRecordMayHoldThePatientsResults() throws Exception {
        JsonNode check = json(get("/api/persons/rv-1/recent-tests?code=" + URLEncoder.encode(
                "http://loinc.org|4548-4", StandardCharsets.UTF_8), CLINICIAN));
        assertThat(check.get("possibleDuplicates")).extracting(JsonNode::asText).containsExactly("rv-2");
        assertThat(check.get("explanation").asText()).contains("may also have another record");

        JsonNode panel = json(get("/api/persons/rv-1/recent-tests?code=" + URLEncoder.encode(
                "http://loinc.org|4548-4", StandardCharsets.UTF_8) + "&code=" + URLEncoder.encode(
                "http://loinc.org|2823-3", StandardCharsets.UTF_8), CLINICIAN));
        assertThat(panel.get("possibleDuplicates")).extracting(JsonNode::asText).containsExactly("rv-2");

        JsonNode alone = json(get("/api/persons/rv-6/recent-tests?code=" + URLEncoder.encode(
                "http://loinc.org|4548-4", StandardCharsets.UTF_8), CLINICIAN));
        assertThat(alone.get("possibleDuplicates")).isEmpty();
        assertThat(alone.get("explanation").asText()).doesNotContain("another record");
    }

    @Test
    void aDecisionGoesToIdentityNamingTheTokensSubject() throws Exception {
        HttpResponse<String> response = post("/api/reviews/pair-merged-side/decision", admin,
                "{\"verdict\":\"different-persons\",\"note\":\"checked with the GP practice\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode sent = json(response);
        assertThat(sent.get("verdict").asText()).isEqualTo("different-persons");
        assertThat(sent.get("decidedBy").asText()).isEqualTo(Authenticator.ADMIN_TOKEN_SUBJECT);
        ReviewDecision decision = decisionsSent().stream().filter(d -> d.getPairId().equals("pair-merged-side"))
                .findFirst().orElseThrow();
        assertThat(decision.getVerdict()).isEqualTo(ReviewVerdict.DIFFERENT_PERSONS);
        assertThat(decision.getLeftIdentifier()).isEqualTo("RHMX1|MRN-rv-3");
        assertThat(decision.getRightIdentifier()).isEqualTo("RHMX1|MRN-rv-5");
        assertThat(decision.getDecidedBy()).isEqualTo(Authenticator.ADMIN_TOKEN_SUBJECT);
        assertThat(decision.getNote()).isEqualTo("checked with the GP practice");
        assertThat(store.count("SELECT count(*) FROM audit_event WHERE endpoint = 'POST /api/reviews/{pairId}/decision'"
                + " AND status = 202 AND person_id IN ('rv-4', 'rv-5')")).isEqualTo(2);
    }

    /**
     * A decision takes effect once Kafka has it, so its audit row is committed before it is sent. Before, the row was
     * committed after the send: PostgreSQL gone in between, the caller got 503 while identity applied the decision,
     * and no audit row said who had made it. Here the API's audit insert is held on a lock, and the database cut
     * while it waits.
     */
    @Test
    void aDecisionIsNeverSentWithoutItsAuditRow() throws Exception {
        URI database = URI.create(endpoints.jdbcUrl().substring("jdbc:".length()));
        long sentBefore = decisionsSent().stream().filter(d -> d.getPairId().equals("pair-open")).count();
        long auditedBefore = decisionRows("pair-open", null);
        try (CuttableProxy proxy = new CuttableProxy(database.getHost(), database.getPort());
             ApiServer viaProxy = apiOn(endpoints.withJdbcUrl(endpoints.jdbcUrl()
                     .replace(":" + database.getPort() + "/", ":" + proxy.port() + "/")));
             Connection holder = store.connect()) {
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.execute("LOCK TABLE audit_event IN EXCLUSIVE MODE");
            }
            CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(
                            viaProxy.baseUri().resolve("/api/reviews/pair-open/decision"))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + admin)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"verdict\":\"same-person\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Await.until("the decision's audit row waiting for the lock", Duration.ofSeconds(30), () -> store.count("""
                    SELECT count(*) FROM pg_stat_activity
                    WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO audit_event%'""") > 0);
            proxy.cut();
            HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
            holder.rollback();

            assertProblem(response, 503);
        }
        assertThat(decisionRows("pair-open", null)).as("no audit row was committed").isEqualTo(auditedBefore);
        assertThat(decisionsSent().stream().filter(d -> d.getPairId().equals("pair-open")).count())
                .as("so nothing was decided").isEqualTo(sentBefore);
    }

    /**
     * Kafka (here its schema registry) not taking a decision after its audit row was committed: 503, and a second row
     * records that answer; nothing was sent.
     */
    @Test
    void aDecisionKafkaDidNotTakeLeavesARowSayingSo() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        long sentBefore = decisionsSent().stream().filter(d -> d.getPairId().equals("pair-open")).count();
        long sentRows = decisionRows("pair-open", 202);
        long failedRows = decisionRows("pair-open", 503);
        try (ApiServer noRegistry = apiOn(new StoreEndpoints(endpoints.kafka(), "http://127.0.0.1:" + port
                + "/apis/ccompat/v7", endpoints.jdbcUrl(), endpoints.jdbcUser(), endpoints.jdbcPassword()))) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            noRegistry.baseUri().resolve("/api/reviews/pair-open/decision"))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + admin)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"verdict\":\"same-person\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertProblem(response, 503);
            assertThat(response.body()).contains("Nothing was decided");
        }
        assertThat(decisionRows("pair-open", 202)).as("committed before the send").isEqualTo(sentRows + 2);
        assertThat(decisionRows("pair-open", 503)).as("and the answer after it").isEqualTo(failedRows + 2);
        assertThat(decisionsSent().stream().filter(d -> d.getPairId().equals("pair-open")).count())
                .isEqualTo(sentBefore);
    }

    /** A second API on the store, with its own path to the database or the registry. */
    private static ApiServer apiOn(StoreEndpoints via) throws Exception {
        return ApiServer.start(ApiConfig.defaults().withPort(0).withAdminTokenFile(AdminToken.ensure(dir)), via,
                PREFIX, (system, code) -> Optional.empty(), List.of(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Audit rows of decisions on the pair's persons (rv-1 and rv-2 for pair-open), of one status or any. */
    private static long decisionRows(String pairId, Integer status) {
        return store.count("""
                SELECT count(*) FROM audit_event a JOIN identity_review r ON a.person_id IN (r.left_person_id,
                    r.right_person_id)
                WHERE r.pair_id = ? AND a.endpoint = 'POST /api/reviews/{pairId}/decision' AND a.status <> 403
                  AND (CAST(? AS integer) IS NULL OR a.status = ?)""", pairId, status, status);
    }

    @Test
    void badDecisionsAreRefusedAndNothingIsSent() throws Exception {
        int before = decisionsSent().size();
        assertProblem(post("/api/reviews/pair-open/decision", admin, "{\"verdict\":\"probably\"}"), 400);
        assertProblem(post("/api/reviews/pair-open/decision", admin, "not json"), 400);
        assertProblem(post("/api/reviews/pair-open/decision", admin, "{\"verdict\":\"same-person\",\"note\":\""
                + "x".repeat(501) + "\"}"), 400);
        assertProblem(post("/api/reviews/no-such-pair/decision", admin, "{\"verdict\":\"same-person\"}"), 404);
        HttpResponse<String> again = post("/api/reviews/pair-decided/decision", admin,
                "{\"verdict\":\"same-person\"}");
        assertProblem(again, 409);
        assertThat(decisionsSent()).hasSize(before);
    }

    @Test
    void aSeparationGoesToIdentityForTwoRecordsOfThePerson() throws Exception {
        HttpResponse<String> response = post("/api/persons/rv-4/separations", admin,
                "{\"record\":\"B86001|GP-rv-4\",\"from\":\"RHMX1|MRN-rv-4\",\"note\":\"GP practice: another"
                        + " patient\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode sent = json(response);
        String pairId = ReviewPairIds.separation("B86001|GP-rv-4", "RHMX1|MRN-rv-4");
        assertThat(sent.get("pairId").asText()).isEqualTo(pairId);
        assertThat(sent.get("personId").asText()).isEqualTo("rv-4");
        assertThat(sent.get("decidedBy").asText()).isEqualTo(Authenticator.ADMIN_TOKEN_SUBJECT);
        assertThat(response.headers().firstValue("Location")).hasValue("/api/reviews?status=decided");
        ReviewDecision decision = decisionsSent().stream().filter(d -> d.getPairId().equals(pairId))
                .findFirst().orElseThrow();
        assertThat(decision.getVerdict()).isEqualTo(ReviewVerdict.DIFFERENT_PERSONS);
        assertThat(decision.getLeftIdentifier()).as("the record that moves").isEqualTo("B86001|GP-rv-4");
        assertThat(decision.getRightIdentifier()).isEqualTo("RHMX1|MRN-rv-4");
        assertThat(decision.getDecidedBy()).isEqualTo(Authenticator.ADMIN_TOKEN_SUBJECT);
        assertThat(decision.getNote()).isEqualTo("GP practice: another patient");
        assertThat(store.count("SELECT count(*) FROM audit_event WHERE endpoint = 'POST /api/persons/{personId}"
                + "/separations' AND status = 202 AND person_id = 'rv-4'")).isOne();
    }

    @Test
    void separationsThatCannotApplyAreRefusedAndNothingIsSent() throws Exception {
        int before = decisionsSent().size();
        String path = "/api/persons/rv-4/separations";
        assertProblem(post(path, admin, "not json"), 400);
        assertProblem(post(path, admin, "{\"record\":\"B86001|GP-rv-4\"}"), 400);
        assertProblem(post(path, admin, "{\"record\":\"GP-rv-4\",\"from\":\"RHMX1|MRN-rv-4\"}"), 400);
        assertProblem(post(path, admin, "{\"record\":\"RHMX1|MRN-rv-4\",\"from\":\"RHMX1|MRN-rv-4\"}"), 400);
        assertProblem(post(path, admin, "{\"record\":\"B86001|GP-rv-4\",\"from\":\"RHMX1|MRN-rv-4\","
                + "\"note\":\"" + "x".repeat(501) + "\"}"), 400);
        assertProblem(post("/api/persons/no-such-person/separations", admin,
                "{\"record\":\"B86001|GP-rv-4\",\"from\":\"RHMX1|MRN-rv-4\"}"), 404);
        // A record of another person, and a pair separated before, are conflicts with the record as it stands.
        HttpResponse<String> elsewhere = post(path, admin,
                "{\"record\":\"RHMX1|MRN-rv-1\",\"from\":\"RHMX1|MRN-rv-4\"}");
        assertProblem(elsewhere, 409);
        assertThat(json(elsewhere).get("type").asText()).endsWith("not-on-person");
        HttpResponse<String> again = post(path, admin,
                "{\"record\":\"RHMX1|MRN-rv-3\",\"from\":\"RHMX1|MRN-rv-4\"}");
        assertProblem(again, 409);
        assertThat(json(again).get("type").asText()).endsWith("already-decided");

        // A merged-away person's separations redirect to its survivor's, keeping the method.
        HttpResponse<String> merged = post("/api/persons/rv-3/separations", admin,
                "{\"record\":\"B86001|GP-rv-4\",\"from\":\"RHMX1|MRN-rv-4\"}");
        assertThat(merged.statusCode()).isEqualTo(308);
        assertThat(merged.headers().firstValue("Location")).hasValue("/api/persons/rv-4/separations");
        assertThat(decisionsSent()).hasSize(before);
    }

    @Test
    void aLinkGoesToIdentityForRecordsOfTwoPersons() throws Exception {
        HttpResponse<String> response = post("/api/persons/rv-1/links", admin,
                "{\"record\":\"GP123|G-rv-2\",\"with\":\"RHMX1|MRN-rv-1\",\"note\":\"same patient, checked with"
                        + " the practice\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode sent = json(response);
        String pairId = ReviewPairIds.link("GP123|G-rv-2", "RHMX1|MRN-rv-1");
        assertThat(sent.get("pairId").asText()).isEqualTo(pairId);
        assertThat(texts(sent.get("personIds"))).containsExactly("rv-1", "rv-2");
        ReviewDecision decision = decisionsSent().stream().filter(d -> d.getPairId().equals(pairId))
                .findFirst().orElseThrow();
        assertThat(decision.getVerdict()).isEqualTo(ReviewVerdict.SAME_PERSON);
        assertThat(decision.getLeftIdentifier()).isEqualTo("GP123|G-rv-2");
        assertThat(decision.getRightIdentifier()).isEqualTo("RHMX1|MRN-rv-1");
        assertThat(decision.getDecidedBy()).isEqualTo(Authenticator.ADMIN_TOKEN_SUBJECT);
        assertThat(store.count("SELECT count(*) FROM audit_event WHERE endpoint = 'POST /api/persons/{personId}/links'"
                + " AND status = 202 AND person_id IN ('rv-1', 'rv-2')")).isEqualTo(2);
    }

    @Test
    void linksThatCannotApplyAreRefusedAndNothingIsSent() throws Exception {
        int before = decisionsSent().size();
        String path = "/api/persons/rv-1/links";
        assertProblem(post(path, admin, "{\"record\":\"GP123|G-rv-2\",\"from\":\"RHMX1|MRN-rv-1\"}"), 400);
        assertProblem(post("/api/persons/no-such-person/links", admin,
                "{\"record\":\"GP123|G-rv-2\",\"with\":\"RHMX1|MRN-rv-1\"}"), 404);
        assertThat(problemType(post(path, admin, "{\"record\":\"GP123|G-rv-2\",\"with\":\"RHMX1|MRN-rv-5\"}")))
                .endsWith("not-on-person");
        assertThat(problemType(post(path, admin, "{\"record\":\"GP123|nobody\",\"with\":\"RHMX1|MRN-rv-1\"}")))
                .endsWith("unknown-record");
        assertThat(problemType(post(path, admin, "{\"record\":\"https://fhir.nhs.uk/Id/nhs-number|9990000018\","
                + "\"with\":\"RHMX1|MRN-rv-1\"}"))).endsWith("already-linked");
        // Two persons with different NHS numbers are never one: refused here, audited against both.
        assertThat(problemType(post("/api/persons/rv-5/links", admin,
                "{\"record\":\"RHMX1|MRN-rv-6\",\"with\":\"RHMX1|MRN-rv-5\"}"))).endsWith("different-nhs-numbers");
        assertThat(store.count("SELECT count(*) FROM audit_event WHERE endpoint = 'POST /api/persons/{personId}/links'"
                + " AND status = 409 AND person_id IN ('rv-5', 'rv-6')")).isEqualTo(2);
        HttpResponse<String> merged = post("/api/persons/rv-3/links", admin,
                "{\"record\":\"RHMX1|MRN-rv-5\",\"with\":\"RHMX1|MRN-rv-4\"}");
        assertThat(merged.statusCode()).isEqualTo(308);
        assertThat(merged.headers().firstValue("Location")).hasValue("/api/persons/rv-4/links");
        assertThat(decisionsSent()).hasSize(before);
    }

    private static String problemType(HttpResponse<String> response) throws Exception {
        assertProblem(response, 409);
        return json(response).get("type").asText();
    }

    /** Everything on identity.decisions so far. */
    private static List<ReviewDecision> decisionsSent() {
        String topic = Topics.IDENTITY_DECISIONS.name(PREFIX);
        Map<String, Object> config = new HashMap<>(endpoints.kafka().clientConfig());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put("schema.registry.url", endpoints.schemaRegistryUrl());
        List<ReviewDecision> out = new ArrayList<>();
        try (KafkaConsumer<String, ReviewDecision> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                AvroSerdes.specific(ReviewDecision.class, config, false).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Await.until("decisions read to the end", Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<String, ReviewDecision> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
        }
        return out;
    }
}
