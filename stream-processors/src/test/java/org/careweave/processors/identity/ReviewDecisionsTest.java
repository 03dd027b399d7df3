package org.careweave.processors.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.careweave.events.IdentityReview;
import org.careweave.events.ReviewDecision;
import org.careweave.events.ReviewVerdict;
import org.careweave.processors.identity.matching.MatchModel;
import org.careweave.processors.identity.matching.Matcher;
import org.junit.jupiter.api.Test;

/** People's decisions on review pairs, applied by the index as pure functions. Invented people only. */
class ReviewDecisionsTest {

    private final MasterPatientIndex index = new MasterPatientIndex(new Matcher(MatchModel.defaults()));
    private final InMemoryMpiState state = new InMemoryMpiState();

    @Test
    void samePersonMergesThePairAndSaysWhoDecided() {
        IdentityReview review = commonNameReview();

        MasterPatientIndex.Decided decided = index.decide(decision(review, ReviewVerdict.SAME_PERSON), state);

        assertThat(decided.accepted()).isTrue();
        assertThat(state.personOfIdentifier("RHMX1|T1")).isEqualTo(state.personOfIdentifier("RAE01|T2"));
        assertThat(state.personOfIdentifier("RHMX1|T1")).as("the older person survives")
                .isEqualTo(review.getRightPersonId());
        assertThat(decided.decisions().links()).isNotEmpty().allSatisfy(l -> {
            assertThat(l.getRule()).isEqualTo("REVIEW_DECISION");
            assertThat(l.getCause()).isNull();
            assertThat(l.getEvidence()).anySatisfy(e -> assertThat(e.getLevel()).isEqualTo("data steward 7"));
        });
        assertThat(decided.decisions().changedPersons()).contains(review.getLeftPersonId(),
                review.getRightPersonId());
    }

    @Test
    void differentPersonsKeepsThePairApartFromThenOn() {
        IdentityReview review = commonNameReview();

        MasterPatientIndex.Decided decided = index.decide(decision(review, ReviewVerdict.DIFFERENT_PERSONS), state);

        assertThat(decided.accepted()).isTrue();
        assertThat(decided.decisions().links()).isEmpty();
        assertThat(state.decidedDifferent("RHMX1|T1")).containsExactly("RAE01|T2");
        assertThat(state.decidedDifferent("RAE01|T2")).containsExactly("RHMX1|T1");
    }

    @Test
    void recordsDecidedDifferentAreNeverLinkedByDemographics() {
        // The same invented woman at a hospital and a GP practice: linked by demographics...
        index.apply(Patients.at("RHMX1").mrn("L300").nhs("9990000026").name("Harriet", "Testnine")
                .born("1966-06-06").sex("F").lives("3 Example Road", "LS7 3AB").event(), state);
        index.apply(Patients.at("B86001").mrn("GP300").name("Harriet", "Testnine").born("1966-06-06").sex("F")
                .lives("3 Example Rd", "LS7 3AB").event(), state);
        assertThat(state.personOfIdentifier("B86001|GP300")).isEqualTo(state.personOfIdentifier("RHMX1|L300"));

        // ...unless a person has decided that a record like the GP's is someone else.
        InMemoryMpiState decided = new InMemoryMpiState();
        decided.decideDifferent("RHMX1|L301", "B86001|GP301");
        index.apply(Patients.at("RHMX1").mrn("L301").nhs("9990000034").name("Harriet", "Testnine")
                .born("1966-06-06").sex("F").lives("3 Example Road", "LS7 3AB").event(), decided);
        IdentityDecisions gp = index.apply(Patients.at("B86001").mrn("GP301").name("Harriet", "Testnine")
                .born("1966-06-06").sex("F").lives("3 Example Rd", "LS7 3AB").event(), decided);

        assertThat(decided.personOfIdentifier("B86001|GP301")).isNotEqualTo(decided.personOfIdentifier("RHMX1|L301"));
        assertThat(gp.reviews()).as("nor raised for review again").isEmpty();
    }

    @Test
    void aRecordArrivingLaterDoesNotPullInARecordDecidedDifferent() {
        // The GP record arrives first, alone; the hospital record that would absorb it is decided different from it.
        InMemoryMpiState decided = new InMemoryMpiState();
        index.apply(Patients.at("B86001").mrn("GP302").name("Harriet", "Testnine").born("1966-06-06").sex("F")
                .lives("3 Example Rd", "LS7 3AB").event(), decided);
        decided.decideDifferent("RHMX1|L302", "B86001|GP302");
        index.apply(Patients.at("RHMX1").mrn("L302").nhs("9990000042").name("Harriet", "Testnine")
                .born("1966-06-06").sex("F").lives("3 Example Road", "LS7 3AB").event(), decided);

        assertThat(decided.personOfIdentifier("B86001|GP302")).isNotEqualTo(decided.personOfIdentifier("RHMX1|L302"));
    }

    @Test
    void differentNhsNumbersAreNeverMergedWhateverTheDecision() {
        index.apply(Patients.at("RHMX1").mrn("N1").nhs("9990000034").name("John", "Smith").born("1960-01-01")
                .event(), state);
        index.apply(Patients.at("RAE01").mrn("N2").nhs("9990000042").name("John", "Smith").born("1960-01-01")
                .event(), state);

        MasterPatientIndex.Decided decided = index.decide(decision("pair-n", "RHMX1|N1", "RAE01|N2",
                ReviewVerdict.SAME_PERSON), state);

        assertThat(decided.accepted()).isFalse();
        assertThat(decided.refusal()).isEqualTo("DIFFERENT_NHS_NUMBERS");
        assertThat(state.personOfIdentifier("RHMX1|N1")).isNotEqualTo(state.personOfIdentifier("RAE01|N2"));
    }

    @Test
    void differentPersonsUndoesAFalseLinkByMovingTheRecordToAPersonOfItsOwn() {
        index.apply(Patients.at("RHMX1").mrn("L300").nhs("9990000026").name("Harriet", "Testnine")
                .born("1966-06-06").sex("F").lives("3 Example Road", "LS7 3AB").event(), state);
        index.apply(Patients.at("RAE01").mrn("B300").nhs("9990000026").name("Harriet", "Testnine")
                .born("1966-06-06").sex("F").event(), state);
        index.apply(Patients.at("B86001").mrn("GP300").name("Harriet", "Testnine").born("1966-06-06").sex("F")
                .lives("3 Example Rd", "LS7 3AB").event(), state);
        String person = state.personOfIdentifier("RHMX1|L300");
        assertThat(state.personOfIdentifier("B86001|GP300")).as("linked by demographics").isEqualTo(person);

        MasterPatientIndex.Decided decided = index.decide(decision("pair-x", "B86001|GP300", "RHMX1|L300",
                ReviewVerdict.DIFFERENT_PERSONS), state);

        assertThat(decided.accepted()).isTrue();
        String separated = state.personOfIdentifier("B86001|GP300");
        assertThat(separated).isNotEqualTo(person);
        assertThat(state.personOfIdentifier("RAE01|B300")).as("the others stay").isEqualTo(person);
        assertThat(state.persons.get(person).sourceKeys()).containsExactly("RHMX1|L300", "RAE01|B300");
        assertThat(state.persons.get(person).nhsNumbers()).containsExactly("9990000026");
        assertThat(state.persons.get(separated).sourceKeys()).containsExactly("B86001|GP300");
        assertThat(decided.decisions().links()).singleElement().satisfies(l -> {
            assertThat(l.getSourceIdentifier()).isEqualTo("B86001|GP300");
            assertThat(l.getPersonId()).isEqualTo(separated);
            assertThat(l.getRule()).isEqualTo("REVIEW_DECISION");
        });
        assertThat(decided.decisions().changedPersons()).containsExactlyInAnyOrder(person, separated);
        assertThat(state.decidedDifferent("B86001|GP300")).containsExactly("RHMX1|L300");

        // The GP record's next update stays where it was put.
        index.apply(Patients.at("B86001").mrn("GP300").name("Harriet", "Testnine").born("1966-06-06").sex("F")
                .lives("3 Example Rd", "LS7 3AB").event(), state);
        assertThat(state.personOfIdentifier("B86001|GP300")).isEqualTo(separated);
    }

    @Test
    void aRecordJoiningLaterByNhsNumberDoesNotPullBackARecordSeparatedFromItsPerson() {
        // Harriet's hospital record, and a GP record linked to it by demographics that a person then separated.
        index.apply(Patients.at("RHMX1").mrn("L310").nhs("9990000026").name("Harriet", "Testnine")
                .born("1966-06-06").sex("F").lives("3 Example Road", "LS7 3AB").event(), state);
        index.apply(Patients.at("B86001").mrn("GP310").name("Harriet", "Testnine").born("1966-06-06").sex("F")
                .lives("3 Example Rd", "LS7 3AB").event(), state);
        String person = state.personOfIdentifier("RHMX1|L310");
        assertThat(state.personOfIdentifier("B86001|GP310")).isEqualTo(person);
        assertThat(index.decide(decision("pair-y", "B86001|GP310", "RHMX1|L310", ReviewVerdict.DIFFERENT_PERSONS),
                state).accepted()).isTrue();
        String separated = state.personOfIdentifier("B86001|GP310");

        // A third record of Harriet's, from another hospital, joins her person by NHS number; its demographics match
        // the GP record's as well as hers, but the GP record was decided to be someone else's.
        IdentityDecisions third = index.apply(Patients.at("RAE01").mrn("B310").nhs("9990000026")
                .name("Harriet", "Testnine").born("1966-06-06").sex("F").lives("3 Example Road", "LS7 3AB").event(),
                state);

        assertThat(state.personOfIdentifier("RAE01|B310")).isEqualTo(person);
        assertThat(state.personOfIdentifier("B86001|GP310")).as("the separation stands").isEqualTo(separated)
                .isNotEqualTo(person);
        assertThat(third.links()).noneSatisfy(l -> assertThat(l.getSourceIdentifier()).isEqualTo("B86001|GP310"));
    }

    @Test
    void aLinkByASharedNhsNumberIsNotUndone() {
        index.apply(Patients.at("RHMX1").mrn("S1").nhs("9990000018").name("Alice", "Testone").born("1980-01-01")
                .event(), state);
        index.apply(Patients.at("RAE01").mrn("S2").nhs("9990000018").name("Alice", "Testone").born("1980-01-01")
                .event(), state);

        MasterPatientIndex.Decided decided = index.decide(decision("pair-s", "RHMX1|S1", "RAE01|S2",
                ReviewVerdict.DIFFERENT_PERSONS), state);

        assertThat(decided.refusal()).isEqualTo("SHARED_NHS_NUMBER");
        assertThat(state.personOfIdentifier("RHMX1|S1")).isEqualTo(state.personOfIdentifier("RAE01|S2"));
        assertThat(state.decidedDifferent("RHMX1|S1")).isEmpty();
    }

    @Test
    void aDecisionAboutARecordNeverSeenIsRefused() {
        index.apply(Patients.at("RHMX1").mrn("U1").name("Una", "Testten").born("1999-09-09").event(), state);

        MasterPatientIndex.Decided decided = index.decide(decision("pair-u", "RHMX1|U1", "RHMX1|NOSUCH",
                ReviewVerdict.SAME_PERSON), state);

        assertThat(decided.refusal()).isEqualTo("UNKNOWN_RECORD");
    }

    /**
     * Same invented name and birth date, nothing else in common: the guard for common names sends the pair to review,
     * for a person to decide.
     */
    private IdentityReview commonNameReview() {
        index.apply(Patients.at("RHMX1").mrn("T1").name("Harriet", "Testnine").born("1966-06-06").sex("F")
                .lives("3 Example Road", "LS7 3AB").event(), state);
        IdentityDecisions second = index.apply(Patients.at("RAE01").mrn("T2").name("Harriet", "Testnine")
                .born("1966-06-06").sex("F").lives("40 Other Street", "BD1 1XX").event(), state);
        assertThat(second.reviews()).hasSize(1);
        IdentityReview review = second.reviews().get(0);
        assertThat(review.getReason()).isEqualTo("PROBABILISTIC_UNCERTAIN");
        return review;
    }

    private static ReviewDecision decision(IdentityReview review, ReviewVerdict verdict) {
        return decision(review.getPairId(), review.getLeftIdentifier(), review.getRightIdentifier(), verdict);
    }

    private static ReviewDecision decision(String pairId, String left, String right, ReviewVerdict verdict) {
        return ReviewDecision.newBuilder().setPairId(pairId).setLeftIdentifier(left).setRightIdentifier(right)
                .setVerdict(verdict).setDecidedBy("data steward 7")
                .setDecidedAt(Instant.parse("2026-02-01T10:00:00Z")).build();
    }
}
