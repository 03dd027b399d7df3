package org.careweave.processors.secondary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careweave.processors.secondary.Views.result;
import static org.careweave.processors.secondary.Views.view;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.apache.kafka.streams.StreamsBuilder;
import org.careweave.events.Address;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.HumanName;
import org.careweave.events.PersonView;
import org.careweave.processors.state.RecordingStore;
import org.junit.jupiter.api.Test;

/**
 * The secondary-use stream's first step on its own (no Kafka): which views go further, and in what form. Invented
 * people only.
 */
class CandidateChangesTest {

    private static final String PERSON = "cwp-changes-1";

    private final RecordingStore<byte[]> digests = new RecordingStore<>(CandidateChanges.STORE);
    private final List<Optional<CandidateChanges.Passed>> steps = new ArrayList<>();
    private CandidateChanges changes = started(Views.PSEUDONYMISER);

    @Test
    void theFirstViewPassesMinimised() {
        process(base());

        List<PersonView> passed = passed();
        assertThat(passed).hasSize(1);
        PersonView candidate = passed.get(0);
        assertThat(candidate.getName()).isNull();
        assertThat(candidate.getPhone()).isNull();
        assertThat(candidate.getEncounters()).isEmpty();
        assertThat(candidate.getIdentifiers()).extracting(i -> i.getSystem())
                .containsOnly(SecondaryCandidates.NHS_SYSTEM);
        assertThat(candidate.getAddress().getLines()).isEmpty();
        assertThat(candidate.getResults()).hasSize(1);
    }

    @Test
    void aViewThatChangesOnlyWhatResearchNeverSeesStopsHere() {
        process(base());
        steps.clear();

        process(change(base(), v -> {
            v.setVersion(v.getVersion() + 5);
            v.setUpdatedAt(v.getUpdatedAt().plusSeconds(3600));
            v.setPhone("01130000999");
            v.setName(HumanName.newBuilder().setFamily("Quixwell-Brant").setGiven(List.of("Zephyrine")).build());
            v.setEncounters(List.of());
            v.setAddress(Address.newBuilder(v.getAddress()).setLines(List.of("2 Larch Close")).build());
            return v;
        }));

        assertThat(steps).containsExactly(Optional.empty());
    }

    @Test
    void eachChangeResearchSeesPasses() {
        List<UnaryOperator<PersonView>> changes = List.of(
                v -> PersonView.newBuilder(v)
                        .setAddress(Address.newBuilder(v.getAddress()).setPostcode("LS2 7EW").build()).build(),
                v -> PersonView.newBuilder(v).setBirthDate(LocalDate.of(1984, 7, 24)).build(),
                v -> PersonView.newBuilder(v).setSex("M").build(),
                v -> PersonView.newBuilder(v).setNhsNumber("9990000107").build(),
                v -> PersonView.newBuilder(v).setResults(withValue(v.getResults(), "54")).build(),
                v -> PersonView.newBuilder(v).setResults(List.of()).build());
        for (UnaryOperator<PersonView> change : changes) {
            digests.data.clear();
            process(base());
            steps.clear();

            process(change(base(), change));

            assertThat(passed()).as("a change research sees").hasSize(1);
        }
    }

    @Test
    void aRemovedViewPassesAndTheNextViewOfThatPersonPassesAgain() {
        process(base());
        steps.clear();

        process(null);

        assertThat(steps).containsExactly(Optional.of(new CandidateChanges.Passed(null)));
        assertThat(digests.data).doesNotContainKey(PERSON);

        steps.clear();
        process(base());
        assertThat(passed()).hasSize(1);
    }

    @Test
    void aNewKeyOrBirthPrecisionLetsEveryoneThroughAgain() {
        process(base());
        steps.clear();

        changes = started(new Pseudonymiser(PseudonymKey.of("another-key-0123456789-abcdefghijkl"),
                BirthPrecision.YEAR));
        process(base());
        assertThat(passed()).as("new pseudonyms must be published").hasSize(1);

        steps.clear();
        changes = started(new Pseudonymiser(Views.KEY, BirthPrecision.MONTH));
        process(base());
        assertThat(passed()).as("birth periods change").hasSize(1);
    }

    @Test
    void theStepKeepsTheKeySoTheCandidatesTableIsNotRepartitioned() {
        StreamsBuilder builder = new StreamsBuilder();
        SecondaryTopology.addTo(builder, "test.", Map.of("schema.registry.url", "http://127.0.0.1:1"),
                Views.PSEUDONYMISER);

        String description = builder.build().describe().toString();

        assertThat(description).contains(CandidateChanges.STORE).doesNotContain("candidates-table-repartition");
    }

    private CandidateChanges started(Pseudonymiser pseudonymiser) {
        return new CandidateChanges(pseudonymiser, digests);
    }

    private static PersonView base() {
        return view(PERSON, "9990000093", result("cwr-changes-1", PERSON, "NM", "52", 52.0));
    }

    private static PersonView change(PersonView view, UnaryOperator<PersonView> change) {
        return change.apply(PersonView.newBuilder(view).build());
    }

    private static List<DeduplicatedResult> withValue(List<DeduplicatedResult> results, String value) {
        List<DeduplicatedResult> changed = new ArrayList<>();
        for (DeduplicatedResult r : results) {
            changed.add(DeduplicatedResult.newBuilder(r).setValue(value).setUpdatedAt(Instant.EPOCH).build());
        }
        return changed;
    }

    private void process(PersonView view) {
        steps.add(changes.next(PERSON, view));
    }

    private List<PersonView> passed() {
        return steps.stream().flatMap(Optional::stream).map(CandidateChanges.Passed::candidate).toList();
    }
}
