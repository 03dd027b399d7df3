package org.careweave.processors.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.careweave.events.Identifier;
import org.careweave.events.PatientEvent;
import org.careweave.processors.identity.matching.MatchModel;
import org.careweave.processors.identity.matching.Matcher;
import org.junit.jupiter.api.Test;

/** Merges as real PAS feeds send them, mistakes included: none may leave a person merged into itself or a loop. */
class MergeEdgeCasesTest {

    private final MasterPatientIndex index = new MasterPatientIndex(new Matcher(MatchModel.defaults()));
    private final InMemoryMpiState state = new InMemoryMpiState();

    @Test
    void aMergeUndoneByTheReverseMerge() {
        register("MA1", "Hal", "Testmerge", "1961-01-01");
        register("MA2", "Hal", "Testmerge", "1961-01-01");
        merge("MA2", "MA1", "Hal", "Testmerge", "1961-01-01");
        merge("MA1", "MA2", "Hal", "Testmerge", "1961-01-01");

        assertThat(state.personOfIdentifier("RHMX1|MA1")).isEqualTo(state.personOfIdentifier("RHMX1|MA2"));
        assertNoLoops();
        assertLivePerson(state.personOfIdentifier("RHMX1|MA1"));
    }

    @Test
    void aMergeLinksOnlyTheUsablePriorIdentifiers() {
        register("MU1", "Ula", "Testusable", "1963-03-03");
        register("MU2", "Ula", "Testusable", "1963-03-03");
        PatientEvent merge = Patients.at("RHMX1").mrn("MU1").name("Ula", "Testusable")
                .born("1963-03-03").mergedFrom("MU2").event();
        List<Identifier> prior = new ArrayList<>(
                merge.getMerge().getPriorIdentifiers());
        prior.add(Identifier.newBuilder().setSystem("RHMX1").setValue("UNKNOWN").setValid(false)
                .setInvalidReason("a placeholder, not a patient identifier").build());
        prior.add(Identifier.newBuilder().setSystem(Patients.NHS).setValue("9990000019")
                .setValid(false).setInvalidReason("check digit does not match (Modulus 11)").build());
        merge.getMerge().setPriorIdentifiers(prior);

        index.apply(merge, state);

        assertThat(state.personOfIdentifier("RHMX1|MU2")).isEqualTo(state.personOfIdentifier("RHMX1|MU1"));
        assertThat(state.links).doesNotContainKeys("RHMX1|UNKNOWN", Patients.NHS + "|9990000019");
    }

    @Test
    void aRecordMergedIntoItself() {
        register("MS1", "Ivy", "Testself", "1962-02-02");
        merge("MS1", "MS1", "Ivy", "Testself", "1962-02-02");

        assertNoLoops();
        assertLivePerson(state.personOfIdentifier("RHMX1|MS1"));
    }

    @Test
    void aChainOfMergesThatComesBackToItsStart() {
        register("MC1", "Jo", "Testchain", "1963-03-03");
        register("MC2", "Jo", "Testchain", "1963-03-03");
        register("MC3", "Jo", "Testchain", "1963-03-03");
        merge("MC2", "MC1", "Jo", "Testchain", "1963-03-03");
        merge("MC3", "MC2", "Jo", "Testchain", "1963-03-03");
        merge("MC1", "MC3", "Jo", "Testchain", "1963-03-03");

        String person = state.personOfIdentifier("RHMX1|MC1");
        assertThat(state.personOfIdentifier("RHMX1|MC2")).isEqualTo(person);
        assertThat(state.personOfIdentifier("RHMX1|MC3")).isEqualTo(person);
        assertNoLoops();
        assertLivePerson(person);
    }

    @Test
    void aMergeFromARecordNeverSeen() {
        register("MN1", "Kit", "Testunseen", "1964-04-04");
        merge("MN1", "MNEVER", "Kit", "Testunseen", "1964-04-04");

        assertThat(state.personOfIdentifier("RHMX1|MNEVER")).isEqualTo(state.personOfIdentifier("RHMX1|MN1"));
        assertNoLoops();
    }

    private void register(String mrn, String given, String family, String born) {
        index.apply(Patients.at("RHMX1").mrn(mrn).name(given, family).born(born).event(), state);
    }

    /** The survivor's record (PID-3) absorbs the prior one (MRG-1). */
    private void merge(String survivorMrn, String priorMrn, String given, String family, String born) {
        index.apply(Patients.at("RHMX1").mrn(survivorMrn).name(given, family).born(born).mergedFrom(priorMrn).event(),
                state);
    }

    private void assertLivePerson(String personId) {
        assertThat(state.persons.get(personId).mergedInto()).as("the identifier's person is not merged away").isNull();
    }

    private void assertNoLoops() {
        for (Person start : state.persons.values()) {
            Set<String> seen = new HashSet<>();
            for (Person p = start; p.mergedInto() != null; p = state.persons.get(p.mergedInto())) {
                assertThat(seen.add(p.personId())).as("merge chain from %s loops", start.personId()).isTrue();
                assertThat(p.mergedInto()).isNotEqualTo(p.personId());
            }
        }
    }
}
