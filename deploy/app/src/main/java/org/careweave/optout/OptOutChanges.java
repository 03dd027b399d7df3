package org.careweave.optout;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What loading a list changes on the topic: numbers to add, numbers whose recorded date changed, numbers to remove
 * (re-admitting those people), and how many stay as they are; pure.
 */
public record OptOutChanges(List<String> added, List<String> updated, List<String> removed, int unchanged) {

    public OptOutChanges {
        added = List.copyOf(added);
        updated = List.copyOf(updated);
        removed = List.copyOf(removed);
    }

    /** @param current what the topic holds now: NHS number → recorded date (null when none) */
    public static OptOutChanges between(Map<String, LocalDate> current, Map<String, LocalDate> wanted) {
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        int unchanged = 0;
        for (Map.Entry<String, LocalDate> e : wanted.entrySet()) {
            if (!current.containsKey(e.getKey())) {
                added.add(e.getKey());
            } else if (!Objects.equals(current.get(e.getKey()), e.getValue())) {
                updated.add(e.getKey());
            } else {
                unchanged++;
            }
        }
        List<String> removed = current.keySet().stream().filter(n -> !wanted.containsKey(n)).sorted().toList();
        return new OptOutChanges(added, updated, removed, unchanged);
    }

    /** Numbers on the list before and after (whether or not their date changed). */
    public int kept() {
        return updated.size() + unchanged;
    }
}
