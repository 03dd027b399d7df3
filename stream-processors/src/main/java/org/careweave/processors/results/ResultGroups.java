package org.careweave.processors.results;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Splits one person's versions into results: versions with the same version key are one result (its history),
 * and results that share a content key in ANY of their versions are one result (copies of each other).
 *
 * <p>Any version, not only the current one: when the hospital corrects 5.4 to 5.9, the GP's copy still says 5.4,
 * which matches the hospital's superseded F version, so the copy stays with the corrected result instead of
 * becoming a stale duplicate. Groups are the connected components of "same version key or shared content key",
 * which depend only on the set of versions, never on their order.
 */
final class ResultGroups {

    static final Comparator<ResultVersion> CANONICAL = Comparator.comparing(ResultVersion::versionKey)
            .thenComparing(ResultVersion::messageKey);

    private ResultGroups() {
    }

    /** A grouping made recently on this thread, for the very list it was made of. */
    private record Recent(String personId, List<ResultVersion> versions, Map<String, List<ResultVersion>> groups) {
    }

    /**
     * The last few groupings on each stream thread. Folding one new version groups the person's versions before and
     * after it, and the next fold (often the next OBX of the same report) groups the same "before" list again, as
     * does publishing the view: remembering them by the list's identity saves two of the three groupings, which
     * grow with the person's results. Safe because every list passed is an immutable record component.
     */
    private static final ThreadLocal<Recent[]> RECENT = ThreadLocal.withInitial(() -> new Recent[4]);

    /**
     * resultId → that result's versions (in canonical order), ordered by result id; unmodifiable.
     *
     * @param versions must not change afterwards (callers pass {@link PersonResults#versions()} or lists as
     *                 immutable)
     */
    static Map<String, List<ResultVersion>> of(String personId, List<ResultVersion> versions) {
        Recent[] recent = RECENT.get();
        for (Recent r : recent) {
            if (r != null && r.versions() == versions && Objects.equals(r.personId(), personId)) {
                return r.groups();
            }
        }
        Map<String, List<ResultVersion>> groups = Collections.unmodifiableSortedMap(group(personId, versions));
        remember(personId, versions, groups);
        return groups;
    }

    /**
     * A person's results after one new version joined them.
     *
     * @param groups   resultId → versions, as {@link #of} would give for the versions after
     * @param resultId the result the new version belongs to
     * @param joined   the results before that the new version joined (their ids may differ from {@code resultId}:
     *                 a joined result can be renamed by the merge)
     */
    record Added(Map<String, List<ResultVersion>> groups, String resultId, List<String> joined) {
    }

    /**
     * The groups after adding one version that none of {@code before} has (by message key), without grouping all
     * versions again: groups are connected components, so adding a version merges exactly the groups it shares a
     * version key or a content key with, plus itself, and leaves every other group (and its id) as it was. The same
     * groups as {@code of(personId, after)}; remembered for {@code after} like those of {@link #of}.
     *
     * @param before the versions before, as passed to {@link #of}
     * @param after  {@code before} with {@code version} added (immutable)
     */
    static Added adding(String personId, List<ResultVersion> before, ResultVersion version,
                        List<ResultVersion> after) {
        Map<String, List<ResultVersion>> beforeGroups = of(personId, before);
        List<String> joined = new ArrayList<>();
        List<ResultVersion> merged = new ArrayList<>();
        merged.add(version);
        String fingerprint = version.contentFingerprint();
        for (Map.Entry<String, List<ResultVersion>> group : beforeGroups.entrySet()) {
            for (ResultVersion v : group.getValue()) {
                if (v.versionKey().equals(version.versionKey())
                        || fingerprint != null && fingerprint.equals(v.contentFingerprint())) {
                    joined.add(group.getKey());
                    merged.addAll(group.getValue());
                    break;
                }
            }
        }
        merged.sort(CANONICAL);
        String resultId = ResultKeys.resultId(personId, namingVersion(merged).versionKey());
        // A copy of a sorted map is built in one pass, without comparing keys; the groups of a person with thousands
        // of results were copied key by key, the largest part of folding one more result into them.
        TreeMap<String, List<ResultVersion>> groups = new TreeMap<>(beforeGroups);
        joined.forEach(groups::remove);
        groups.put(resultId, List.copyOf(merged));
        Map<String, List<ResultVersion>> unmodifiable = Collections.unmodifiableSortedMap(groups);
        remember(personId, after, unmodifiable);
        return new Added(unmodifiable, resultId, List.copyOf(joined));
    }

    private static void remember(String personId, List<ResultVersion> versions,
                                 Map<String, List<ResultVersion>> groups) {
        Recent[] recent = RECENT.get();
        System.arraycopy(recent, 0, recent, 1, recent.length - 1);
        recent[0] = new Recent(personId, versions, groups);
    }

    private static TreeMap<String, List<ResultVersion>> group(String personId, List<ResultVersion> versions) {
        UnionFind chains = new UnionFind();
        Map<String, String> chainOfContent = new HashMap<>();
        for (ResultVersion v : versions) {
            chains.add(v.versionKey());
            if (v.contentFingerprint() != null) {
                String other = chainOfContent.putIfAbsent(v.contentFingerprint(), v.versionKey());
                if (other != null) {
                    chains.union(other, v.versionKey());
                }
            }
        }
        Map<String, List<ResultVersion>> byRoot = new HashMap<>();
        for (ResultVersion v : versions) {
            byRoot.computeIfAbsent(chains.find(v.versionKey()), r -> new ArrayList<>()).add(v);
        }
        TreeMap<String, List<ResultVersion>> byResultId = new TreeMap<>();
        for (List<ResultVersion> group : byRoot.values()) {
            group.sort(CANONICAL);
            byResultId.put(ResultKeys.resultId(personId, namingVersion(group).versionKey()), List.copyOf(group));
        }
        return byResultId;
    }

    /**
     * A result is named after the source that was received first (then the smallest version key), not after
     * whichever arrived first here: the name depends only on the versions, and in the usual flow (the hospital's
     * result first, the GP's copy a day later) adding the copy keeps the name the result already had.
     */
    private static ResultVersion namingVersion(List<ResultVersion> group) {
        return group.stream().min(Comparator.comparing(ResultVersion::receivedAt)
                .thenComparing(ResultVersion::versionKey)).orElseThrow();
    }

    /** Union-find over version keys. */
    private static final class UnionFind {
        private final Map<String, String> parent = new HashMap<>();

        void add(String key) {
            parent.putIfAbsent(key, key);
        }

        String find(String key) {
            String root = key;
            while (!parent.get(root).equals(root)) {
                root = parent.get(root);
            }
            String k = key;
            while (!k.equals(root)) { // path compression
                String next = parent.get(k);
                parent.put(k, root);
                k = next;
            }
            return root;
        }

        void union(String a, String b) {
            String ra = find(a);
            String rb = find(b);
            if (!ra.equals(rb)) {
                parent.put(rb, ra);
            }
        }
    }
}
