package org.careweave.processors.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which open review pairs the persons' own links answer ({@link IdentityProcessor#settlement}); pure. */
class ReviewSettlementTest {

    private static final Optional<String> ANN = Optional.of("cwp-ann");
    private static final Optional<String> BOB = Optional.of("cwp-bob");

    @Test
    void anUncertainPairIsAnsweredWhenItsRecordsComeOntoOnePerson() {
        assertThat(IdentityProcessor.settlement("PROBABILISTIC_UNCERTAIN", ANN, ANN))
                .contains("SETTLED_SAME_PERSON");
        assertThat(IdentityProcessor.settlement("PROBABILISTIC_UNCERTAIN", ANN, BOB)).isEmpty();
    }

    @Test
    void aQuestionedNhsNumberIsAnsweredWhenItsRecordsPart() {
        assertThat(IdentityProcessor.settlement("NHS_NUMBER_DEMOGRAPHICS_DISAGREE", ANN, BOB))
                .contains("SETTLED_DIFFERENT_PERSONS");
        assertThat(IdentityProcessor.settlement("NHS_NUMBER_DEMOGRAPHICS_DISAGREE", ANN, ANN))
                .as("still joined: still a question").isEmpty();
    }

    @Test
    void aRecordWhoseChangedDetailsDisagreeIsAnsweredWhenItsRecordsPart() {
        assertThat(IdentityProcessor.settlement("DEMOGRAPHICS_CHANGED_DISAGREE", ANN, BOB))
                .contains("SETTLED_DIFFERENT_PERSONS");
        assertThat(IdentityProcessor.settlement("DEMOGRAPHICS_CHANGED_DISAGREE", ANN, ANN)).isEmpty();
    }

    @Test
    void conflictsAndRecordsNotPlacedStayForAPerson() {
        for (String conflict : new String[] {"CONFLICTING_NHS_NUMBER", "MERGE_WITH_CONFLICTING_NHS_NUMBERS",
                "NHS_NUMBER_CHANGED", "UNLINK_REFUSED"}) {
            assertThat(IdentityProcessor.settlement(conflict, ANN, ANN)).as(conflict).isEmpty();
            assertThat(IdentityProcessor.settlement(conflict, ANN, BOB)).as(conflict).isEmpty();
        }
        assertThat(IdentityProcessor.settlement("NHS_NUMBER_DEMOGRAPHICS_DISAGREE", ANN, Optional.empty()))
                .isEmpty();
        assertThat(IdentityProcessor.settlement("PROBABILISTIC_UNCERTAIN", Optional.empty(), Optional.empty()))
                .isEmpty();
    }
}
