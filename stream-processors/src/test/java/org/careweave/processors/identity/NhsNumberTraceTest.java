package org.careweave.processors.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.careweave.events.IdentityReview;
import org.careweave.processors.identity.matching.MatchModel;
import org.careweave.processors.identity.matching.Matcher;
import org.junit.jupiter.api.Test;

/**
 * A record that joins a person by an NHS number its own sender could not confirm (PID-32 04 or 05) is flagged for the
 * records team, and the flag is answered when the sender later states the number verified (01). Pure; invented
 * people only.
 */
class NhsNumberTraceTest {

    private final MasterPatientIndex index = new MasterPatientIndex(new Matcher(MatchModel.defaults()));
    private final InMemoryMpiState state = new InMemoryMpiState();

    @Test
    void aNumberWhoseTraceIsInConflictStillLinksButIsFlagged() {
        index.apply(Patients.at("B86001").mrn("GT1").nhs("9990000492").nhsStatus("01").name("Tess", "Testtrace")
                .born("1955-05-05").sex("F").event(), state);
        String persons = state.personOfIdentifier("B86001|GT1");

        IdentityDecisions joined = index.apply(Patients.at("RHMX1").mrn("HT1").nhs("9990000492").nhsStatus("05")
                .name("Tess", "Testtrace").born("1955-05-05").sex("F").event(), state);

        assertThat(state.personOfIdentifier("RHMX1|HT1")).as("a valid NHS number links (rule 2)").isEqualTo(persons);
        assertThat(joined.reviews()).singleElement().satisfies(r -> {
            assertThat(r.getReason()).isEqualTo("NHS_NUMBER_TRACE_UNRESOLVED");
            assertThat(r.getLeftIdentifier()).isEqualTo("RHMX1|HT1");
            assertThat(r.getRightIdentifier()).isEqualTo("RHMX1|HT1");
            assertThat(r.getLeftPersonId()).isEqualTo(persons);
            assertThat(r.getEvidence()).singleElement().satisfies(e -> assertThat(e.getLevel()).isEqualTo("05"));
        });

        IdentityDecisions again = index.apply(Patients.at("RHMX1").mrn("HT1").nhs("9990000492").nhsStatus("05")
                .name("Tess", "Testtrace").born("1955-05-05").sex("F").event(), state);
        assertThat(again.reviews()).as("raised when the number joins the record, not at every update").isEmpty();
        assertThat(again.answered()).isEmpty();

        IdentityDecisions traced = index.apply(Patients.at("RHMX1").mrn("HT1").nhs("9990000492").nhsStatus("01")
                .name("Tess", "Testtrace").born("1955-05-05").sex("F").event(), state);
        assertThat(traced.answered()).extracting(IdentityDecisions.Answered::pairId)
                .as("this review, and one raised under the id reviews had before the twenty-ninth session")
                .containsExactly(joined.reviews().get(0).getPairId(),
                        MasterPatientIndex.pairId("RHMX1|HT1", "RHMX1|HT1", "NHS_NUMBER_TRACE_UNRESOLVED"));
        assertThat(traced.answered()).allSatisfy(a -> {
            assertThat(a.left()).isEqualTo("RHMX1|HT1");
            assertThat(a.by()).isEqualTo("NHS number status 01");
        });
    }

    @Test
    void anUnresolvedTraceOfAnotherNumberIsAnotherQuestion() {
        index.apply(Patients.at("B86001").mrn("GT3").nhs("9990000573").nhsStatus("01").name("Vera", "Testtrace")
                .born("1957-07-07").sex("F").event(), state);
        IdentityDecisions first = index.apply(Patients.at("RHMX1").mrn("HT3").nhs("9990000573").nhsStatus("05")
                .name("Vera", "Testtrace").born("1957-07-07").sex("F").event(), state);
        index.apply(Patients.at("RAE01").mrn("AT3").nhs("9990000581").nhsStatus("01").name("Vera", "Testtrace")
                .born("1957-07-07").sex("F").event(), state);

        // The hospital's next trace puts another number on its record, and that one fails too.
        IdentityDecisions second = index.apply(Patients.at("RHMX1").mrn("HT3").nhs("9990000581").nhsStatus("04")
                .name("Vera", "Testtrace").born("1957-07-07").sex("F").event(), state);

        String firstPair = first.reviews().get(0).getPairId();
        assertThat(second.reviews()).filteredOn(r -> r.getReason().equals("NHS_NUMBER_TRACE_UNRESOLVED"))
                .singleElement().satisfies(r -> assertThat(r.getPairId()).as("a pair closed for the first number "
                        + "would hide it").isNotEqualTo(firstPair));
    }

    @Test
    void aFailedTraceIsFlaggedOnlyWhereTheNumberJoinsAnotherRecord() {
        IdentityDecisions alone = index.apply(Patients.at("RHMX1").mrn("HT2").nhs("9990000506").nhsStatus("4")
                .name("Ulla", "Testalone").born("1956-06-06").sex("F").event(), state);
        assertThat(alone.reviews()).as("nobody else's record: nothing shown in the wrong place").isEmpty();

        IdentityDecisions joining = index.apply(Patients.at("B86001").mrn("GT2").nhs("9990000506").nhsStatus("01")
                .name("Ulla", "Testalone").born("1956-06-06").sex("F").event(), state);
        assertThat(joining.reviews()).as("the practice's trace is fine; the hospital's, now joined, is not")
                .singleElement().satisfies(r -> {
                    assertThat(r.getReason()).isEqualTo("NHS_NUMBER_TRACE_UNRESOLVED");
                    assertThat(r.getLeftIdentifier()).isEqualTo("RHMX1|HT2");
                });

        IdentityDecisions other = index.apply(Patients.at("RAE01").mrn("AT2").nhs("9990000506").nhsStatus(" 4 ")
                .name("Ulla", "Testalone").born("1956-06-06").sex("F").event(), state);
        assertThat(other.reviews()).extracting(IdentityReview::getLeftIdentifier)
                .contains("RAE01|AT2");
    }

    @Test
    void pid32IsReadAsTheDataDictionaryCodesIt() {
        assertThat(MasterPatientIndex.traceStatus("5")).isEqualTo("05");
        assertThat(MasterPatientIndex.traceStatus(" 05 ")).isEqualTo("05");
        assertThat(MasterPatientIndex.traceStatus("01")).isEqualTo("01");
        assertThat(MasterPatientIndex.traceStatus("")).isNull();
        assertThat(MasterPatientIndex.traceStatus(null)).isNull();
    }
}
