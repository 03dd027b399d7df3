package org.careweave.processors.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.careweave.events.IdentityReview;
import org.careweave.events.ReviewDecision;
import org.careweave.events.ReviewVerdict;
import org.careweave.processors.identity.matching.MatchModel;
import org.careweave.processors.identity.matching.Matcher;
import org.junit.jupiter.api.Test;

/**
 * A source changes the NHS number of its own record: a trace found that the number it had was another patient's, or
 * the national service retired one of a patient's two numbers. The record follows its new number and the change is
 * raised for review. Until the twenty-third session nothing moved: a hospital record keyed with another patient's
 * number stayed on that patient's person, its results on show there, after the hospital had corrected it.
 */
class NhsNumberChangesTest {

    private static final String ANNS = "9990000301";
    private static final String BOBS = "9990000328";

    private final MasterPatientIndex index = new MasterPatientIndex(new Matcher(MatchModel.defaults()));
    private final InMemoryMpiState state = new InMemoryMpiState();

    @Test
    void eachChangeOfARecordsNumberIsRaisedAsAQuestionOfItsOwn() {
        index.apply(Patients.at("RHMX1").mrn("H7").nhs(ANNS).name("Ann", "Testalpha").born("1970-01-01").sex("F")
                .event(), state);
        IdentityDecisions first = index.apply(Patients.at("RHMX1").mrn("H7").nhs(BOBS).name("Ann", "Testalpha")
                .born("1970-01-01").sex("F").event(), state);
        IdentityDecisions second = index.apply(Patients.at("RHMX1").mrn("H7").nhs("9990000603")
                .name("Ann", "Testalpha").born("1970-01-01").sex("F").event(), state);

        IdentityReview one = first.reviews().stream().filter(r -> r.getReason().equals("NHS_NUMBER_CHANGED"))
                .findFirst().orElseThrow();
        IdentityReview two = second.reviews().stream().filter(r -> r.getReason().equals("NHS_NUMBER_CHANGED"))
                .findFirst().orElseThrow();
        assertThat(two.getPairId()).as("closing the first (same person) must not hide the second")
                .isNotEqualTo(one.getPairId());
        assertThat(two.getLeftIdentifier()).isEqualTo("RHMX1|H7").isEqualTo(two.getRightIdentifier());
    }

    @Test
    void aRecordKeyedWithAnotherPatientsNumberLeavesThatPatientWhenTheHospitalCorrectsIt() {
        index.apply(Patients.at("B86001").mrn("G1").nhs(ANNS).name("Ann", "Testalpha").born("1970-01-01").sex("F")
                .event(), state);
        IdentityDecisions keyedWrong = index.apply(Patients.at("RHMX1").mrn("H1").nhs(ANNS).name("Bob", "Testbeta")
                .born("1980-02-02").sex("M").event(), state);
        String anns = state.personOfIdentifier("B86001|G1");
        assertThat(state.personOfIdentifier("RHMX1|H1")).as("the number is the organisations' statement")
                .isEqualTo(anns);
        assertThat(keyedWrong.reviews()).extracting(IdentityReview::getReason)
                .containsExactly("NHS_NUMBER_DEMOGRAPHICS_DISAGREE");

        IdentityDecisions corrected = index.apply(Patients.at("RHMX1").mrn("H1").nhs(BOBS).name("Bob", "Testbeta")
                .born("1980-02-02").sex("M").lives("2 New Street", "LS2 9ZZ").event(), state);

        String bobs = state.personOfIdentifier("RHMX1|H1");
        assertThat(bobs).isNotEqualTo(anns);
        assertThat(state.personOfIdentifier(Patients.NHS + "|" + BOBS)).isEqualTo(bobs);
        assertThat(state.personOfIdentifier(Patients.NHS + "|" + ANNS)).as("Ann keeps her number").isEqualTo(anns);
        assertThat(state.persons.get(anns).sourceKeys()).containsExactly("B86001|G1");
        assertThat(state.persons.get(anns).nhsNumbers()).containsExactly(ANNS);
        assertThat(state.persons.get(bobs).nhsNumbers()).containsExactly(BOBS);
        SourceRecord record = state.sourceRecords.get("RHMX1|H1");
        assertThat(record.identifiers()).as("one number a record").contains(Patients.NHS + "|" + BOBS)
                .doesNotContain(Patients.NHS + "|" + ANNS);
        assertThat(record.value(SourceRecord.POSTCODE)).as("the message's other statements are taken")
                .isEqualTo("LS2 9ZZ");
        assertThat(corrected.links()).anySatisfy(l -> {
            assertThat(l.getSourceIdentifier()).isEqualTo("RHMX1|H1");
            assertThat(l.getPersonId()).isEqualTo(bobs);
            assertThat(l.getRule()).isEqualTo("NHS_NUMBER_CHANGED");
        });
        assertThat(corrected.changedPersons()).contains(anns, bobs);
        assertThat(corrected.reviews()).singleElement().satisfies(r -> {
            assertThat(r.getReason()).isEqualTo("NHS_NUMBER_CHANGED");
            assertThat(r.getLeftIdentifier()).isEqualTo("RHMX1|H1");
            assertThat(r.getRightIdentifier()).isEqualTo("RHMX1|H1");
            assertThat(r.getEvidence()).anySatisfy(e -> assertThat(e.getLevel()).isEqualTo(anns));
        });
    }

    /**
     * Some patient administration systems send the correction as an A47 (change patient identifier list) naming the
     * wrong NHS number in MRG-1. It is the record's number that changes: the patient who really holds the old number
     * is not merged into it, as a merge's MRG-1 would be.
     */
    @Test
    void aChangeOfIdentifierNamingTheWrongNhsNumberDoesNotMergeItsTrueOwner() {
        index.apply(Patients.at("B86001").mrn("G6").nhs("9990000395").name("Gwen", "Testeta").born("1971-07-07")
                .sex("F").event(), state);
        index.apply(Patients.at("RHMX1").mrn("H6").nhs("9990000395").name("Hal", "Testtheta").born("1981-08-08")
                .sex("M").event(), state);
        String gwens = state.personOfIdentifier("B86001|G6");

        IdentityDecisions changed = index.apply(Patients.at("RHMX1").mrn("H6").nhs("9990000409").name("Hal",
                "Testtheta").born("1981-08-08").sex("M").identifierChangedFrom(Patients.NHS, "9990000395").event(),
                state);

        assertThat(state.personOfIdentifier("B86001|G6")).isEqualTo(gwens);
        assertThat(state.persons.get(gwens).mergedInto()).isNull();
        assertThat(state.personOfIdentifier("RHMX1|H6")).isNotEqualTo(gwens);
        assertThat(state.personOfIdentifier(Patients.NHS + "|9990000395")).isEqualTo(gwens);
        assertThat(changed.reviews()).extracting(IdentityReview::getReason).containsExactly("NHS_NUMBER_CHANGED");
    }

    @Test
    void aRecordWhoseNumberWasRetiredJoinsThePatientOfItsNewNumber() {
        index.apply(Patients.at("RHMX1").mrn("H2").nhs("9990000336").name("Cat", "Testgamma").born("1980-02-02")
                .sex("F").event(), state);
        index.apply(Patients.at("B86001").mrn("G2").nhs("9990000344").name("Cat", "Testgamma").born("1980-02-02")
                .sex("F").event(), state);
        String hospitals = state.personOfIdentifier("RHMX1|H2");
        String practices = state.personOfIdentifier("B86001|G2");
        assertThat(hospitals).as("two numbers: two persons, until the hospital learns of the retirement")
                .isNotEqualTo(practices);

        IdentityDecisions renumbered = index.apply(Patients.at("RHMX1").mrn("H2").nhs("9990000344")
                .name("Cat", "Testgamma").born("1980-02-02").sex("F").event(), state);

        assertThat(state.personOfIdentifier("RHMX1|H2")).isEqualTo(practices);
        assertThat(state.persons.get(hospitals).mergedInto()).isEqualTo(practices);
        assertThat(state.persons.get(practices).nhsNumbers()).containsExactly("9990000344");
        assertThat(renumbered.reviews()).extracting(IdentityReview::getReason).containsExactly("NHS_NUMBER_CHANGED");

        // The retired number is nobody's now: a record that still carries it starts a person of its own rather than
        // joining a patient no longer known by it.
        index.apply(Patients.at("RAE01").mrn("X3").nhs("9990000336").name("Dee", "Testdelta").born("1990-03-03")
                .sex("F").event(), state);
        assertThat(state.personOfIdentifier("RAE01|X3")).isNotEqualTo(practices);
        assertThat(state.personOfIdentifier(Patients.NHS + "|9990000336"))
                .isEqualTo(state.personOfIdentifier("RAE01|X3"));
    }

    @Test
    void aChangeOfNumberIsClosedAsSamePersonAndCannotBeSplitFromItself() {
        index.apply(Patients.at("RHMX1").mrn("H4").nhs("9990000352").name("Eve", "Testeps").born("1975-04-04")
                .event(), state);
        IdentityReview review = index.apply(Patients.at("RHMX1").mrn("H4").nhs("9990000360").name("Eve", "Testeps")
                .born("1975-04-04").event(), state).reviews().get(0);
        String person = state.personOfIdentifier("RHMX1|H4");

        MasterPatientIndex.Decided different = index.decide(decision(review, ReviewVerdict.DIFFERENT_PERSONS), state);
        assertThat(different.refusal()).isEqualTo("SAME_RECORD");
        assertThat(state.personOfIdentifier("RHMX1|H4")).isEqualTo(person);
        assertThat(index.decide(decision(review, ReviewVerdict.SAME_PERSON), state).accepted()).isTrue();
    }

    @Test
    void aLateMessageWithTheOldNumberDoesNotUndoTheChange() {
        index.apply(Patients.at("RHMX1").mrn("H5").nhs("9990000379").name("Fay", "Testzeta").born("1966-06-06")
                .recordedAt("2026-01-05T09:00:00Z").event(), state);
        index.apply(Patients.at("RHMX1").mrn("H5").nhs("9990000387").name("Fay", "Testzeta").born("1966-06-06")
                .recordedAt("2026-01-05T10:00:00Z").event(), state);
        String person = state.personOfIdentifier("RHMX1|H5");

        IdentityDecisions late = index.apply(Patients.at("RHMX1").mrn("H5").nhs("9990000379").name("Fay", "Testzeta")
                .born("1966-06-06").recordedAt("2026-01-05T09:30:00Z").event(), state);

        assertThat(state.sourceRecords.get("RHMX1|H5").nhsNumber()).isEqualTo("9990000387");
        assertThat(state.personOfIdentifier("RHMX1|H5")).isEqualTo(person);
        assertThat(late.reviews()).extracting(IdentityReview::getReason).containsExactly("CONFLICTING_NHS_NUMBER");
    }

    private static ReviewDecision decision(IdentityReview review, ReviewVerdict verdict) {
        return ReviewDecision.newBuilder().setPairId(review.getPairId()).setLeftIdentifier(review.getLeftIdentifier())
                .setRightIdentifier(review.getRightIdentifier()).setVerdict(verdict).setDecidedBy("records team")
                .setDecidedAt(Instant.parse("2026-02-01T10:00:00Z")).build();
    }
}
