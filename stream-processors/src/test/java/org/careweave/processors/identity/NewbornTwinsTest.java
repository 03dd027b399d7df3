package org.careweave.processors.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.careweave.events.IdentityReview;
import org.careweave.processors.identity.matching.MatchModel;
import org.careweave.processors.identity.matching.Matcher;
import org.junit.jupiter.api.Test;

/**
 * Twins registered before they have names ("Baby", "Twin 1"): same family name, birth date, address and often sex,
 * so demographics score them as one child. Invented babies only; the events are received on 2026-01-05.
 */
class NewbornTwinsTest {

    private static final String BORN = "2025-12-20";

    private final MasterPatientIndex index = new MasterPatientIndex(new Matcher(MatchModel.defaults()));
    private final InMemoryMpiState state = new InMemoryMpiState();

    private IdentityDecisions register(String mrn, String given, String sex, String born) {
        return index.apply(Patients.at("RHMX1").mrn(mrn).name(given, "Testcot").born(born).sex(sex)
                .lives("5 Cot Lane", "LS2 3CD").event(), state);
    }

    @Test
    void twinsRegisteredWithPlaceholderNamesAreRaisedForReviewNotLinked() {
        for (List<String> names : List.of(List.of("Baby", "Baby"), List.of("Twin 1", "Twin 2"),
                List.of("BABY BOY", "Baby Boy"), List.of("Baby of Jane", "Baby of Jane"))) {
            InMemoryMpiState fresh = new InMemoryMpiState();
            index.apply(Patients.at("RHMX1").mrn("NB1").name(names.get(0), "Testcot").born(BORN).sex("M")
                    .lives("5 Cot Lane", "LS2 3CD").event(), fresh);
            IdentityDecisions second = index.apply(Patients.at("RHMX1").mrn("NB2").name(names.get(1), "Testcot")
                    .born(BORN).sex("M").lives("5 Cot Lane", "LS2 3CD").event(), fresh);

            assertThat(fresh.personOfIdentifier("RHMX1|NB1")).as(names.toString())
                    .isNotEqualTo(fresh.personOfIdentifier("RHMX1|NB2"));
            assertThat(second.reviews()).as(names.toString()).singleElement().satisfies(r -> {
                assertThat(r.getReason()).isEqualTo("PROBABILISTIC_UNCERTAIN");
                assertThat(r.getEvidence()).anySatisfy(e -> {
                    assertThat(e.getComparison()).isEqualTo("guard");
                    assertThat(e.getLevel()).isEqualTo(Matcher.NEWBORN_GUARD);
                });
            });
        }
    }

    @Test
    void aNamedNewbornAndAnUnnamedOneBornTheSameDayAreRaisedForReview() {
        register("NB3", "Oliver", "M", BORN);
        IdentityDecisions unnamed = register("NB4", null, "M", BORN);
        assertThat(state.personOfIdentifier("RHMX1|NB3")).isNotEqualTo(state.personOfIdentifier("RHMX1|NB4"));
        assertThat(unnamed.reviews()).extracting(IdentityReview::getReason).containsExactly("PROBABILISTIC_UNCERTAIN");
    }

    @Test
    void twinsOfDifferentSexWithoutNamesAreNeverLinkedNorReviewed() {
        register("NB5", "Baby Boy", "M", BORN);
        IdentityDecisions girl = register("NB6", "Baby Girl", "F", BORN);
        assertThat(state.personOfIdentifier("RHMX1|NB5")).isNotEqualTo(state.personOfIdentifier("RHMX1|NB6"));
        assertThat(girl.reviews()).isEmpty();
    }

    @Test
    void twinsOfDifferentSexNamedWithFormsOfOneNameAreRaisedForReviewNotLinked() {
        register("NB8", "Harry", "M", BORN);
        IdentityDecisions girl = register("NB9", "Harriet", "F", BORN);
        assertThat(state.personOfIdentifier("RHMX1|NB8")).isNotEqualTo(state.personOfIdentifier("RHMX1|NB9"));
        assertThat(girl.reviews()).singleElement().satisfies(r -> assertThat(r.getEvidence()).anySatisfy(e ->
                assertThat(e.getLevel()).isEqualTo("possible twins (different sex, forms of one name)")));
    }

    @Test
    void anOlderChildsRecordWithoutAGivenNameStillLinksByDemographics() {
        register("C1", "Oliver", "M", "2018-05-05");
        register("C2", null, "M", "2018-05-05");
        assertThat(state.personOfIdentifier("RHMX1|C1")).as("the guard is for newborns: a data gap in an older"
                + " child's record is not a twin").isEqualTo(state.personOfIdentifier("RHMX1|C2"));
    }

    @Test
    void twinsTheSenderNumberedAreNeverLinkedByDemographicsWhateverTheirNames() {
        index.apply(Patients.at("RHMX1").mrn("T1").name("Jayden", "Testtwin").born("2019-03-03").sex("M")
                .lives("5 Cot Lane", "LS2 3CD").ofAMultipleBirth(1).event(), state);
        IdentityDecisions second = index.apply(Patients.at("RHMX1").mrn("T2").name("Jaden", "Testtwin")
                .born("2019-03-03").sex("M").lives("5 Cot Lane", "LS2 3CD").ofAMultipleBirth(2).event(), state);

        assertThat(state.personOfIdentifier("RHMX1|T1")).isNotEqualTo(state.personOfIdentifier("RHMX1|T2"));
        assertThat(second.reviews()).as("the sender has said who is who").isEmpty();
    }

    @Test
    void aTwinsOtherRecordWithoutTheBirthOrderIsRaisedForReviewAndTheSameBirthOrderLinks() {
        index.apply(Patients.at("RHMX1").mrn("T3").name("Jayden", "Testother").born("2019-03-03").sex("M")
                .lives("5 Cot Lane", "LS2 3CD").ofAMultipleBirth(1).event(), state);
        IdentityDecisions gp = index.apply(Patients.at("B86001").mrn("GPT3").name("Jayden", "Testother")
                .born("2019-03-03").sex("M").lives("5 Cot Lane", "LS2 3CD").event(), state);
        assertThat(state.personOfIdentifier("B86001|GPT3")).isNotEqualTo(state.personOfIdentifier("RHMX1|T3"));
        assertThat(gp.reviews()).singleElement().satisfies(r -> assertThat(r.getEvidence()).anySatisfy(e ->
                assertThat(e.getLevel()).isEqualTo(MultipleBirths.ONE_OF_A_MULTIPLE_BIRTH)));

        index.apply(Patients.at("RAE01").mrn("H3").name("Jayden", "Testother").born("2019-03-03").sex("M")
                .lives("5 Cot Lane", "LS2 3CD").ofAMultipleBirth(1).event(), state);
        assertThat(state.personOfIdentifier("RAE01|H3")).as("the same child of the birth")
                .isEqualTo(state.personOfIdentifier("RHMX1|T3"));
    }

    @Test
    void childTwinsWhoseNamesAreALetterApartAreRaisedForReviewWithoutABirthOrder() {
        index.apply(Patients.at("RHMX1").mrn("CT1").name("Jayden", "Testkid").born("2019-03-03").sex("M")
                .lives("5 Cot Lane", "LS2 3CD").event(), state);
        IdentityDecisions second = index.apply(Patients.at("RHMX1").mrn("CT2").name("Jaden", "Testkid")
                .born("2019-03-03").sex("M").lives("5 Cot Lane", "LS2 3CD").event(), state);

        assertThat(state.personOfIdentifier("RHMX1|CT1")).isNotEqualTo(state.personOfIdentifier("RHMX1|CT2"));
        assertThat(second.reviews()).singleElement().satisfies(r -> assertThat(r.getEvidence()).anySatisfy(e ->
                assertThat(e.getLevel()).isEqualTo(Matcher.CHILD_TWINS_GUARD)));

        // A child's two records under one name, or a nickname of it, still link.
        index.apply(Patients.at("B86001").mrn("GPCT1").name("Jayden", "Testkid").born("2019-03-03").sex("M")
                .lives("5 Cot Lane", "LS2 3CD").event(), state);
        assertThat(state.personOfIdentifier("B86001|GPCT1")).isEqualTo(state.personOfIdentifier("RHMX1|CT1"));
        // An adult's typo is a typo: the same letter apart links.
        index.apply(Patients.at("RHMX1").mrn("AD1").name("Jayden", "Testgrown").born("1990-03-03").sex("M")
                .lives("5 Cot Lane", "LS2 3CD").event(), state);
        index.apply(Patients.at("B86001").mrn("GPAD1").name("Jaden", "Testgrown").born("1990-03-03").sex("M")
                .lives("5 Cot Lane", "LS2 3CD").event(), state);
        assertThat(state.personOfIdentifier("B86001|GPAD1")).isEqualTo(state.personOfIdentifier("RHMX1|AD1"));
    }

    @Test
    void aNewbornsTwoRecordsWithTheSameNameLink() {
        register("NB7", "Isla", "F", BORN);
        index.apply(Patients.at("B86001").mrn("GPNB7").name("Isla", "Testcot").born(BORN).sex("F")
                .lives("5 Cot Lane", "LS2 3CD").event(), state);
        assertThat(state.personOfIdentifier("B86001|GPNB7")).isEqualTo(state.personOfIdentifier("RHMX1|NB7"));
    }
}
