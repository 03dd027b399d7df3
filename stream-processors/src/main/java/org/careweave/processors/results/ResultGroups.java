package org.careweave.processors.results;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Splits one person's versions into results: versions with the same version key are one result (its history),
 * and results that share a content key in ANY of their versions are one result (copies of each other), unless they
 * are two results of the same laboratory (see {@link ResultKeys#distinctResults}).
 *
 * <p>Any version, not only the current one: when the hospital corrects 5.4 to 5.9, the GP's copy still says 5.4,
 * which matches the hospital's superseded F version, so the copy stays with the corrected result instead of
 * becoming a stale duplicate. Groups are the connected components of "same version key or shared content key",
 * with a content link skipped when it would put two distinct results of one laboratory into one group. Links are
 * tried in an order that depends only on the set of versions (content key, then version key), so the groups do
 * too, never the order the versions arrived in.
 */
final class ResultGroups {

    static final Comparator<ResultVersion> CANONICAL = Comparator.comparing(ResultVersion::versionKey)
            .thenComparing(ResultVersion::messageKey);

    private ResultGroups() {
    }

    /**
     * A grouping, with the content fingerprints for which a link was skipped (two results of one laboratory that say
     * the same): away from those, the groups are the plain connected components, and one more version can be grouped
     * by merging what it touches.
     */
    private record Grouping(Map<String, List<ResultVersion>> groups, Set<String> contested) {
    }

    /** A grouping made recently on this thread, for the very list it was made of. */
    private record Recent(String personId, List<ResultVersion> versions, Grouping grouping) {
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
        return grouping(personId, versions).groups();
    }

    private static Grouping grouping(String personId, List<ResultVersion> versions) {
        Recent[] recent = RECENT.get();
        for (Recent r : recent) {
            if (r != null && r.versions() == versions && Objects.equals(r.personId(), personId)) {
                return r.grouping();
            }
        }
        Grouping grouping = group(personId, versions);
        remember(personId, versions, grouping);
        return grouping;
    }

    /**
     * A person's results after one new version joined them.
     *
     * @param groups    resultId → versions, as {@link #of} would give for the versions after
     * @param resultId  the result the new version belongs to
     * @param joined    the results before that the new version joined (their ids may differ from {@code resultId}:
     *                  a joined result can be renamed by the merge)
     * @param regrouped the versions were grouped again in full: results other than {@code resultId} may have changed
     *                  too, so compare every group with those before
     */
    record Added(Map<String, List<ResultVersion>> groups, String resultId, List<String> joined, boolean regrouped) {
    }

    /**
     * The groups after adding one version that none of {@code before} has (by message key), without grouping all
     * versions again when it can: when neither the version nor what it touches says what a content link was skipped
     * for, and together they hold no two distinct results of one laboratory, adding a version
     * merges exactly the groups it shares a version key or a content key with, plus itself, and leaves every other
     * group (and its id) as it was. Otherwise a skipped link may now be taken in place of another, so all versions
     * are grouped again. The same groups as {@code of(personId, after)} either way; remembered for {@code after} like
     * those of {@link #of}.
     *
     * @param before the versions before, as passed to {@link #of}
     * @param after  {@code before} with {@code version} added (immutable)
     */
    static Added adding(String personId, List<ResultVersion> before, ResultVersion version,
                        List<ResultVersion> after) {
        Grouping beforeGrouping = grouping(personId, before);
        Map<String, List<ResultVersion>> beforeGroups = beforeGrouping.groups();
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
        if (touchesContested(merged, beforeGrouping.contested()) || holdsDistinctResults(merged)) {
            return regrouped(personId, before, version, after);
        }
        merged.sort(CANONICAL);
        String resultId = ResultKeys.resultId(personId, namingVersion(merged).versionKey());
        // A copy of a sorted map is built in one pass, without comparing keys; the groups of a person with thousands
        // of results were copied key by key, the largest part of folding one more result into them.
        TreeMap<String, List<ResultVersion>> groups = new TreeMap<>(beforeGroups);
        joined.forEach(groups::remove);
        groups.put(resultId, List.copyOf(merged));
        Map<String, List<ResultVersion>> unmodifiable = Collections.unmodifiableSortedMap(groups);
        remember(personId, after, new Grouping(unmodifiable, beforeGrouping.contested()));
        return new Added(unmodifiable, resultId, List.copyOf(joined), false);
    }

    /** {@link #adding} by grouping every version again. */
    private static Added regrouped(String personId, List<ResultVersion> before, ResultVersion version,
                                   List<ResultVersion> after) {
        Map<String, List<ResultVersion>> groups = grouping(personId, after).groups();
        Map.Entry<String, List<ResultVersion>> mine = groups.entrySet().stream()
                .filter(group -> group.getValue().contains(version)).findFirst().orElseThrow();
        List<String> joined = of(personId, before).entrySet().stream()
                .filter(group -> group.getValue().stream().anyMatch(mine.getValue()::contains))
                .map(Map.Entry::getKey).toList();
        return new Added(groups, mine.getKey(), joined, true);
    }

    /**
     * Whether any of these versions says what a content link was skipped for. Only there does the order links are
     * taken in decide the groups; a version whose result and the results it joins say nothing of the kind merges
     * them as connected components do, and leaves the contested groups as they were.
     */
    private static boolean touchesContested(List<ResultVersion> versions, Set<String> contested) {
        if (contested.isEmpty()) {
            return false;
        }
        for (ResultVersion v : versions) {
            if (v.contentFingerprint() != null && contested.contains(v.contentFingerprint())) {
                return true;
            }
        }
        return false;
    }

    private static boolean holdsDistinctResults(List<ResultVersion> versions) {
        for (int i = 0; i < versions.size(); i++) {
            for (int j = i + 1; j < versions.size(); j++) {
                if (ResultKeys.distinctResults(versions.get(i), versions.get(j))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void remember(String personId, List<ResultVersion> versions, Grouping grouping) {
        Recent[] recent = RECENT.get();
        System.arraycopy(recent, 0, recent, 1, recent.length - 1);
        recent[0] = new Recent(personId, versions, grouping);
    }

    private static Grouping group(String personId, List<ResultVersion> versions) {
        // One chain per version key (its versions are one result whatever they say), named by a version of it.
        Map<String, ResultVersion> chains = new HashMap<>();
        TreeMap<String, TreeSet<String>> chainsOfContent = new TreeMap<>();
        for (ResultVersion v : versions) {
            chains.putIfAbsent(v.versionKey(), v);
            if (v.contentFingerprint() != null) {
                chainsOfContent.computeIfAbsent(v.contentFingerprint(), f -> new TreeSet<>()).add(v.versionKey());
            }
        }
        UnionFind results = new UnionFind();
        chains.forEach(results::add);
        Set<String> contested = new HashSet<>();
        for (Map.Entry<String, TreeSet<String>> sameContent : chainsOfContent.entrySet()) {
            List<String> keys = List.copyOf(sameContent.getValue());
            for (int i = 1; i < keys.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (!results.unionUnlessDistinct(keys.get(j), keys.get(i))) {
                        contested.add(sameContent.getKey());
                    }
                }
            }
        }
        Map<String, List<ResultVersion>> byRoot = new HashMap<>();
        for (ResultVersion v : versions) {
            byRoot.computeIfAbsent(results.find(v.versionKey()), r -> new ArrayList<>()).add(v);
        }
        TreeMap<String, List<ResultVersion>> byResultId = new TreeMap<>();
        for (List<ResultVersion> group : byRoot.values()) {
            group.sort(CANONICAL);
            byResultId.put(ResultKeys.resultId(personId, namingVersion(group).versionKey()), List.copyOf(group));
        }
        return new Grouping(Collections.unmodifiableSortedMap(byResultId), Set.copyOf(contested));
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

    /** Union-find over chains (version keys), each set knowing its chains so that a link can be refused. */
    private static final class UnionFind {
        private final Map<String, String> parent = new HashMap<>();
        private final Map<String, List<ResultVersion>> chainsOfRoot = new HashMap<>();

        void add(String key, ResultVersion chain) {
            parent.put(key, key);
            chainsOfRoot.put(key, new ArrayList<>(List.of(chain)));
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

        /** Joins the sets of a and b unless that would join two distinct results; false when refused. */
        boolean unionUnlessDistinct(String a, String b) {
            String ra = find(a);
            String rb = find(b);
            if (ra.equals(rb)) {
                return true;
            }
            List<ResultVersion> chainsA = chainsOfRoot.get(ra);
            List<ResultVersion> chainsB = chainsOfRoot.get(rb);
            for (ResultVersion x : chainsA) {
                for (ResultVersion y : chainsB) {
                    if (ResultKeys.distinctResults(x, y)) {
                        return false;
                    }
                }
            }
            parent.put(rb, ra);
            chainsA.addAll(chainsOfRoot.remove(rb));
            return true;
        }
    }
}
