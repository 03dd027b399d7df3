package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.careweave.events.Address;
import org.careweave.events.HumanName;
import org.careweave.events.DeduplicatedResult;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.careweave.store.Json;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.auth.AdminToken;
import org.careweave.store.auth.Authenticator;
import org.careweave.store.auth.Role;
import org.careweave.store.auth.TokensFile;
import org.careweave.store.health.HealthCheck;
import org.careweave.store.health.HealthChecks;
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

/** The query API over HTTP, on a store filled by the sink from a real topic. */
@ExtendWith(EmbeddedPlatformExtension.class)
class ApiIT {

    private static final String PREFIX = "apiit-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private static final String TOPIC = Topics.PERSON_VIEWS.name(PREFIX);
    private static final String CLINICIAN = "clinician-" + UUID.randomUUID();
    private static final String ANALYST = "analyst-" + UUID.randomUUID();
    private static final String CLINICIAN_SUBJECT = "Dr Test Clinician (RHMX1)";
    private static final String HBA1C = People.LOINC + "|" + People.HBA1C;
    /** HbA1c in mmol/mol, as UK laboratories report it. */
    private static final String HBA1C_IFCC = "59261-8";
    private static final String POTASSIUM = People.LOINC + "|" + People.POTASSIUM;
    private static final Instant NOW = Instant.now();
    private static final OffsetDateTime TEN_DAYS_AGO = NOW.minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)
            .atOffset(ZoneOffset.ofHours(1));
    private static final OffsetDateTime TWO_HUNDRED_DAYS_AGO = NOW.minus(200, ChronoUnit.DAYS)
            .truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC);

    private static final AtomicBoolean processorsUp = new AtomicBoolean(true);
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    private static String admin;
    private static Store store;
    private static SinkService sink;
    private static ApiServer api;
    private static StoreEndpoints endpoints;

    @BeforeAll
    static void start(Platform platform) throws Exception {
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 3, (short) 1);
        endpoints = TestDatabases.fresh(platform, "apiit");
        store = new Store(endpoints);
        produceRecords(endpoints);

        Path tokens = dir.resolve("tokens");
        Files.write(tokens, List.of("# test tokens", TokensFile.line(CLINICIAN, Role.CLINICIAN, CLINICIAN_SUBJECT),
                TokensFile.line(ANALYST, Role.ANALYST, "Test Analyst")));
        Path adminFile = AdminToken.ensure(dir);
        admin = AdminToken.read(adminFile);

        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        sink = SinkService.start(SinkConfig.defaults(), endpoints, PREFIX, metrics);
        store.awaitCaughtUp(TOPIC, Duration.ofSeconds(60));
        List<HealthCheck> checks = new ArrayList<>(HealthChecks.platform(endpoints));
        checks.add(sink.healthCheck());
        checks.add(HealthCheck.of("processors", () -> processorsUp.get() ? HealthCheck.Status.up("running")
                : HealthCheck.Status.down("not running")));
        // One rule for HbA1c in % and in mmol/mol, as careweave's shipped rules have it.
        List<String> hba1cCodes = List.of(People.LOINC + "|" + People.HBA1C, People.LOINC + "|" + HBA1C_IFCC);
        RetestIntervals rules = new RetestIntervals() {
            @Override
            public Optional<Interval> forCode(String system, String code) {
                return hba1cCodes.contains(system + "|" + code)
                        ? Optional.of(new RetestIntervals.Interval("hba1c-90d", 90, "Invented test rule"))
                        : Optional.empty();
            }

            @Override
            public List<String> sameTest(String system, String code) {
                return hba1cCodes.contains(system + "|" + code) ? hba1cCodes : List.of();
            }
        };
        api = ApiServer.start(ApiConfig.defaults().withPort(0).withTokensFile(tokens).withAdminTokenFile(adminFile),
                endpoints, PREFIX, rules, checks, metrics);
    }

    private static void produceRecords(StoreEndpoints endpoints) {
        DeduplicatedResult recent = People.result("api-1-R1", "api-1", People.HBA1C, "HbA1c", "48", "mmol/mol",
                TEN_DAYS_AGO).build();
        DeduplicatedResult old = People.result("api-1-R2", "api-1", People.HBA1C, "HbA1c", "52", "mmol/mol",
                TWO_HUNDRED_DAYS_AGO).build();
        DeduplicatedResult retracted = People.result("api-1-R3", "api-1", People.HBA1C, "HbA1c", "99", "mmol/mol",
                TEN_DAYS_AGO.plusDays(8)).setRetracted(true).setStatus("W").build();
        DeduplicatedResult potassium = People.result("api-1-R4", "api-1", People.POTASSIUM, "Potassium", "4.1",
                "mmol/L", TEN_DAYS_AGO.minusDays(20)).build();
        try (ViewProducer producer = new ViewProducer(endpoints, TOPIC)) {
            producer.send(People.person("api-2", 1, "9990000026", "Merged", "Beth").build());
            producer.send(People.person("api-1", 5, "9990000018", "Example", "Alice")
                    .setIdentifiers(List.of(People.nhsNumber("9990000018"), People.local("RHMX1", "MRN-api-1"),
                            People.local("RHMX1", "MRN-api-2")))
                    .setResults(List.of(recent, old, retracted, potassium))
                    .setEncounters(List.of(People.encounter("V-api-1", "I", Instant.parse("2024-05-30T10:00:00Z"),
                            Instant.parse("2024-06-02T15:30:00Z"))))
                    .setAlerts(List.of(People.alert("api-1", old, recent)))
                    .setMergedPersonIds(List.of("api-2"))
                    .build());
            producer.tombstone("api-2");
            producer.send(People.person("api-3", 1, "9990000034", "Other", "Carl").build());
            // Her laboratory reports HbA1c in mmol/mol; the clinician's order catalogue asks for it in %.
            producer.send(People.person("api-ifcc", 1, "9990000476", "Testunits", "Uma")
                    .setResults(List.of(People.result("api-ifcc-R1", "api-ifcc", HBA1C_IFCC, "HbA1c (IFCC)", "51",
                            "mmol/mol", TEN_DAYS_AGO).build()))
                    .build());
            // The laboratory could not do the latest HbA1c (a haemolysed sample): the one before is the last test.
            producer.send(People.person("api-haem", 1, "9990000212", "Haemolysed", "Hana")
                    .setResults(List.of(People.result("haem-R1", "api-haem", People.HBA1C, "HbA1c", "Sample haemolysed",
                                    null, TEN_DAYS_AGO.plusDays(7)).setValueType("ST").setNumericValue(null)
                                    .setNotObtained(true).build(),
                            People.result("haem-R2", "api-haem", People.HBA1C, "HbA1c", "50", "mmol/mol",
                                    TEN_DAYS_AGO.minusDays(20)).build()))
                    .build());
            // A potassium at the hospital a year ago (its local code mapped to LOINC) and one from the GP yesterday,
            // coded in LOINC only. No retest rule covers potassium.
            producer.send(People.person("api-gpk", 1, "9990000611", "Potassium", "Kit")
                    .setResults(List.of(People.result("gpk-R1", "api-gpk", People.POTASSIUM, "Potassium", "4.4",
                                    "mmol/L", TEN_DAYS_AGO.minusDays(355)).build(),
                            People.result("gpk-R2", "api-gpk", People.POTASSIUM, "Potassium", "5.1", "mmol/L",
                                    TEN_DAYS_AGO.plusDays(9)).setSourceCode(null).build()))
                    .build());
            // Seven results to page through: two collected at the same moment, two with no collection time.
            List<DeduplicatedResult> paged = new ArrayList<>();
            for (int i = 1; i <= 7; i++) {
                OffsetDateTime collected = i >= 6 ? null : i == 1 ? TEN_DAYS_AGO.minusDays(3)
                        : i == 3 ? TEN_DAYS_AGO.minusDays(2) : TEN_DAYS_AGO.minusDays(i);
                paged.add(People.result("pg-R" + i, "api-paged", i % 2 == 0 ? People.POTASSIUM : People.HBA1C,
                        "Paged", "4." + i, "mmol/L", collected).build());
            }
            producer.send(People.person("api-paged", 1, "9990000050", "Paged", "Pia").setResults(paged).build());
            producer.send(People.person("api-etag", 1, "9990000069", "Tagged", "Tess").build());
            // Two invented twins and a namesake, for the search by demographics.
            LocalDate born = LocalDate.of(1990, 5, 17);
            producer.send(People.person("api-twin-a", 1, "9990000077", "Searchable", "Alexandra").setBirthDate(born)
                    .build());
            producer.send(People.person("api-twin-b", 1, "9990000085", "Searchable", "Alexander").setBirthDate(born)
                    .setAddress(Address.newBuilder().setLines(List.of("2 Example Road")).setCity("Leeds")
                            .setPostcode("LS2 9ZZ").build()).build());
            producer.send(People.person("api-namesake", 1, "9990000093", "SEARCHABLE", "Alexandra")
                    .setBirthDate(born.plusDays(1)).build());
            // Names written differently by different systems.
            producer.send(People.person("api-apostrophe", 1, "9990000107", "O'Brien", "Mary-Jane")
                    .setBirthDate(LocalDate.of(1971, 3, 9)).build());
            producer.send(People.person("api-hyphen", 1, "9990000115", "SMITH JONES", "Anna")
                    .setBirthDate(LocalDate.of(1971, 3, 9)).build());
            // Registered here under one part of her double-barrelled name.
            producer.send(People.person("api-part", 1, "9990000131", "Testjones", "Imogen")
                    .setBirthDate(LocalDate.of(1972, 4, 4)).build());
            // Known to the hospital under her maiden name and a birth date with day and month swapped.
            producer.send(People.person("api-married", 1, "9990000123", "Brown", "Emma")
                    .setBirthDate(LocalDate.of(1990, 7, 5))
                    .setOtherNames(List.of(HumanName.newBuilder().setFamily("Taylor").setGiven(List.of("Emma"))
                            .build()))
                    .setOtherBirthDates(List.of(LocalDate.of(1990, 5, 7))).build());
            // More people alike than a search lists (their NHS numbers taken off: nothing here needs them).
            for (int i = 1; i <= PersonEndpoints.MAX_DEMOGRAPHIC_HITS + 1; i++) {
                String id = String.format("api-common-%02d", i);
                producer.send(People.person(id, 1, "9990000018", "Common", i == 7 ? "Ottilie" : "Sam")
                        .setIdentifiers(List.of(People.local("RHMX1", "MRN-" + id))).setNhsNumber(null)
                        .setBirthDate(LocalDate.of(1985, 2, 2)).build());
            }
        }
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    private static HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.baseUri().resolve(pathAndQuery))
                .timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asText()).startsWith("urn:careweave:problem:");
        assertThat(problem.get("title").asText()).isNotBlank();
    }

    private static long auditRows(String subject, String personId, String endpoint, int status) {
        return store.count("SELECT count(*) FROM audit_event WHERE subject = ? AND person_id IS NOT DISTINCT FROM ?"
                + " AND endpoint = ? AND status = ?", subject, personId, endpoint, status);
    }

    @Test
    void searchByNhsNumberFindsThePersonAndAuditsTheHit() throws Exception {
        long before = auditRows(CLINICIAN_SUBJECT, "api-1", "GET /api/persons", 200);

        HttpResponse<String> response = get("/api/persons?identifier=" + q(People.NHS + "|9990000018"), CLINICIAN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(json(response)).isEqualTo(Json.mapper().readTree("{\"persons\":[{\"personId\":\"api-1\"}]}"));
        assertThat(auditRows(CLINICIAN_SUBJECT, "api-1", "GET /api/persons", 200)).isEqualTo(before + 1);
        assertThat(store.value("SELECT query FROM audit_event WHERE subject = ? AND endpoint = 'GET /api/persons'"
                + " ORDER BY id DESC LIMIT 1", CLINICIAN_SUBJECT)).asString().contains("9990000018");
    }

    @Test
    void anNhsNumberIsFoundAsPeopleWriteIt() throws Exception {
        for (String written : List.of("999 000 0018", "999-000-0018", " 9990000018 ")) {
            assertThat(json(get("/api/persons?identifier=" + q(People.NHS + "|" + written), CLINICIAN)))
                    .as(written).isEqualTo(Json.mapper().readTree("{\"persons\":[{\"personId\":\"api-1\"}]}"));
        }
        assertThat(json(get("/api/persons?identifier=" + q("RHMX1|MRN api-1"), CLINICIAN)).get("persons"))
                .as("other systems' values are taken as they are").isEmpty();
    }

    @Test
    void searchByALocalNumberUsesItsAssigningAuthorityAsSystem() throws Exception {
        assertThat(json(get("/api/persons?identifier=" + q("RHMX1|MRN-api-1"), CLINICIAN)).get("persons")
                .get(0).get("personId").asText()).isEqualTo("api-1");
        // The merged person's own number leads to the survivor, once.
        assertThat(json(get("/api/persons?identifier=" + q("RHMX1|MRN-api-2"), CLINICIAN)))
                .isEqualTo(Json.mapper().readTree("{\"persons\":[{\"personId\":\"api-1\"}]}"));
        assertThat(json(get("/api/persons?identifier=" + q(People.NHS + "|9990000034"), CLINICIAN)).get("persons")
                .get(0).get("personId").asText()).isEqualTo("api-3");
    }

    @Test
    void aSearchWithoutHitsIsAnEmptyListAndIsStillAudited() throws Exception {
        long before = auditRows(CLINICIAN_SUBJECT, null, "GET /api/persons", 200);

        HttpResponse<String> response = get("/api/persons?identifier=" + q(People.NHS + "|9990000042"), CLINICIAN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(Json.mapper().readTree("{\"persons\":[]}"));
        assertThat(auditRows(CLINICIAN_SUBJECT, null, "GET /api/persons", 200)).isEqualTo(before + 1);
    }

    @Test
    void badSearchParametersAreBadRequests() throws Exception {
        assertProblem(get("/api/persons?identifier=9990000018", CLINICIAN), 400);
        assertProblem(get("/api/persons", CLINICIAN), 400);
        assertProblem(get("/api/persons?identifier=" + q("a|b|c"), CLINICIAN), 400);
    }

    /**
     * Parameters PostgreSQL cannot take (a NUL character; a year past 9999 or before 1) were answered 500, with no
     * audit row. They are bad requests, audited like any other.
     */
    @Test
    void parametersTheDatabaseCannotTakeAreBadRequestsAndAudited() throws Exception {
        long searches = auditRows(CLINICIAN_SUBJECT, null, "GET /api/persons", 400);
        assertProblem(get("/api/persons?identifier=RHMX1%7CA%00", CLINICIAN), 400);
        assertProblem(get("/api/persons?family=A%00&birthdate=1980-01-01", CLINICIAN), 400);
        assertProblem(get("/api/persons?family=Example&birthdate=-4714-01-01", CLINICIAN), 400);
        assertProblem(get("/api/persons?family=Example&birthdate=%2B300000-01-01", CLINICIAN), 400);
        assertThat(auditRows(CLINICIAN_SUBJECT, null, "GET /api/persons", 400)).isEqualTo(searches + 4);

        long results = auditRows(CLINICIAN_SUBJECT, "api-1", "GET /api/persons/{personId}/results", 400);
        assertProblem(get("/api/persons/api-1/results?from=%2B300000-01-01T00:00:00Z", CLINICIAN), 400);
        assertProblem(get("/api/persons/api-1/results?to=-0001-12-31", CLINICIAN), 400);
        assertProblem(get("/api/persons/api-1/results?code=" + q(People.LOINC) + "%7C4548%00", CLINICIAN), 400);
        for (String cursor : List.of("r1|+300000-01-01T00:00:00Z|cwr-1", "r1||cwr-\u0000")) {
            assertProblem(get("/api/persons/api-1/results?limit=2&after=" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(cursor.getBytes(StandardCharsets.UTF_8)), CLINICIAN), 400);
        }
        assertThat(auditRows(CLINICIAN_SUBJECT, "api-1", "GET /api/persons/{personId}/results", 400))
                .isEqualTo(results + 5);

        long reports = auditRows(Authenticator.ADMIN_TOKEN_SUBJECT, "api-1", "GET /api/persons/{personId}/audit", 400);
        assertProblem(get("/api/persons/api-1/audit?from=%2B999999999-01-01T00:00:00Z", admin), 400);
        assertProblem(get("/api/persons/api-1/audit?to=%2B10000-01-01", admin), 400);
        assertThat(auditRows(Authenticator.ADMIN_TOKEN_SUBJECT, "api-1", "GET /api/persons/{personId}/audit", 400))
                .isEqualTo(reports + 2);
        assertThat(json(get("/api/persons/api-1/audit?from=0001-01-01&to=9999-12-31T23:59:59-12:00", admin))
                .get("accesses")).as("the years 1 to 9999 are taken").isNotEmpty();

        long separations = auditRows(Authenticator.ADMIN_TOKEN_SUBJECT, "api-1",
                "POST /api/persons/{personId}/separations", 400);
        HttpResponse<String> separation = http.send(HttpRequest.newBuilder(
                api.baseUri().resolve("/api/persons/api-1/separations")).header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.ofString("{\"record\": \"RHMX1|MRN-api-1\\u0000\","
                        + " \"from\": \"" + People.NHS + "|9990000018\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(separation, 400);
        assertThat(auditRows(Authenticator.ADMIN_TOKEN_SUBJECT, "api-1", "POST /api/persons/{personId}/separations",
                400)).isEqualTo(separations + 1);
    }

    /**
     * A person id in the path that no record can have (thousands of characters, more than an audit row's index can
     * hold) was answered 500 without an audit row. It is an unknown person, as any id not on record: 404,
     * audited without the id, which the audit table could not hold.
     */
    @Test
    void aPathIdNoRecordCanHaveIsNotFoundAndAudited() throws Exception {
        StringBuilder absurd = new StringBuilder("cwp-");
        Random random = new Random(3_000);
        while (absurd.length() < 3_000) {
            absurd.append(Integer.toString(random.nextInt(36), 36));
        }
        long persons = auditRows(CLINICIAN_SUBJECT, null, "GET /api/persons/{personId}", 404);
        long results = auditRows(CLINICIAN_SUBJECT, null, "GET /api/persons/{personId}/results", 404);
        long reports = auditRows(Authenticator.ADMIN_TOKEN_SUBJECT, null, "GET /api/persons/{personId}/audit", 404);

        assertProblem(get("/api/persons/" + absurd, CLINICIAN), 404);
        assertProblem(get("/api/persons/" + absurd + "/results", CLINICIAN), 404);
        assertProblem(get("/api/persons/" + absurd + "/audit", admin), 404);

        assertThat(auditRows(CLINICIAN_SUBJECT, null, "GET /api/persons/{personId}", 404)).isEqualTo(persons + 1);
        assertThat(auditRows(CLINICIAN_SUBJECT, null, "GET /api/persons/{personId}/results", 404))
                .isEqualTo(results + 1);
        assertThat(auditRows(Authenticator.ADMIN_TOKEN_SUBJECT, null, "GET /api/persons/{personId}/audit", 404))
                .isEqualTo(reports + 1);
        // A NUL in the path Jetty refuses itself, before any handler: nothing is read, and there is no one to audit.
        assertThat(get("/api/persons/cwp-A%00B", CLINICIAN).statusCode()).isEqualTo(400);
    }

    @Test
    void thePersonViewHasEverythingAClinicianNeeds() throws Exception {
        long before = auditRows(CLINICIAN_SUBJECT, "api-1", "GET /api/persons/{personId}", 200);

        HttpResponse<String> response = get("/api/persons/api-1", CLINICIAN);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode p = json(response);
        assertThat(p.get("personId").asText()).isEqualTo("api-1");
        assertThat(p.get("identifiers").findValuesAsText("value")).contains("9990000018", "MRN-api-1");
        assertThat(p.get("identifiers").get(0).get("system").asText()).isEqualTo(People.NHS);
        assertThat(p.get("name").get("family").asText()).isEqualTo("Example");
        assertThat(p.get("possibleDuplicates").isArray()).isTrue();
        assertThat(p.get("possibleDuplicates")).isEmpty();
        assertThat(p.get("name").get("given").get(0).asText()).isEqualTo("Alice");
        assertThat(LocalDate.parse(p.get("birthDate").asText())).isBefore(LocalDate.now());
        assertThat(p.get("sex").asText()).isEqualTo("F");
        assertThat(p.get("address").get("city").asText()).isEqualTo("Leeds");

        JsonNode encounter = p.get("encounters").get(0);
        assertThat(encounter.get("visit").get("system").asText()).isEqualTo("RHMX1");
        assertThat(encounter.get("visit").get("value").asText()).isEqualTo("V-api-1");
        assertThat(encounter.get("patientClass").asText()).isEqualTo("I");
        assertThat(encounter.get("admitted").asText()).isEqualTo("2024-05-30T11:00:00+01:00");
        assertThat(encounter.get("discharged").asText()).isEqualTo("2024-06-02T16:30:00+01:00");
        assertThat(encounter.get("location").asText()).isEqualTo("Ward 7");
        assertThat(encounter.get("status").asText()).isEqualTo("finished");

        JsonNode result = p.get("results").get(0);
        assertThat(result.get("code").get("system").asText()).isEqualTo(People.LOINC);
        assertThat(result.get("code").get("code").asText()).isEqualTo(People.HBA1C);
        assertThat(result.get("code").get("display").asText()).isEqualTo("HbA1c");
        assertThat(result.get("value").asText()).isEqualTo("48");
        assertThat(result.get("unit").asText()).isEqualTo("mmol/mol");
        assertThat(result.get("status").asText()).isEqualTo("F");
        assertThat(OffsetDateTime.parse(result.get("collected").asText())).isEqualTo(TEN_DAYS_AGO);
        assertThat(result.get("collected").asText()).endsWith("+01:00");
        assertThat(result.get("sources").get(0).get("facility").asText()).isEqualTo("RHMX1");
        assertThat(result.get("sources").get(0).get("messageControlId").asText()).isEqualTo("CTRL-api-1-R1");

        JsonNode alert = p.get("alerts").get(0);
        assertThat(alert.get("type").asText()).isEqualTo("repeat-test");
        assertThat(alert.get("code").get("code").asText()).isEqualTo(People.HBA1C);
        assertThat(alert.get("previous").get("resultId").asText()).isEqualTo("api-1-R2");
        assertThat(alert.get("current").get("resultId").asText()).isEqualTo("api-1-R1");

        assertThat(auditRows(CLINICIAN_SUBJECT, "api-1", "GET /api/persons/{personId}", 200)).isEqualTo(before + 1);
    }

    @Test
    void aMergedPersonAnswersWithARedirectToTheSurvivor() throws Exception {
        HttpResponse<String> response = get("/api/persons/api-2", CLINICIAN);

        assertProblem(response, 308);
        assertThat(response.headers().firstValue("Location")).contains("/api/persons/api-1");
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("urn:careweave:problem:person-merged");
        assertThat(problem.get("survivorPersonId").asText()).isEqualTo("api-1");
        assertThat(auditRows(CLINICIAN_SUBJECT, "api-2", "GET /api/persons/{personId}", 308)).isPositive();

        HttpResponse<String> results = get("/api/persons/api-2/results?code=" + q(HBA1C), CLINICIAN);
        assertThat(results.statusCode()).isEqualTo(308);
        assertThat(results.headers().firstValue("Location"))
                .contains("/api/persons/api-1/results?code=" + q(HBA1C));

        HttpResponse<String> followed = get(results.headers().firstValue("Location").orElseThrow(), CLINICIAN);
        assertThat(followed.statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownPersonIsNotFoundAndTheAttemptIsAudited() throws Exception {
        for (String path : List.of("/api/persons/nobody", "/api/persons/nobody/results",
                "/api/persons/nobody/recent-tests?code=" + q(HBA1C))) {
            assertProblem(get(path, CLINICIAN), 404);
        }
        assertThat(auditRows(CLINICIAN_SUBJECT, "nobody", "GET /api/persons/{personId}", 404)).isPositive();
        assertThat(auditRows(CLINICIAN_SUBJECT, "nobody", "GET /api/persons/{personId}/results", 404)).isPositive();
    }

    @Test
    void withoutAValidTokenNothingIsAnswered() throws Exception {
        HttpResponse<String> missing = get("/api/persons/api-1", null);
        assertProblem(missing, 401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        assertThat(missing.body()).doesNotContain("Example");

        HttpResponse<String> wrong = get("/api/persons/api-1", "not-a-known-token");
        assertProblem(wrong, 401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).contains("invalid_token"));

        assertProblem(get("/api/persons?identifier=" + q(People.NHS + "|9990000018"), null), 401);
    }

    @Test
    void analystsAreRefusedPersonIdentifiableEndpointsAndTheAttemptIsAudited() throws Exception {
        for (String path : List.of("/api/persons?identifier=" + q(People.NHS + "|9990000018"), "/api/persons/api-1",
                "/api/persons/api-1/results", "/api/persons/api-1/recent-tests?code=" + q(HBA1C))) {
            HttpResponse<String> response = get(path, ANALYST);
            assertProblem(response, 403);
            assertThat(response.body()).doesNotContain("Example").doesNotContain("9990000018\"");
        }
        assertThat(store.count("SELECT count(*) FROM audit_event WHERE role = 'analyst' AND status = 403"
                + " AND person_id = 'api-1'")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theAdminTokenReadsPersonsToo() throws Exception {
        assertThat(get("/api/persons/api-1", admin).statusCode()).isEqualTo(200);
        assertThat(auditRows("admin (embedded admin token)", "api-1", "GET /api/persons/{personId}", 200))
                .isPositive();
    }

    @Test
    void resultsAreFilteredByCodeAndCollectionTime() throws Exception {
        JsonNode all = json(get("/api/persons/api-1/results", CLINICIAN));
        assertThat(all.get("personId").asText()).isEqualTo("api-1");
        assertThat(all.get("results").findValuesAsText("resultId"))
                .containsExactly("api-1-R3", "api-1-R1", "api-1-R4", "api-1-R2");

        JsonNode hba1c = json(get("/api/persons/api-1/results?code=" + q(HBA1C), CLINICIAN));
        assertThat(hba1c.get("results").findValuesAsText("resultId"))
                .containsExactly("api-1-R3", "api-1-R1", "api-1-R2");

        JsonNode byLocalCode = json(get("/api/persons/api-1/results?code=" + q("RHMX1-LAB|L-" + People.HBA1C),
                CLINICIAN));
        assertThat(byLocalCode.get("results")).hasSize(3);

        String from = TEN_DAYS_AGO.toLocalDate().toString();
        String to = TEN_DAYS_AGO.toLocalDate().plusDays(1).toString();
        JsonNode dated = json(get("/api/persons/api-1/results?code=" + q(HBA1C) + "&from=" + from + "&to=" + to,
                CLINICIAN));
        assertThat(dated.get("results").findValuesAsText("resultId")).containsExactly("api-1-R1");

        String since = q(TWO_HUNDRED_DAYS_AGO.plusSeconds(1).toString());
        JsonNode timed = json(get("/api/persons/api-1/results?code=" + q(HBA1C) + "&from=" + since, CLINICIAN));
        assertThat(timed.get("results").findValuesAsText("resultId")).containsExactly("api-1-R3", "api-1-R1");

        assertThat(json(get("/api/persons/api-3/results", CLINICIAN)).get("results")).isEmpty();
        assertProblem(get("/api/persons/api-1/results?from=last-week", CLINICIAN), 400);
        assertProblem(get("/api/persons/api-1/results?from=2024-03-02&to=2024-03-01", CLINICIAN), 400);
        assertThat(auditRows(CLINICIAN_SUBJECT, "api-1", "GET /api/persons/{personId}/results", 400)).isPositive();
    }

    @Test
    void resultsComePageByPageInTheSameOrderAsAllAtOnce() throws Exception {
        List<String> whole = json(get("/api/persons/api-paged/results", CLINICIAN)).get("results")
                .findValuesAsText("resultId");
        assertThat(whole).containsExactly("pg-R2", "pg-R3", "pg-R1", "pg-R4", "pg-R5", "pg-R6", "pg-R7");

        assertThat(pages("/api/persons/api-paged/results?limit=2", 2)).isEqualTo(whole);
        assertThat(pages("/api/persons/api-paged/results?limit=1", 1)).isEqualTo(whole);
        assertThat(pages("/api/persons/api-paged/results?limit=7", 7)).isEqualTo(whole);
        // The next link keeps the filters.
        List<String> potassium = json(get("/api/persons/api-paged/results?code=" + q(POTASSIUM), CLINICIAN))
                .get("results").findValuesAsText("resultId");
        assertThat(potassium).containsExactly("pg-R2", "pg-R4", "pg-R6");
        assertThat(pages("/api/persons/api-paged/results?code=" + q(POTASSIUM) + "&limit=2", 2)).isEqualTo(potassium);

        assertProblem(get("/api/persons/api-paged/results?limit=0", CLINICIAN), 400);
        assertProblem(get("/api/persons/api-paged/results?limit=2&after=not-a-cursor", CLINICIAN), 400);
        String cursor = json(get("/api/persons/api-paged/results?limit=2", CLINICIAN)).get("next").asText()
                .replaceAll(".*after=", "");
        assertProblem(get("/api/persons/api-paged/results?after=" + cursor, CLINICIAN), 400);
    }

    @Test
    void aPatientIsFoundByFamilyNameAndBirthDateNarrowedByGivenNameAndPostcode() throws Exception {
        String search = "/api/persons?family=searchable&birthdate=1990-05-17";
        assertThat(json(get(search, CLINICIAN)).get("persons").findValuesAsText("personId"))
                .containsExactly("api-twin-a", "api-twin-b");
        assertThat(json(get(search + "&given=ALEXA", CLINICIAN)).get("persons").findValuesAsText("personId"))
                .as("a given name's beginning").containsExactly("api-twin-a", "api-twin-b");
        assertThat(json(get(search + "&given=alexandra", CLINICIAN)).get("persons").findValuesAsText("personId"))
                .containsExactly("api-twin-a");
        assertThat(json(get(search + "&address-postalcode=ls29zz", CLINICIAN)).get("persons")
                .findValuesAsText("personId")).containsExactly("api-twin-b");
        assertThat(json(get("/api/persons?family=Searchable&birthdate=1990-05-18", CLINICIAN)).get("persons")
                .findValuesAsText("personId")).containsExactly("api-namesake");
        assertThat(json(get("/api/persons?family=Nobody&birthdate=1990-05-17", CLINICIAN)).get("persons")).isEmpty();
        for (String family : List.of("OBrien", "o%27brien", "O%20BRIEN", "O%E2%80%99Brien")) {
            assertThat(json(get("/api/persons?family=" + family + "&birthdate=1971-03-09&given=mary%20j", CLINICIAN))
                    .get("persons").findValuesAsText("personId")).as(family).containsExactly("api-apostrophe");
        }
        assertThat(json(get("/api/persons?family=Smith-Jones&birthdate=1971-03-09", CLINICIAN)).get("persons")
                .findValuesAsText("personId")).containsExactly("api-hyphen");
        // A double-barrelled or compound name, recorded whole in one place and in part in another.
        for (String query : List.of("family=Jones&birthdate=1971-03-09", "family=smith&birthdate=1971-03-09&given=ann")) {
            assertThat(json(get("/api/persons?" + query, CLINICIAN)).get("persons").findValuesAsText("personId"))
                    .as(query).containsExactly("api-hyphen");
        }
        assertThat(json(get("/api/persons?family=OBrien&birthdate=1971-03-09&given=Jane", CLINICIAN)).get("persons")
                .findValuesAsText("personId")).as("a part of a compound given name").containsExactly("api-apostrophe");
        assertThat(json(get("/api/persons?family=Testsmith-Testjones&birthdate=1972-04-04", CLINICIAN)).get("persons")
                .findValuesAsText("personId")).as("the whole name asked, a part stored").containsExactly("api-part");
        assertThat(json(get("/api/persons?family=Testsmith-Testjones&birthdate=1972-04-05", CLINICIAN))
                .get("persons")).isEmpty();
        assertProblem(get("/api/persons?family=%27-&birthdate=1971-03-09", CLINICIAN), 400);
        for (String query : List.of("family=Brown&birthdate=1990-07-05", "family=taylor&birthdate=1990-07-05",
                "family=Taylor&birthdate=1990-05-07&given=em", "family=Brown&birthdate=1990-05-07")) {
            JsonNode found = json(get("/api/persons?" + query, CLINICIAN));
            assertThat(found.get("persons").findValuesAsText("personId")).as(query).containsExactly("api-married");
        }
        assertThat(json(get("/api/persons?family=Taylor&birthdate=1990-07-05&given=Anna", CLINICIAN))
                .get("persons")).isEmpty();
        assertThat(json(get("/api/persons/api-married", CLINICIAN)).get("otherNames").get(0).get("family")
                .asText()).isEqualTo("Taylor");
        assertThat(auditRows(CLINICIAN_SUBJECT, "api-twin-b", "GET /api/persons", 200)).isGreaterThanOrEqualTo(2);

        JsonNode many = json(get("/api/persons?family=Common&birthdate=1985-02-02", CLINICIAN));
        assertThat(many.get("persons")).hasSize(PersonEndpoints.MAX_DEMOGRAPHIC_HITS);
        assertThat(many.get("persons").get(0).get("personId").asText()).isEqualTo("api-common-01");
        assertThat(many.get("truncated").asBoolean()).isTrue();
        JsonNode narrowed = json(get("/api/persons?family=Common&birthdate=1985-02-02&given=Ott", CLINICIAN));
        assertThat(narrowed.get("persons").findValuesAsText("personId")).containsExactly("api-common-07");
        assertThat(narrowed.has("truncated")).isFalse();

        // Never a list of everyone with a surname or a birthday.
        assertProblem(get("/api/persons?family=Searchable", CLINICIAN), 400);
        assertProblem(get("/api/persons?birthdate=1990-05-17", CLINICIAN), 400);
        // Nor a list of everyone born on a day, by a "family name" of many surnames each searched as a part.
        assertProblem(get("/api/persons?family=" + q("Searchable Smith Jones Williams Brown Taylor Davies")
                + "&birthdate=1990-05-17", CLINICIAN), 400);
        assertThat(json(get("/api/persons?family=" + q("Ruiz de la Torre Searchable") + "&birthdate=1990-05-17",
                CLINICIAN)).get("persons").findValuesAsText("personId")).as("a real name of five parts")
                .containsExactly("api-twin-a", "api-twin-b");
        assertProblem(get("/api/persons?family=Searchable&birthdate=17/05/1990", CLINICIAN), 400);
        assertProblem(get(search + "&identifier=" + q("RHMX1|MRN-api-twin-a"), CLINICIAN), 400);
        assertProblem(get(search, ANALYST), 403);
    }

    @Test
    void aViewUnchangedSinceTheClientsCopyIsAnswered304WithoutIt() throws Exception {
        HttpResponse<String> first = get("/api/persons/api-etag", CLINICIAN);
        assertThat(first.statusCode()).isEqualTo(200);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> same = conditional("/api/persons/api-etag", etag);
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        assertThat(same.headers().firstValue("ETag")).hasValue(etag);
        assertThat(auditRows(CLINICIAN_SUBJECT, "api-etag", "GET /api/persons/{personId}", 304))
                .as("a 304 is a read of the record too").isOne();
        assertThat(conditional("/api/persons/api-etag", "\"another\", W/" + etag).statusCode()).isEqualTo(304);
        assertThat(conditional("/api/persons/api-etag", "\"another\"").statusCode()).isEqualTo(200);

        // A new version of the view: the old tag no longer matches, and the answer carries the new one.
        try (ViewProducer producer = new ViewProducer(endpoints, TOPIC)) {
            producer.send(People.person("api-etag", 2, "9990000069", "Tagged", "Tessa").build());
        }
        store.awaitCaughtUp(TOPIC, Duration.ofSeconds(60));
        HttpResponse<String> changed = conditional("/api/persons/api-etag", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).contains("Tessa");
        assertThat(changed.headers().firstValue("ETag")).hasValueSatisfying(t -> assertThat(t).isNotEqualTo(etag));
    }

    private static HttpResponse<String> conditional(String path, String ifNoneMatch) throws Exception {
        return http.send(HttpRequest.newBuilder(api.baseUri().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + CLINICIAN).header("If-None-Match", ifNoneMatch).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Follows next links from the first page, checking each page's size; the result ids in order. */
    private static List<String> pages(String first, int limit) throws Exception {
        List<String> ids = new ArrayList<>();
        String path = first;
        int pages = 0;
        while (path != null) {
            JsonNode page = json(get(path, CLINICIAN));
            assertThat(page.get("results").size()).isBetween(1, limit);
            ids.addAll(page.get("results").findValuesAsText("resultId"));
            path = page.hasNonNull("next") ? page.get("next").asText() : null;
            assertThat(++pages).as("pages for " + first).isLessThanOrEqualTo(8);
        }
        return ids;
    }

    @Test
    void recentTestsFindsATestReportedUnderAnotherCodeOfItsRule() throws Exception {
        for (String asked : List.of(HBA1C, People.LOINC + "|" + HBA1C_IFCC)) {
            JsonNode check = json(get("/api/persons/api-ifcc/recent-tests?code=" + q(asked), CLINICIAN));
            assertThat(check.get("lastResult").get("resultId").asText()).as(asked).isEqualTo("api-ifcc-R1");
            assertThat(check.get("withinInterval").asBoolean()).as(asked).isTrue();
        }
    }

    @Test
    void recentTestsSaysWhetherANewTestWouldBeARepeat() throws Exception {
        JsonNode hba1c = json(get("/api/persons/api-1/recent-tests?code=" + q(HBA1C), CLINICIAN));
        assertThat(hba1c.get("withinInterval").asBoolean()).isTrue();
        assertThat(hba1c.get("lastResult").get("resultId").asText()).as("retracted results do not count")
                .isEqualTo("api-1-R1");
        assertThat(hba1c.get("retestInterval").get("days").asInt()).isEqualTo(90);
        assertThat(hba1c.get("retestInterval").get("ruleId").asText()).isEqualTo("hba1c-90d");
        assertThat(OffsetDateTime.parse(hba1c.get("earliestRetest").asText())).isEqualTo(TEN_DAYS_AGO.plusDays(90));
        assertThat(hba1c.get("explanation").asText()).contains("90 days");

        JsonNode byLocalCode = json(get("/api/persons/api-1/recent-tests?code=" + q("RHMX1-LAB|L-" + People.HBA1C),
                CLINICIAN));
        assertThat(byLocalCode.get("withinInterval").asBoolean()).as("rule found by the mapped code").isTrue();

        JsonNode potassium = json(get("/api/persons/api-1/recent-tests?code=" + q(POTASSIUM), CLINICIAN));
        assertThat(potassium.get("withinInterval").asBoolean()).isFalse();
        assertThat(potassium.has("retestInterval")).isFalse();
        assertThat(potassium.get("lastResult").get("resultId").asText()).isEqualTo("api-1-R4");

        JsonNode potassiumByLocalCode = json(get("/api/persons/api-gpk/recent-tests?code="
                + q("RHMX1-LAB|L-" + People.POTASSIUM), CLINICIAN));
        assertThat(potassiumByLocalCode.get("lastResult").get("resultId").asText())
                .as("the GP's result of the test the local code maps to, newer than the one under the local code")
                .isEqualTo("gpk-R2");

        JsonNode haemolysed = json(get("/api/persons/api-haem/recent-tests?code=" + q(HBA1C), CLINICIAN));
        assertThat(haemolysed.get("lastResult").get("resultId").asText())
                .as("a result the laboratory could not obtain is no test done").isEqualTo("haem-R2");
        assertThat(haemolysed.get("withinInterval").asBoolean()).isTrue();
        assertThat(haemolysed.get("laterNotObtained").get("resultId").asText()).as("the failed attempt since, named")
                .isEqualTo("haem-R1");
        assertThat(haemolysed.get("explanation").asText()).contains("not counted as a test done");
        assertThat(hba1c.has("laterNotObtained")).as("none for a person without one").isFalse();
        JsonNode shown = json(get("/api/persons/api-haem", CLINICIAN)).get("results");
        assertThat(shown).hasSize(2);
        assertThat(shown.findValues("notObtained")).as("shown, and marked").singleElement()
                .satisfies(flag -> assertThat(flag.asBoolean()).isTrue());

        JsonNode never = json(get("/api/persons/api-3/recent-tests?code=" + q(HBA1C), CLINICIAN));
        assertThat(never.get("withinInterval").asBoolean()).isFalse();
        assertThat(never.has("lastResult")).isFalse();

        assertProblem(get("/api/persons/api-1/recent-tests", CLINICIAN), 400);
        assertThat(auditRows(CLINICIAN_SUBJECT, "api-1", "GET /api/persons/{personId}/recent-tests", 200))
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void recentTestsChecksAPanelOfTestsAtOnce() throws Exception {
        JsonNode panel = json(get("/api/persons/api-1/recent-tests?code=" + q(HBA1C) + "&code=" + q(POTASSIUM)
                + "&code=" + q(HBA1C) + "&code=" + q("http://loinc.org|2093-3"), CLINICIAN));

        assertThat(panel.get("personId").asText()).isEqualTo("api-1");
        assertThat(panel.get("anyWithinInterval").asBoolean()).as("the HbA1c would be a repeat").isTrue();
        JsonNode tests = panel.get("tests");
        assertThat(tests).as("each code once, in the order asked").hasSize(3);
        assertThat(tests.get(0).get("code").get("code").asText()).isEqualTo(People.HBA1C);
        assertThat(tests.get(0).get("withinInterval").asBoolean()).isTrue();
        assertThat(tests.get(0).get("lastResult").get("resultId").asText()).isEqualTo("api-1-R1");
        assertThat(tests.get(1).get("withinInterval").asBoolean()).isFalse();
        assertThat(tests.get(1).get("lastResult").get("resultId").asText()).isEqualTo("api-1-R4");
        assertThat(tests.get(2).has("lastResult")).as("a test never done").isFalse();
        for (JsonNode test : tests) {
            assertThat(test.get("checkedAt").asText()).as("one instant for the panel")
                    .isEqualTo(panel.get("checkedAt").asText());
        }
        JsonNode single = json(get("/api/persons/api-1/recent-tests?code=" + q(HBA1C), CLINICIAN));
        assertThat(single.has("tests")).as("one code keeps the one-test answer").isFalse();
        assertThat(single.get("withinInterval").asBoolean()).isTrue();

        JsonNode noRepeat = json(get("/api/persons/api-1/recent-tests?code=" + q(POTASSIUM) + "&code="
                + q("http://loinc.org|2093-3"), CLINICIAN));
        assertThat(noRepeat.get("anyWithinInterval").asBoolean()).isFalse();

        StringBuilder tooMany = new StringBuilder("/api/persons/api-1/recent-tests?code=" + q(HBA1C));
        for (int i = 0; i < PersonEndpoints.MAX_RECENT_TEST_CODES; i++) {
            tooMany.append("&code=").append(q("http://loinc.org|9999-" + i));
        }
        assertProblem(get(tooMany.toString(), CLINICIAN), 400);
        assertProblem(get("/api/persons/api-1/recent-tests?code=" + q(HBA1C) + "&code=", CLINICIAN), 400);
    }

    @Test
    void anAdminSeesWhoReadAPersonsRecordIncludingPersonsMergedIntoIt() throws Exception {
        get("/api/persons/api-1", CLINICIAN);
        get("/api/persons/api-2", CLINICIAN);   // merged into api-1: answered 308, audited under api-2

        HttpResponse<String> response = get("/api/persons/api-1/audit", admin);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode report = json(response);
        assertThat(report.get("personIds")).extracting(JsonNode::asText).containsExactlyInAnyOrder("api-1", "api-2");
        JsonNode accesses = report.get("accesses");
        assertThat(accesses.get(0).get("subject").asText()).as("newest first").isEqualTo(CLINICIAN_SUBJECT);
        assertThat(accesses.get(0).get("personId").asText()).isEqualTo("api-2");
        assertThat(accesses.get(0).get("status").asInt()).isEqualTo(308);
        assertThat(accesses.get(1).get("personId").asText()).isEqualTo("api-1");
        assertThat(accesses.get(1).get("endpoint").asText()).isEqualTo("GET /api/persons/{personId}");
        assertThat(accesses.get(1).get("role").asText()).isEqualTo("clinician");
        assertThat(accesses.get(1).get("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*\\+00:00");
        assertThat(response.body()).as("query strings are not shown").doesNotContain("identifier=");
        assertThat(report.get("truncated").asBoolean()).isFalse();

        JsonNode one = json(get("/api/persons/api-1/audit?limit=1", admin));
        assertThat(one.get("accesses")).hasSize(1);
        assertThat(one.get("truncated").asBoolean()).isTrue();
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        assertThat(json(get("/api/persons/api-1/audit?from=" + tomorrow, admin)).get("accesses")).isEmpty();
        assertThat(auditRows(Authenticator.ADMIN_TOKEN_SUBJECT, "api-1", "GET /api/persons/{personId}/audit", 200))
                .as("reading the report is audited too").isGreaterThanOrEqualTo(3);
        assertThat(get("/api/persons/api-2/audit", admin).statusCode()).isEqualTo(308);
        assertProblem(get("/api/persons/api-1/audit", CLINICIAN), 403);
        assertProblem(get("/api/persons/api-1/audit?limit=0", admin), 400);
        assertProblem(get("/api/persons/nobody/audit", admin), 404);
    }

    @Test
    void theOpenApiDocumentIsServedWithoutATokenAndNamesEveryRoute() throws Exception {
        HttpResponse<String> response = get("/api/openapi.json", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode paths = json(response).get("paths");
        for (String route : Routes.ALL) {
            assertThat(paths.has(route)).as(route).isTrue();
        }
    }

    @Test
    void healthReportsEachComponentAndGoesDownWithAnyOfThem() throws Exception {
        HttpResponse<String> up = get("/health", null);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        JsonNode health = json(up);
        assertThat(health.get("status").asText()).isEqualTo("UP");
        for (String component : List.of("database", "kafka", "schema-registry", "sink", "processors")) {
            assertThat(health.get("components").get(component).get("status").asText()).as(component).isEqualTo("UP");
        }
        assertThat(health.get("components").get("sink").get("detail").asText()).startsWith("lag");

        processorsUp.set(false);
        try {
            HttpResponse<String> down = get("/health", null);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(json(down).get("status").asText()).isEqualTo("DOWN");
            assertThat(json(down).get("components").get("processors").get("status").asText()).isEqualTo("DOWN");
        } finally {
            processorsUp.set(true);
        }
    }

    @Test
    void metricsAreForAdminsInPrometheusText() throws Exception {
        get("/api/persons/api-1", CLINICIAN);
        assertProblem(get("/metrics", null), 401);
        assertProblem(get("/metrics", CLINICIAN), 403);

        HttpResponse<String> metrics = get("/metrics", admin);

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(metrics.body()).contains("careweave_sink_records_total").contains("careweave_sink_lag")
                .contains("careweave_api_requests_seconds_count");
        assertThat(metrics.body()).doesNotContain("9990000018").doesNotContain("Example");
    }

    @Test
    void unknownRoutesAndMethodsAreProblemsToo() throws Exception {
        assertProblem(get("/api/nothing-here", CLINICIAN), 404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(api.baseUri().resolve("/api/persons"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isIn(404, 405);
        assertThat(post.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void theApiListensOnLoopback() {
        assertThat(api.baseUri()).isEqualTo(URI.create("http://127.0.0.1:" + api.port()));
    }
}
