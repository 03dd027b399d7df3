package org.careweave.processors.views;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.careweave.events.DeduplicatedResult;
import org.careweave.events.EncounterEvent;
import org.careweave.events.EncounterView;
import org.careweave.events.PersonGolden;
import org.careweave.events.PersonView;
import org.careweave.internal.PersonState;
import org.careweave.internal.SourcedEncounter;

/** Builds a person's view from what is known of them; pure. */
public final class PersonViews {

    private PersonViews() {
    }

    public static PersonView of(PersonState state, List<DeduplicatedResult> results, Instant now) {
        PersonGolden golden = state.getGolden();
        PersonView.Builder view = PersonView.newBuilder()
                .setPersonId(state.getPersonId())
                .setVersion(state.getVersion())
                .setEncounters(encounters(state.getEncounters()))
                .setResults(results.stream()
                        .sorted(Comparator.comparing((DeduplicatedResult r) -> r.getCollectedAt() == null
                                ? Instant.EPOCH : r.getCollectedAt().getInstant()).reversed()
                                .thenComparing(DeduplicatedResult::getResultId))
                        .toList())
                .setAlerts(state.getAlerts())
                .setMergedPersonIds(state.getMergedPersonIds())
                .setUpdatedAt(now);
        if (golden != null) {
            view.setIdentifiers(golden.getIdentifiers())
                    .setNhsNumber(golden.getNhsNumber())
                    .setName(golden.getName())
                    .setBirthDate(golden.getBirthDate())
                    .setSex(golden.getSex())
                    .setAddress(golden.getAddress())
                    .setPhone(golden.getPhone());
        }
        return view.build();
    }

    /**
     * One entry per visit, from its latest event (an update without a status keeps the status it had); events
     * without a visit number are listed as they came.
     */
    static List<EncounterView> encounters(List<SourcedEncounter> encounters) {
        Map<String, EncounterView> byVisit = new LinkedHashMap<>();
        List<EncounterView> unnumbered = new ArrayList<>();
        List<EncounterEvent> ordered = encounters.stream().map(SourcedEncounter::getEncounter)
                .sorted(Comparator.comparing(e -> e.getProvenance().getReceivedAt())).toList();
        for (EncounterEvent e : ordered) {
            if (e.getVisit() == null) {
                unnumbered.add(view(e, null));
                continue;
            }
            String key = e.getVisit().getSystem() + "|" + e.getVisit().getValue();
            byVisit.put(key, view(e, byVisit.get(key)));
        }
        List<EncounterView> all = new ArrayList<>(byVisit.values());
        all.addAll(unnumbered);
        return all;
    }

    /**
     * The person's encounter events less those that can no longer show in {@link #encounters}: within one source's
     * events for one visit (in the order {@code encounters} reads them), every event but the first (it places the
     * visit in the list), the last (its facility and visit number show) and the last to state each field. So
     * {@code encounters} gives the same list for the result as for the argument, also after any later events and
     * after any source's events are removed, and a long stay's updates (an A08 for every move or change) do not pile
     * up in the person's state, which is rewritten at every commit that touches the person. Events without a visit
     * number are all kept. The kept events stay in the order given.
     */
    static List<SourcedEncounter> withoutSuperseded(List<SourcedEncounter> encounters) {
        List<Integer> order = new ArrayList<>(encounters.size());
        for (int i = 0; i < encounters.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> encounters.get(i).getEncounter().getProvenance().getReceivedAt()));
        Map<List<String>, int[]> shownBy = new HashMap<>();
        boolean[] keep = new boolean[encounters.size()];
        for (int i : order) {
            SourcedEncounter sourced = encounters.get(i);
            EncounterEvent e = sourced.getEncounter();
            if (e.getVisit() == null) {
                keep[i] = true;
                continue;
            }
            List<String> group = Arrays.asList(sourced.getSourceIdentifier(), e.getVisit().getSystem(),
                    e.getVisit().getValue());
            // The events that show: [0] the first, [1] the last, [2..6] the last to state each field below.
            int[] shown = shownBy.computeIfAbsent(group, g -> new int[] {i, -1, -1, -1, -1, -1, -1});
            shown[1] = i;
            Object[] fields = {e.getPatientClass(), e.getAdmittedAt(), e.getDischargedAt(), e.getLocation(),
                e.getStatus()};
            for (int f = 0; f < fields.length; f++) {
                if (fields[f] != null) {
                    shown[2 + f] = i;
                }
            }
        }
        for (int[] shown : shownBy.values()) {
            for (int i : shown) {
                if (i >= 0) {
                    keep[i] = true;
                }
            }
        }
        List<SourcedEncounter> kept = new ArrayList<>();
        for (int i = 0; i < encounters.size(); i++) {
            if (keep[i]) {
                kept.add(encounters.get(i));
            }
        }
        return kept.size() == encounters.size() ? encounters : kept;
    }

    private static EncounterView view(EncounterEvent e, EncounterView before) {
        return EncounterView.newBuilder()
                .setVisit(e.getVisit())
                .setPatientClass(firstNonNull(e.getPatientClass(), before == null ? null : before.getPatientClass()))
                .setAdmittedAt(firstNonNull(e.getAdmittedAt(), before == null ? null : before.getAdmittedAt()))
                .setDischargedAt(firstNonNull(e.getDischargedAt(), before == null ? null : before.getDischargedAt()))
                .setLocation(firstNonNull(e.getLocation(), before == null ? null : before.getLocation()))
                .setStatus(firstNonNull(e.getStatus(), before == null ? null : before.getStatus()))
                .setSendingFacility(e.getProvenance().getSendingFacility())
                .build();
    }

    private static <T> T firstNonNull(T a, T b) {
        return a != null ? a : b;
    }
}
