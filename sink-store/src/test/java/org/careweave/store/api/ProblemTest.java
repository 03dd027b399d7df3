package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.careweave.store.Json;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ProblemTest {

    @Test
    void standardMembersInRfc9457Form() throws Exception {
        JsonNode json = Json.mapper().readTree(Problem.notFound("No person P1 is on record.").toJson());

        assertThat(json.get("type").asText()).isEqualTo("urn:careweave:problem:not-found");
        assertThat(json.get("title").asText()).isEqualTo("Not found");
        assertThat(json.get("status").asInt()).isEqualTo(404);
        assertThat(json.get("detail").asText()).isEqualTo("No person P1 is on record.");
        assertThat(Problem.CONTENT_TYPE).isEqualTo("application/problem+json");
    }

    @Test
    void eachErrorHasItsStatus() {
        assertThat(Problem.badRequest("x").status()).isEqualTo(400);
        assertThat(Problem.unauthorized("x").status()).isEqualTo(401);
        assertThat(Problem.forbidden("x").status()).isEqualTo(403);
        assertThat(Problem.notFound("x").status()).isEqualTo(404);
        assertThat(Problem.internal().status()).isEqualTo(500);
    }

    @Test
    void aMergeNamesTheSurvivorAndWhereItIs() throws Exception {
        JsonNode json = Json.mapper().readTree(Problem.merged("P2", "P1", "/api/persons/P1", 308).toJson());

        assertThat(json.get("type").asText()).isEqualTo("urn:careweave:problem:person-merged");
        assertThat(json.get("status").asInt()).isEqualTo(308);
        assertThat(json.get("survivorPersonId").asText()).isEqualTo("P1");
        assertThat(json.get("location").asText()).isEqualTo("/api/persons/P1");
        assertThat(json.get("detail").asText()).contains("P2").contains("P1");
    }

    @Test
    void pathSegmentsAreEncoded() {
        assertThat(PersonEndpoints.pathSegment("P-1_a.b~")).isEqualTo("P-1_a.b~");
        assertThat(PersonEndpoints.pathSegment("a/b c")).isEqualTo("a%2Fb%20c");
    }
}
