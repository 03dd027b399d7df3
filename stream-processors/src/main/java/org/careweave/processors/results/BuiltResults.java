package org.careweave.processors.results;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.careweave.events.DeduplicatedResult;

/**
 * Builds a person's deduplicated results from their groups, reusing, for the few persons with the most results built
 * lately on this thread, each result whose group is the very list it was built from.
 *
 * <p>Why: a view holds every result of its person, so publishing the view of a person with 10,000 results built
 * 10,000 results, half of the 33 ms an update of such a person cost (async-profiler through
 * {@code ViewUpdateBenchmark}), although one new result changes one group. Groups are immutable lists, and a fold
 * keeps every group it did not touch as the same list ({@link ResultGroups#adding}), so a group that is the same
 * object gives the same result. Only persons with at least {@value #REMEMBERED_FROM} results are remembered, and only
 * the last {@value #PERSONS} of them per thread, so that memory stays bounded (at most four such persons' results).
 *
 * <p>Results built here are shared between the views of a person: nothing may change them (nothing does; they are
 * serialised, or read).
 */
final class BuiltResults {

    static final int REMEMBERED_FROM = 200;
    private static final int PERSONS = 4;

    private static final ThreadLocal<Map<String, Map<List<ResultVersion>, DeduplicatedResult>>> RECENT =
            ThreadLocal.withInitial(() -> new LinkedHashMap<>(PERSONS * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Map<List<ResultVersion>, DeduplicatedResult>> e) {
                    return size() > PERSONS;
                }
            });

    private BuiltResults() {
    }

    /** resultId → versions, as {@link ResultGroups#of} gives them; the results in the same order. */
    static List<DeduplicatedResult> of(String personId, Map<String, List<ResultVersion>> groups) {
        if (personId == null || groups.size() < REMEMBERED_FROM) {
            List<DeduplicatedResult> results = new ArrayList<>(groups.size());
            groups.forEach((resultId, versions) -> results.add(DeduplicatedResults.of(personId, resultId, versions)));
            return Collections.unmodifiableList(results);
        }
        Map<String, Map<List<ResultVersion>, DeduplicatedResult>> recent = RECENT.get();
        Map<List<ResultVersion>, DeduplicatedResult> before = recent.getOrDefault(personId, Map.of());
        Map<List<ResultVersion>, DeduplicatedResult> built = new IdentityHashMap<>(groups.size() * 2);
        List<DeduplicatedResult> results = new ArrayList<>(groups.size());
        groups.forEach((resultId, versions) -> {
            DeduplicatedResult result = before.get(versions);
            if (result == null || !result.getResultId().equals(resultId)) {
                result = DeduplicatedResults.of(personId, resultId, versions);
            }
            built.put(versions, result);
            results.add(result);
        });
        recent.put(personId, built);
        return Collections.unmodifiableList(results);
    }

    /** Forgets what this thread remembered: for tests. */
    static void forget() {
        RECENT.get().clear();
    }
}
