package org.careweave.processors.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.careweave.events.IdentityLink;
import org.careweave.events.IdentityReview;
import org.careweave.processors.identity.matching.MatchModel;
import org.careweave.processors.identity.matching.Matcher;
import org.junit.jupiter.api.Test;

/**
 * A sender's links (A24) and unlinks (A37) of two patient records, as pure functions over an in-memory index.
 * Invented people only.
 */
class SenderLinksTest {

    private final MasterPatientIndex index = new MasterPatientIndex(new Matcher(MatchModel.defaults()));
    private final InMemoryMpiState state = new InMemoryMpiState();

    /** Two records of one woman that demographics alone keep apart: another name, another address. */
    private void twoRecordsOfOnePatient(String hospitalNumber, String otherSiteNumber) {
        index.apply(Patients.at("RHMX1").mrn(hospitalNumber).name("Margaret", "Testlink").born("1950-03-12")
                .sex("F").lives("4 Mill Lane", "LS7 1AB").event(), state);
        index.apply(Patients.at("RAE01").mrn(otherSiteNumber).name("Peggy", "Testlink-Jones").born("1950-03-12")
                .sex("F").lives("Flat 2, 80 Harbour Road", "BD3 9QQ").event(), state);
        assertThat(state.personOfIdentifier("RHMX1|" + hospitalNumber))
                .isNotEqualTo(state.personOfIdentifier("RAE01|" + otherSiteNumber));
    }

    @Test
    void anA24MakesTwoRecordsOnePersonAndSaysTheSenderLinkedThem() {
        twoRecordsOfOnePatient("K1", "B1");
        String older = state.personOfIdentifier("RHMX1|K1");
        String younger = state.personOfIdentifier("RAE01|B1");

        IdentityDecisions linked = index.apply(Patients.at("RHMX1").mrn("K1").linkedWith("RAE01|B1").event(), state);

        assertThat(state.personOfIdentifier("RAE01|B1")).isEqualTo(older);
        assertThat(linked.links()).filteredOn(l -> l.getSourceIdentifier().equals("RAE01|B1"))
                .singleElement().extracting(IdentityLink::getRule).isEqualTo("SENDER_LINK");
        // A link names no survivor: the younger person folds into the older, whose id stays.
        assertThat(state.persons.get(younger).mergedInto()).isEqualTo(older);
        assertThat(state.persons.get(older).sourceKeys()).containsExactlyInAnyOrder("RHMX1|K1", "RAE01|B1");
        // The sender's PID of its own record said nothing of the demographics: nothing is taken away.
        assertThat(state.sourceRecord("RHMX1|K1").orElseThrow().value(SourceRecord.FAMILY)).isEqualTo("Testlink");
    }

    @Test
    void aNumberLinkedBeforeItsRecordCameBringsTheRecordWhenItComes() {
        index.apply(Patients.at("RHMX1").mrn("K2").name("Nora", "Testahead").born("1961-07-01").sex("F")
                .lives("9 Elm Row", "LS8 2CD").event(), state);
        String person = state.personOfIdentifier("RHMX1|K2");

        index.apply(Patients.at("RHMX1").mrn("K2").linkedWith("RAE01|B2").event(), state);
        IdentityDecisions arrived = index.apply(Patients.at("RAE01").mrn("B2").name("Honora", "Testahead-Bell")
                .born("1961-07-01").sex("F").lives("22 Quay Street", "BD1 4EF").event(), state);

        assertThat(state.personOfIdentifier("RAE01|B2")).isEqualTo(person);
        assertThat(arrived.links()).isEmpty(); // its number was linked already, by the A24
        assertThat(state.persons.get(person).sourceKeys()).contains("RAE01|B2");
    }

    @Test
    void anA24NeverLinksRecordsWithDifferentNhsNumbersButAsksForReview() {
        index.apply(Patients.at("RHMX1").mrn("K3").nhs("9990000093").name("Olga", "Testconflict")
                .born("1970-01-01").event(), state);
        index.apply(Patients.at("RAE01").mrn("B3").nhs("9990000107").name("Olga", "Testconflict")
                .born("1970-01-01").event(), state);

        IdentityDecisions refused = index.apply(Patients.at("RHMX1").mrn("K3").linkedWith("RAE01|B3").event(),
                state);

        assertThat(state.personOfIdentifier("RHMX1|K3")).isNotEqualTo(state.personOfIdentifier("RAE01|B3"));
        assertThat(refused.links()).isEmpty();
        assertThat(refused.reviews()).singleElement().satisfies(r -> {
            assertThat(r.getReason()).isEqualTo("LINK_WITH_CONFLICTING_NHS_NUMBERS");
            assertThat(r.getLeftIdentifier()).isEqualTo("RHMX1|K3");
            assertThat(r.getRightIdentifier()).isEqualTo("RAE01|B3");
        });
    }

    @Test
    void anA37UndoesAnA24AndMatchingNeverJoinsThemAgain() {
        twoRecordsOfOnePatient("K4", "B4");
        index.apply(Patients.at("RHMX1").mrn("K4").linkedWith("RAE01|B4").event(), state);
        String person = state.personOfIdentifier("RHMX1|K4");

        IdentityDecisions unlinked = index.apply(Patients.at("RHMX1").mrn("K4").unlinkedFrom("RAE01|B4").event(),
                state);

        String apart = state.personOfIdentifier("RAE01|B4");
        assertThat(apart).isNotEqualTo(person);
        assertThat(unlinked.links()).filteredOn(l -> l.getSourceIdentifier().equals("RAE01|B4"))
                .singleElement().extracting(IdentityLink::getRule).isEqualTo("SENDER_UNLINK");
        assertThat(state.persons.get(person).sourceKeys()).containsExactly("RHMX1|K4");
        assertThat(unlinked.changedPersons()).contains(person, apart);
        assertThat(state.decidedDifferent("RHMX1|K4")).contains("RAE01|B4");
    }

    @Test
    void anA37OfRecordsSharingAnNhsNumberIsRefusedAndRaisedForReview() {
        index.apply(Patients.at("RHMX1").mrn("K5").nhs("9990000115").name("Pia", "Testshared").born("1980-08-08")
                .event(), state);
        index.apply(Patients.at("RAE01").mrn("B5").nhs("9990000115").name("Pia", "Testshared").born("1980-08-08")
                .event(), state);
        String person = state.personOfIdentifier("RHMX1|K5");

        IdentityDecisions refused = index.apply(Patients.at("RHMX1").mrn("K5").unlinkedFrom("RAE01|B5").event(),
                state);

        assertThat(state.personOfIdentifier("RAE01|B5")).isEqualTo(person);
        assertThat(refused.links()).isEmpty();
        assertThat(refused.reviews()).singleElement().satisfies(r -> {
            assertThat(r.getReason()).isEqualTo("UNLINK_REFUSED");
            assertThat(r.getEvidence()).anySatisfy(e -> {
                assertThat(e.getComparison()).isEqualTo("refused because");
                assertThat(e.getLevel()).isEqualTo("SHARED_NHS_NUMBER");
            });
        });
    }

    @Test
    void anA37OfANumberLinkedBeforeItsRecordCameKeepsThatRecordApart() {
        index.apply(Patients.at("RHMX1").mrn("K6").name("Rhoda", "Testearly").born("1944-02-29").sex("F")
                .lives("1 Kiln Yard", "LS9 9ZZ").event(), state);
        String person = state.personOfIdentifier("RHMX1|K6");
        index.apply(Patients.at("RHMX1").mrn("K6").linkedWith("RAE01|B6").event(), state);

        IdentityDecisions unlinked = index.apply(Patients.at("RHMX1").mrn("K6").unlinkedFrom("RAE01|B6").event(),
                state);
        index.apply(Patients.at("RAE01").mrn("B6").name("Rhoda", "Testearly-Other").born("1944-02-28").sex("F")
                .lives("5 Dock Road", "BD2 2BB").event(), state);

        assertThat(unlinked.links()).singleElement().extracting(IdentityLink::getRule).isEqualTo("SENDER_UNLINK");
        assertThat(state.personOfIdentifier("RAE01|B6")).isNotEqualTo(person);
        assertThat(state.persons.get(person).sourceKeys()).containsExactly("RHMX1|K6");
    }

    @Test
    void anA37OfANumberLinkedBeforeItsRecordCameHoldsWhenThatRecordLooksTheSame() {
        index.apply(Patients.at("RHMX1").mrn("K9").name("Rhoda", "Testearly").born("1944-02-29").sex("F")
                .lives("1 Kiln Yard", "LS9 9ZZ").event(), state);
        String person = state.personOfIdentifier("RHMX1|K9");
        index.apply(Patients.at("RHMX1").mrn("K9").linkedWith("RAE01|B9").event(), state);
        index.apply(Patients.at("RHMX1").mrn("K9").unlinkedFrom("RAE01|B9").event(), state);

        // The sender said the two are different patients: demographics that match do not join them again.
        index.apply(Patients.at("RAE01").mrn("B9").name("Rhoda", "Testearly").born("1944-02-29").sex("F")
                .lives("1 Kiln Yard", "LS9 9ZZ").event(), state);

        assertThat(state.personOfIdentifier("RAE01|B9")).isNotEqualTo(state.personOfIdentifier("RHMX1|K9"));
        assertThat(state.personOfIdentifier("RHMX1|K9")).isEqualTo(person);
        assertThat(state.decidedDifferent("RHMX1|K9")).containsExactly("RAE01|B9");
    }

    @Test
    void anA37OfARecordCareweaveNeverHadFoundsNoPerson() {
        twoRecordsOfOnePatient("K8", "B8");
        int persons = state.persons.size();

        IdentityDecisions unlinked = index.apply(Patients.at("RHMX1").mrn("NEVER8").unlinkedFrom("RAE01|B8").event(),
                state);

        assertThat(unlinked.links()).isEmpty();
        assertThat(state.persons).hasSize(persons);
        assertThat(state.sourceRecord("RHMX1|NEVER8")).isEmpty();
    }

    @Test
    void anA37OfRecordsOnTwoPersonsMovesNothingAndKeepsThemApart() {
        twoRecordsOfOnePatient("K7", "B7");
        String first = state.personOfIdentifier("RHMX1|K7");
        String second = state.personOfIdentifier("RAE01|B7");

        IdentityDecisions unlinked = index.apply(Patients.at("RHMX1").mrn("K7").unlinkedFrom("RAE01|B7").event(),
                state);

        assertThat(unlinked.links()).isEmpty();
        assertThat(unlinked.reviews()).extracting(IdentityReview::getReason).doesNotContain("UNLINK_REFUSED");
        assertThat(state.personOfIdentifier("RHMX1|K7")).isEqualTo(first);
        assertThat(state.personOfIdentifier("RAE01|B7")).isEqualTo(second);
        assertThat(state.decidedDifferent("RAE01|B7")).contains("RHMX1|K7");
    }
}
