package org.careweave.processors.views;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
