package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Locale;

import org.careweave.store.Json;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class OpenApiDocumentTest {

    private static JsonNode document() throws Exception {
        try (InputStream in = ApiServer.class.getResourceAsStream("/org/careweave/store/api/openapi.json")) {
            assertThat(in).as("openapi.json on the classpath").isNotNull();
            return Json.mapper().readTree(in);
        }
    }

    @Test
    void everyRouteIsDescribedAndNothingElse() throws Exception {
        JsonNode doc = document();

        assertThat(doc.get("openapi").asText()).startsWith("3.");
        for (String route : Routes.ALL) {
            assertThat(doc.get("paths").has(route)).as(route).isTrue();
            String method = Routes.method(route).toLowerCase(Locale.ROOT);
            assertThat(doc.get("paths").get(route).has(method)).as(Routes.endpoint(route)).isTrue();
            assertThat(doc.get("paths").get(route).size()).as(route + ": one method each").isEqualTo(1);
        }
        assertThat(doc.get("paths").size()).isEqualTo(Routes.ALL.size());
    }

    @Test
    void everyReferenceResolves() throws Exception {
        JsonNode doc = document();
        assertReferencesResolve(doc, doc);
    }

    @Test
    void personEndpointsDescribeTheirErrors() throws Exception {
        JsonNode paths = document().get("paths");
        for (String route : new String[] {Routes.PERSON, Routes.RESULTS, Routes.RECENT_TESTS}) {
            JsonNode responses = paths.get(route).get("get").get("responses");
            assertThat(responses.has("401") && responses.has("403") && responses.has("404") && responses.has("308"))
                    .as(route).isTrue();
        }
    }

    @Test
    void theReviewQueueDescribesItsErrors() throws Exception {
        JsonNode paths = document().get("paths");
        JsonNode list = paths.get(Routes.REVIEWS).get("get").get("responses");
        assertThat(list.has("400") && list.has("401") && list.has("403")).isTrue();
        JsonNode decide = paths.get(Routes.REVIEW_DECISION).get("post").get("responses");
        for (String status : new String[] {"202", "400", "401", "403", "404", "409", "503"}) {
            assertThat(decide.has(status)).as(status).isTrue();
        }
        for (String route : new String[] {Routes.SEPARATIONS, Routes.LINKS}) {
            JsonNode responses = paths.get(route).get("post").get("responses");
            for (String status : new String[] {"202", "308", "400", "401", "403", "404", "409", "503"}) {
                assertThat(responses.has(status)).as(route + " " + status).isTrue();
            }
        }
        assertThat(document().at("/components/schemas/Person/properties/possibleDuplicates").isMissingNode())
                .isFalse();
    }

    private static void assertReferencesResolve(JsonNode root, JsonNode node) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null) {
                assertThat(ref.asText()).startsWith("#/");
                assertThat(root.at(ref.asText().substring(1)).isMissingNode()).as(ref.asText()).isFalse();
            }
            node.elements().forEachRemaining(child -> assertReferencesResolve(root, child));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> assertReferencesResolve(root, child));
        }
    }
}
