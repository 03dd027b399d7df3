package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class TokenParameterTest {

    @Test
    void systemAndValue() {
        assertThat(TokenParameter.parse("identifier", "https://fhir.nhs.uk/Id/nhs-number|9990000018"))
                .isEqualTo(new TokenParameter(Optional.of("https://fhir.nhs.uk/Id/nhs-number"), "9990000018"));
        assertThat(TokenParameter.parse("identifier", "RHMX1|A123")).isEqualTo(
                new TokenParameter(Optional.of("RHMX1"), "A123"));
    }

    @Test
    void aLeadingBarMeansNoSystemAndNoBarMeansAnySystem() {
        assertThat(TokenParameter.parse("code", "|4548-4")).isEqualTo(new TokenParameter(Optional.of(""), "4548-4"));
        assertThat(TokenParameter.parse("code", "4548-4")).isEqualTo(new TokenParameter(Optional.empty(), "4548-4"));
        assertThat(TokenParameter.parse("code", "|4548-4").systemOrNull()).isNull();
    }

    @Test
    void identifiersNeedASystem() {
        assertThatThrownBy(() -> TokenParameter.parseWithSystem("identifier", "9990000018"))
                .isInstanceOf(ApiProblem.class)
                .satisfies(e -> assertThat(((ApiProblem) e).problem().status()).isEqualTo(400));
        assertThatThrownBy(() -> TokenParameter.parseWithSystem("identifier", "|9990000018"))
                .isInstanceOf(ApiProblem.class);
    }

    @Test
    void malformedTokensAreBadRequests() {
        for (String bad : new String[] {null, "", "  ", "a|", "a|b|c"}) {
            assertThatThrownBy(() -> TokenParameter.parse("code", bad)).as(String.valueOf(bad))
                    .isInstanceOf(ApiProblem.class)
                    .satisfies(e -> assertThat(((ApiProblem) e).problem().status()).isEqualTo(400));
        }
    }
}
