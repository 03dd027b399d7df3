package org.careweave.store.views;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.careweave.events.DeduplicatedResult;
import org.careweave.events.EncounterView;
import org.careweave.events.PersonView;
import org.careweave.store.testing.People;

/**
 * A seeded stream of person.views records with everything the sink must get right: new versions, older versions
 * delivered again, removals, tombstones delivered again, merges (survivor's view plus the merged person's tombstone),
 * unmerges and persons coming back.
 */
final class Workload {

    /** One record: a view, or a tombstone when {@code view} is null. */
    record Record(String key, PersonView view) {
    }

    private final Random random;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Long> versions = new HashMap<>();
    private final Map<String, List<PersonView>> history = new HashMap<>();
    private final Set<String> alive = new LinkedHashSet<>();
    private final Set<String> removed = new LinkedHashSet<>();
    private final Map<String, Set<String>> mergedInto = new HashMap<>();
    private final List<Record> records = new ArrayList<>();

    private Workload(long seed, int persons) {
        this.random = new Random(seed);
        for (int i = 0; i < persons; i++) {
            String id = "W" + i;
            ids.add(id);
            versions.put(id, 0L);
            history.put(id, new ArrayList<>());
            mergedInto.put(id, new LinkedHashSet<>());
        }
    }

    static List<Record> generate(long seed, int persons, int size) {
        Workload w = new Workload(seed, persons);
        while (w.records.size() < size) {
            w.step();
        }
        return List.copyOf(w.records.subList(0, size));
    }

    private void step() {
        int dice = random.nextInt(100);
        if (dice < 55 || alive.size() < 3) {
            update(pick(ids));
        } else if (dice < 70) {
            redeliverOldView();
        } else if (dice < 78) {
            remove(pick(new ArrayList<>(alive)));
        } else if (dice < 86) {
            merge();
        } else if (dice < 92) {
            unmerge();
        } else {
            redeliverTombstone();
        }
    }

    private void update(String id) {
        if (isMergedAway(id)) {
            return;
        }
        emitView(id);
    }

    private void emitView(String id) {
        long version = versions.merge(id, 1L, Long::sum);
        PersonView view = view(id, version);
        history.get(id).add(view);
        alive.add(id);
        removed.remove(id);
        records.add(new Record(id, view));
    }

    private void redeliverOldView() {
        String id = pick(ids);
        List<PersonView> past = history.get(id);
        if (!past.isEmpty()) {
            records.add(new Record(id, past.get(random.nextInt(past.size()))));
        }
    }

    private void remove(String id) {
        alive.remove(id);
        removed.add(id);
        records.add(new Record(id, null));
    }

    private void redeliverTombstone() {
        if (!removed.isEmpty()) {
            records.add(new Record(pick(new ArrayList<>(removed)), null));
        }
    }

    private void merge() {
        List<String> candidates = new ArrayList<>(alive);
        if (candidates.size() < 2) {
            return;
        }
        String survivor = pick(candidates);
        candidates.remove(survivor);
        String merged = pick(candidates);
        mergedInto.get(survivor).add(merged);
        mergedInto.get(survivor).addAll(mergedInto.get(merged));
        mergedInto.get(merged).clear();
        emitView(survivor);
        remove(merged);
    }

    private void unmerge() {
        List<String> survivors = ids.stream().filter(id -> alive.contains(id) && !mergedInto.get(id).isEmpty())
                .toList();
        if (survivors.isEmpty()) {
            return;
        }
        String survivor = pick(survivors);
        String back = pick(new ArrayList<>(mergedInto.get(survivor)));
        mergedInto.get(survivor).remove(back);
        emitView(survivor);
        emitView(back);
    }

    private boolean isMergedAway(String id) {
        return mergedInto.values().stream().anyMatch(set -> set.contains(id));
    }

    private PersonView view(String id, long version) {
        int n = Integer.parseInt(id.substring(1));
        String nhs = People.NHS_NUMBERS.get(n % People.NHS_NUMBERS.size());
        List<DeduplicatedResult> results = new ArrayList<>();
        int resultCount = random.nextInt(4);
        for (int r = 0; r < resultCount; r++) {
            OffsetDateTime collected = OffsetDateTime.of(2024, 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), 0, 0, 0, ZoneOffset.ofHours(random.nextInt(2)));
            results.add(People.result(id + "-R" + r, id, r % 2 == 0 ? People.HBA1C : People.POTASSIUM, "Test",
                    Integer.toString(20 + random.nextInt(60)), "mmol/mol", collected)
                    .setRetracted(random.nextInt(10) == 0).build());
        }
        List<EncounterView> encounters = new ArrayList<>();
        for (int e = random.nextInt(3); e > 0; e--) {
            Instant admitted = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(random.nextInt(10_000_000));
            encounters.add(People.encounter(id + "-V" + e, e % 2 == 0 ? "I" : "O", admitted,
                    random.nextBoolean() ? admitted.plusSeconds(7200) : null));
        }
        return People.person(id, version, nhs, "Family" + version, "Given" + n)
                .setResults(results)
                .setEncounters(encounters)
                .setMergedPersonIds(List.copyOf(mergedInto.get(id)))
                .build();
    }

    private String pick(List<String> from) {
        return from.get(random.nextInt(from.size()));
    }
}
