package org.careweave.processors.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.careweave.events.DeduplicatedResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BuiltResultsTest {

    private static final String PERSON = "cwp-builtresults";

    @AfterEach
    void forget() {
        BuiltResults.forget();
    }

    @Test
    void aPersonWithManyResultsGetsTheSameResultsAsBuiltAfreshAndOnlyTheChangedOneIsBuiltAgain() {
        PersonResults state = withResults(BuiltResults.REMEMBERED_FROM + 50);
        List<DeduplicatedResult> before = state.results();

        // A correction of one result (same filler order and code, status C), and one new result.
        PersonResults after = state.apply(report(7).status("C").numeric("61", "mmol/L").received("2026-04-02T12:00:00Z")
                .event(), PERSON).newState();
        after = after.apply(report(10_000).event(), PERSON).newState();
        List<DeduplicatedResult> reused = after.results();

        assertThat(reused).isEqualTo(afresh(after));
        assertThat(reused).hasSize(before.size() + 1);
        List<DeduplicatedResult> sameInstances = reused.stream()
                .filter(r -> before.stream().anyMatch(b -> b == r)).toList();
        assertThat(sameInstances).as("results whose versions did not change are not built again")
                .hasSize(before.size() - 1);
        assertThat(reused).filteredOn(r -> r.getStatus().equals("C")).singleElement()
                .satisfies(r -> assertThat(r.getValue()).isEqualTo("61"));
    }

    @Test
    void aPersonWithFewResultsIsBuiltAfreshEachTime() {
        PersonResults state = withResults(10);

        List<DeduplicatedResult> first = state.results();
        List<DeduplicatedResult> second = state.results();

        assertThat(second).isEqualTo(first).isEqualTo(afresh(state));
        assertThat(second.get(0)).isNotSameAs(first.get(0));
    }

    private static PersonResults withResults(int count) {
        PersonResults state = PersonResults.empty(PERSON);
        for (int i = 0; i < count; i++) {
            state = state.apply(report(i).event(), PERSON).newState();
        }
        return state;
    }

    private static Observations report(int i) {
        return Observations.at("RHMX1").patient("L100").nhs("9990000018").filler("F" + i)
                .code(Observations.loinc("2345-7")).numeric(Integer.toString(40 + i % 20), "mmol/L")
                .collected(String.format("2025-%02d-%02dT09:00:00Z", 1 + i / 28 % 12, 1 + i % 28))
                .received("2026-03-01T12:00:00Z");
    }

    private static List<DeduplicatedResult> afresh(PersonResults state) {
        List<DeduplicatedResult> results = new ArrayList<>();
        ResultGroups.of(PERSON, state.versions())
                .forEach((id, versions) -> results.add(DeduplicatedResults.of(PERSON, id, versions)));
        return results;
    }
}
