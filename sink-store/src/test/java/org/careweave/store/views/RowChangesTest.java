package org.careweave.store.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RowChangesTest {

    @Test
    void rowsThatAreStoredAndWantedUnchangedAreLeftAlone() {
        RowChanges<String> changes = RowChanges.between(Map.of("a", 1, "b", 2), Map.of("a", 1, "b", 2));

        assertThat(changes.delete()).isEmpty();
        assertThat(changes.insert()).isEmpty();
    }

    @Test
    void aChangedRowIsDeletedAndInsertedAgainAGoneRowDeletedANewRowInserted() {
        Map<String, Integer> stored = new LinkedHashMap<>();
        stored.put("same", 1);
        stored.put("changed", 2);
        stored.put("gone", 3);
        Map<String, Integer> wanted = new LinkedHashMap<>();
        wanted.put("new", 9);
        wanted.put("changed", 20);
        wanted.put("same", 1);

        RowChanges<String> changes = RowChanges.between(stored, wanted);

        assertThat(changes.delete()).containsExactly("changed", "gone");
        assertThat(changes.insert()).containsExactly("new", "changed");
    }

    @Test
    void aStoredRowWithoutAValueIsAlwaysWrittenAgain() {
        Map<String, Integer> stored = new HashMap<>();
        stored.put("old", null);
        stored.put("orphan", null);

        RowChanges<String> changes = RowChanges.between(stored, Map.of("old", 1));

        assertThat(changes.delete()).containsExactlyInAnyOrder("old", "orphan");
        assertThat(changes.insert()).containsExactly("old");
    }

    @Test
    void nothingStoredMeansInsertEverything() {
        RowChanges<String> changes = RowChanges.between(Map.of(), Map.of("a", 1));

        assertThat(changes.delete()).isEmpty();
        assertThat(changes.insert()).containsExactly("a");
    }
}
