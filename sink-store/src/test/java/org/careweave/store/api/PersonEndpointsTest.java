package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.careweave.store.Json;
import org.junit.jupiter.api.Test;

class PersonEndpointsTest {

    @Test
    void membersAreAddedToAStoredDocumentWithoutRewritingIt() throws Exception {
        String document = "{\"personId\": \"p-1\", \"results\": [{\"value\": \"}\"}]}";

        String shown = PersonEndpoints.withMembers(document, "possibleDuplicates", "[{\"personId\":\"p-2\"}]",
                "identifiersUnderReview", "[]");

        var json = Json.mapper().readTree(shown);
        assertThat(json.get("personId").asText()).isEqualTo("p-1");
        assertThat(json.get("results").get(0).get("value").asText()).isEqualTo("}");
        assertThat(json.get("possibleDuplicates").get(0).get("personId").asText()).isEqualTo("p-2");
        assertThat(json.get("identifiersUnderReview").isArray()).isTrue();
        assertThat(shown).startsWith(document.substring(0, document.length() - 1));
    }

    @Test
    void anEmptyObjectGetsItsOnlyMember() throws Exception {
        var json = Json.mapper().readTree(PersonEndpoints.withMembers("{ }", "a", "[]", "b", "1"));
        assertThat(json.get("a").isArray()).isTrue();
        assertThat(json.get("b").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> PersonEndpoints.withMembers("[]", "a", "[]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PersonEndpoints.withMembers("{}", "a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ifNoneMatchTakesTheTagAListOfTagsAWeakFormOrAnyTag() {
        String etag = "\"7.1.42-0123456789abcdef\"";
        assertThat(PersonEndpoints.matches(etag, etag)).isTrue();
        assertThat(PersonEndpoints.matches("\"other\", " + etag, etag)).isTrue();
        assertThat(PersonEndpoints.matches("W/" + etag, etag)).isTrue();
        assertThat(PersonEndpoints.matches("*", etag)).isTrue();
        assertThat(PersonEndpoints.matches("\"7.1.41-0123456789abcdef\"", etag)).isFalse();
        assertThat(PersonEndpoints.matches(null, etag)).isFalse();
        assertThat(PersonEndpoints.matches(" ", etag)).isFalse();
    }
}
