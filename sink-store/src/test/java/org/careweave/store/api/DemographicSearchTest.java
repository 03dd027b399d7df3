package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class DemographicSearchTest {

    @Test
    void aCompoundFamilyNameIsSearchedWholeAndByEachPart() {
        DemographicSearch search = DemographicSearch.parse("Ruiz de la Torre-Garcia", "1980-01-01", null, null);
        assertThat(search.families()).containsExactly("RuizdelaTorreGarcia", "Ruiz", "de", "la", "Torre", "Garcia");
    }

    @Test
    void aFamilyOfMorePartsThanANameHasIsRefusedRatherThanListingEveryoneBornThatDay() {
        String surnames = IntStream.range(0, DemographicSearch.MAX_FAMILY_PARTS + 1)
                .mapToObj(i -> "Testname" + (char) ('a' + i)).collect(Collectors.joining(" "));
        assertThatThrownBy(() -> DemographicSearch.parse(surnames, "1980-01-01", null, null))
                .isInstanceOfSatisfying(ApiProblem.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(400);
                    assertThat(e.problem().detail()).contains("family").contains(
                            String.valueOf(DemographicSearch.MAX_FAMILY_PARTS));
                });
    }

    @Test
    void initialsAreNoPartsSoTheyCountNotAgainstTheLimit() {
        DemographicSearch search = DemographicSearch.parse("a b c d e f g Testname", "1980-01-01", null, null);
        assertThat(search.families()).containsExactly("abcdefgTestname");
    }
}
