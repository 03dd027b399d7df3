package org.careweave.store.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import org.careweave.events.DeduplicatedResult;
import org.careweave.events.PersonView;
import org.careweave.store.Json;
import org.careweave.store.testing.People;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class PersonDocumentsTest {

    private final PersonDocuments documents = new PersonDocuments(ZoneId.of("Europe/London"));

    private static final OffsetDateTime SUMMER_MORNING = OffsetDateTime.parse("2024-06-01T09:30:00+01:00");
    private static final OffsetDateTime WINTER_MORNING = OffsetDateTime.parse("2024-01-10T08:15:00Z");

    @Test
    void personFieldsAreNamedAsTheApiDocumentsThem() throws Exception {
        PersonView view = People.person("P1", 3, "9990000018", "Example", "Alice")
                .setPhone("07700 900000")
                .setMergedPersonIds(List.of("P9"))
                .build();

        JsonNode json = Json.mapper().readTree(Json.write(documents.of(view)));

        assertThat(json.get("personId").asText()).isEqualTo("P1");
        assertThat(json.get("version").asLong()).isEqualTo(3);
        assertThat(json.get("identifiers").get(0).get("system").asText()).isEqualTo(People.NHS);
        assertThat(json.get("identifiers").get(0).get("value").asText()).isEqualTo("9990000018");
        assertThat(json.get("identifiers").get(1).get("system").asText()).isEqualTo("RHMX1");
        assertThat(json.get("name").get("family").asText()).isEqualTo("Example");
        assertThat(json.get("name").get("given").get(0).asText()).isEqualTo("Alice");
        assertThat(json.get("birthDate").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(json.get("sex").asText()).isEqualTo("F");
        assertThat(json.get("address").get("postcode").asText()).isEqualTo("LS1 1AA");
        assertThat(json.get("mergedPersonIds").get(0).asText()).isEqualTo("P9");
        assertThat(json.get("encounters").isArray()).isTrue();
        assertThat(json.get("results").isArray()).isTrue();
        assertThat(json.get("alerts").isArray()).isTrue();
    }

    @Test
    void aDeathIsShownInTheZoneOfTheApiWithItsOffset() throws Exception {
        PersonView view = People.person("P1", 3, "9990000018", "Example", "Alice")
                .setDeceasedAt(Instant.parse("2026-07-01T11:30:00Z")).build();

        JsonNode json = Json.mapper().readTree(Json.write(documents.of(view)));

        assertThat(json.get("deceased").asText()).isEqualTo("2026-07-01T12:30:00+01:00");
        assertThat(Json.mapper().readTree(Json.write(documents.of(People.person("P2", 1, "9990000026", "Example",
                "Bea").build()))).has("deceased")).as("alive: left out").isFalse();
    }

    @Test
    void aDeathWithoutItsDateIsFlaggedAndAnAlivePersonIsNot() throws Exception {
        JsonNode dateUnknown = Json.mapper().readTree(Json.write(documents.of(
                People.person("P1", 3, "9990000018", "Example", "Alice").setDeceased(true).build())));
        JsonNode withADate = Json.mapper().readTree(Json.write(documents.of(
                People.person("P2", 3, "9990000026", "Example", "Bea").setDeceased(true)
                        .setDeceasedAt(Instant.parse("2026-07-01T11:30:00Z")).build())));
        JsonNode alive = Json.mapper().readTree(Json.write(documents.of(
                People.person("P3", 1, "9990000034", "Example", "Cara").build())));

        assertThat(dateUnknown.get("deceasedIndicator").asBoolean()).isTrue();
        assertThat(dateUnknown.has("deceased")).as("no date to show").isFalse();
        assertThat(withADate.get("deceasedIndicator").asBoolean()).isTrue();
        assertThat(withADate.get("deceased").asText()).isEqualTo("2026-07-01T12:30:00+01:00");
        assertThat(alive.has("deceasedIndicator")).as("alive: left out").isFalse();
    }

    @Test
    void absentValuesAreLeftOutRatherThanNull() throws Exception {
        PersonView view = PersonView.newBuilder().setPersonId("P2").setVersion(1)
                .setUpdatedAt(Instant.parse("2024-01-01T00:00:00Z")).build();

        JsonNode json = Json.mapper().readTree(Json.write(documents.of(view)));

        assertThat(json.has("name")).isFalse();
        assertThat(json.has("birthDate")).isFalse();
        assertThat(json.has("nhsNumber")).isFalse();
        assertThat(json.get("identifiers").size()).isZero();
    }

    @Test
    void resultTimesKeepTheOffsetTheSourceStated() throws Exception {
        DeduplicatedResult result = People.result("R1", "P1", People.HBA1C, "HbA1c", "48", "mmol/mol",
                SUMMER_MORNING).build();
        PersonView view = People.person("P1", 1, "9990000018", "Example", "Alice").setResults(List.of(result))
                .build();

        JsonNode r = Json.mapper().readTree(Json.write(documents.of(view))).get("results").get(0);

        assertThat(r.get("collected").asText()).isEqualTo("2024-06-01T09:30:00+01:00");
        assertThat(r.get("code").get("system").asText()).isEqualTo(People.LOINC);
        assertThat(r.get("code").get("code").asText()).isEqualTo(People.HBA1C);
        assertThat(r.get("code").get("display").asText()).isEqualTo("HbA1c");
        assertThat(r.get("value").asText()).isEqualTo("48");
        assertThat(r.get("numericValue").asDouble()).isEqualTo(48.0);
        assertThat(r.get("unit").asText()).isEqualTo("mmol/mol");
        assertThat(r.get("status").asText()).isEqualTo("F");
        assertThat(r.get("retracted").asBoolean()).isFalse();
        assertThat(r.has("collectedOffsetAssumed")).isFalse();
        assertThat(r.get("sources")).hasSize(2);
        assertThat(r.get("sources").get(0).get("facility").asText()).isEqualTo("RHMX1");
        assertThat(r.get("sources").get(0).get("messageControlId").asText()).isEqualTo("CTRL-R1");
        assertThat(r.get("sources").get(1).get("facility").asText()).isEqualTo("RR801");
    }

    @Test
    void utcIsWrittenAsANumericOffsetAndAnAssumedOffsetIsFlagged() throws Exception {
        DeduplicatedResult result = People.result("R2", "P1", People.HBA1C, "HbA1c", "50", "mmol/mol",
                WINTER_MORNING).build();
        result.getCollectedAt().setOffsetAssumed(true);

        JsonNode r = Json.mapper().readTree(Json.write(documents.result(result)));

        assertThat(r.get("collected").asText()).isEqualTo("2024-01-10T08:15:00+00:00");
        assertThat(r.get("collectedOffsetAssumed").asBoolean()).isTrue();
    }

    @Test
    void instantsWithoutAStatedOffsetAreShownInTheConfiguredZone() throws Exception {
        PersonView view = People.person("P1", 1, "9990000018", "Example", "Alice")
                .setEncounters(List.of(People.encounter("V1", "I", Instant.parse("2024-07-01T22:30:00Z"),
                        Instant.parse("2024-12-01T10:00:00.250Z"))))
                .build();

        JsonNode e = Json.mapper().readTree(Json.write(documents.of(view))).get("encounters").get(0);

        assertThat(e.get("visit").get("system").asText()).isEqualTo("RHMX1");
        assertThat(e.get("visit").get("value").asText()).isEqualTo("V1");
        assertThat(e.get("patientClass").asText()).isEqualTo("I");
        assertThat(e.get("admitted").asText()).isEqualTo("2024-07-01T23:30:00+01:00");
        assertThat(e.get("discharged").asText()).isEqualTo("2024-12-01T10:00:00.250+00:00");
        assertThat(e.get("location").asText()).isEqualTo("Ward 7");
        assertThat(e.get("status").asText()).isEqualTo("finished");
    }

    @Test
    void repeatTestAlertsNameTheirTypeAndBothResults() throws Exception {
        DeduplicatedResult previous = People.result("R1", "P1", People.HBA1C, "HbA1c", "48", "mmol/mol",
                WINTER_MORNING).build();
        DeduplicatedResult current = People.result("R2", "P1", People.HBA1C, "HbA1c", "47", "mmol/mol",
                SUMMER_MORNING.minusMonths(4)).build();
        PersonView view = People.person("P1", 1, "9990000018", "Example", "Alice")
                .setAlerts(List.of(People.alert("P1", previous, current))).build();

        JsonNode a = Json.mapper().readTree(Json.write(documents.of(view))).get("alerts").get(0);

        assertThat(a.get("type").asText()).isEqualTo("repeat-test");
        assertThat(a.get("code").get("code").asText()).isEqualTo(People.HBA1C);
        assertThat(a.get("previous").get("resultId").asText()).isEqualTo("R1");
        assertThat(a.get("previous").get("collected").asText()).isEqualTo("2024-01-10T08:15:00+00:00");
        assertThat(a.get("current").get("resultId").asText()).isEqualTo("R2");
        assertThat(a.get("minimumIntervalDays").asInt()).isEqualTo(90);
    }
}
