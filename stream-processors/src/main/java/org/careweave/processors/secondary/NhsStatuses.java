package org.careweave.processors.secondary;

import java.util.Map;
import java.util.TreeMap;

/** The opt-out status of every NHS number a person's view carries, as far as known. Internal state. */
record NhsStatuses(Map<String, Boolean> byNhsNumber) {

    NhsStatuses {
        byNhsNumber = new TreeMap<>(byNhsNumber == null ? Map.of() : byNhsNumber);
    }

    static NhsStatuses none() {
        return new NhsStatuses(Map.of());
    }

    NhsStatuses with(NhsStatus status) {
        Map<String, Boolean> next = new TreeMap<>(byNhsNumber);
        next.put(status.nhsNumber(), status.optedOut());
        return new NhsStatuses(next);
    }

    NhsStatuses without(NhsStatus status) {
        Map<String, Boolean> next = new TreeMap<>(byNhsNumber);
        next.remove(status.nhsNumber());
        return new NhsStatuses(next);
    }

    boolean anyOptedOut() {
        return byNhsNumber.containsValue(Boolean.TRUE);
    }

    boolean knows(String nhsNumber) {
        return byNhsNumber.containsKey(nhsNumber);
    }
}
