package org.careweave.processors.views;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.careweave.events.DeduplicatedResult;
import org.careweave.events.EncounterEvent;
import org.careweave.events.EncounterView;
import org.careweave.events.Identifier;
import org.careweave.events.PersonGolden;
import org.careweave.events.PersonView;
import org.careweave.events.RepeatTestAlert;
import org.careweave.internal.PersonState;
import org.careweave.internal.SourcedEncounter;
import org.careweave.processors.results.PersonResults;

/** Builds a person's view from what is known of them; pure. */
public final class PersonViews {

    /** A cancelled discharge: the visit has no discharge time any more, whatever its PV1-45 says. */
    private static final String CANCEL_DISCHARGE = "A13";
    /** A visit deleted at its source (A23): it should never have been recorded, so the view leaves it out. */
    private static final String ENTERED_IN_ERROR = "entered-in-error";
    /** Triggers that begin a stay: admission, registration (a pre-admission or pending admission plans one). */
    private static final Set<String> OPENS_A_VISIT = Set.of("A01", "A04");
    /** Triggers that plan a visit: pre-admission, pending admission. */
    private static final Set<String> PLANS_A_VISIT = Set.of("A05", "A14");
    private static final String ADMITS = "A01";
    /** Triggers that cancel a planned visit: cancelled pending admission, cancelled pre-admission. */
    private static final Set<String> CANCELS_A_PLAN = Set.of("A27", "A38");
    private static final String FINISHED = "finished";
    /** The statuses of a patient in hospital: on a ward, or on leave from one. */
    private static final Set<String> IN_HOSPITAL = Set.of("in-progress", "onleave");
    /**
     * What brings a finished visit back into hospital: a cancelled discharge (A13), an admission (A01) or an
     * attendance becoming an admission (A06). A transfer, leave or return from it, or their cancellation (A02, A12,
     * A21, A22, A52, A53) recorded after the discharge says where the patient was, not that they are back.
     */
    private static final Set<String> REOPENS_A_FINISHED_VISIT = Set.of(CANCEL_DISCHARGE, "A01", "A06");

    /**
     * Latest collected first; results collected together grouped by the order they were reported under, each order's
     * in the laboratory's own sequence (OBX-1), so that a panel reads as its report did.
     */
    static final Comparator<DeduplicatedResult> AS_REPORTED = Comparator
            .comparing((DeduplicatedResult r) -> r.getCollectedAt() == null ? Instant.EPOCH
                    : r.getCollectedAt().getInstant()).reversed()
            .thenComparing(r -> r.getOrderCode() == null ? null : r.getOrderCode().getCode(),
                    Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingInt(DeduplicatedResult::getSetId)
            .thenComparing(DeduplicatedResult::getResultId);

    private PersonViews() {
    }

    /**
     * The view, its alerts checked against the results given by id only (see {@link #of(PersonState, List, Set,
     * Instant)}), for a caller without the person's versions: an alert whose result has since merged under another
     * id is left out.
     */
    public static PersonView of(PersonState state, List<DeduplicatedResult> results, Instant now) {
        Set<String> shown = new HashSet<>();
        for (DeduplicatedResult result : results) {
            if (!result.getRetracted()) {
                shown.add(result.getResultId());
            }
        }
        return of(state, results, shown, now);
    }

    /**
     * @param standingResultIds result ids that name a result the person still has, not retracted (at least those
     *                          the state's alerts are about: {@link PersonResults#standing})
     */
    static PersonView of(PersonState state, List<DeduplicatedResult> results, Set<String> standingResultIds,
                         Instant now) {
        PersonGolden golden = state.getGolden();
        PersonView.Builder view = PersonView.newBuilder()
                .setPersonId(state.getPersonId())
                .setVersion(state.getVersion())
                .setEncounters(encounters(state.getEncounters()))
                .setResults(results.stream().sorted(AS_REPORTED).toList())
                .setAlerts(standingAlerts(state.getAlerts(), standingResultIds))
                .setMergedPersonIds(state.getMergedPersonIds())
                .setUpdatedAt(now);
        if (golden != null) {
            view.setIdentifiers(golden.getIdentifiers())
                    .setNhsNumber(golden.getNhsNumber())
                    .setName(golden.getName())
                    .setBirthDate(golden.getBirthDate())
                    .setSex(golden.getSex())
                    .setAddress(golden.getAddress())
                    .setPhone(golden.getPhone())
                    .setDeceasedAt(golden.getDeceasedAt())
                    .setOtherNames(golden.getOtherNames())
                    .setOtherBirthDates(golden.getOtherBirthDates())
                    .setGeneralPractice(golden.getGeneralPractice())
                    .setRestricted(golden.getRestricted())
                    .setDeceased(golden.getDeceased());
        }
        return view.build();
    }

    /** The results the alerts are about, both of each. */
    static Set<String> resultIdsOf(List<RepeatTestAlert> alerts) {
        Set<String> ids = new HashSet<>();
        for (RepeatTestAlert alert : alerts) {
            ids.add(alert.getPrevious().getResultId());
            ids.add(alert.getCurrent().getResultId());
        }
        return ids;
    }

    /**
     * The alerts whose two results are still the person's and not retracted. An alert is an event, and stays on
     * alerts.repeat-tests whatever happens to its results; but the view shows what is known now, and an alert about a
     * result that moved to another person (a record separated from this one) or was withdrawn (W, wrong patient)
     * showed that other patient's value, facility and time in this person's view. The state keeps such alerts: if the
     * record is linked back, the alert shows again, and is not raised a second time.
     */
    private static List<RepeatTestAlert> standingAlerts(List<RepeatTestAlert> alerts,
                                                        Set<String> standingResultIds) {
        List<RepeatTestAlert> standing = alerts.stream()
                .filter(a -> standingResultIds.contains(a.getPrevious().getResultId())
                        && standingResultIds.contains(a.getCurrent().getResultId()))
                .toList();
        return standing.size() == alerts.size() ? alerts : standing;
    }

    /**
     * One entry per visit, from its events in {@link #READING_ORDER} (as the sender recorded them): each field shows
     * the latest event that stated it (an update without a status keeps the status it had), except that a cancelled
     * discharge (A13) takes the discharge time away and that a finished visit is back in hospital only by a
     * cancelled discharge or an admission ({@link #statusAfter}). Visit numbers tied by renumbering events
     * ({@code priorVisit}: an A06, A07, A50 or A42 with MRG-5) are one visit, shown under the number the latest of
     * those events gave it, whichever number each event came under. Events without a visit number belong to a visit of their source ({@link Whereabouts}):
     * a pre-admission or pending admission plans one, an admission joins the planned visit that waits for it or else
     * opens one, as a registration does; the others join the stay the source opened last before them (a numbered
     * visit is opened by the source's first event under its number), else its planned visit. A source that never
     * sends visit numbers has one stay at a time, and its transfer or discharge is about the visit it admitted, not
     * next month's it booked meanwhile; a source that sends them but leaves PV1-19 out of one message (a discharge
     * sent as {@code PV1|1}) means the visit it is in, not a visit of its own. Visits without a number are listed
     * after the numbered ones. A visit whose latest status is entered-in-error (deleted at its source by an A23) is
     * left out.
     */
    static List<EncounterView> encounters(List<SourcedEncounter> encounters) {
        List<SourcedEncounter> ordered = inReadingOrder(encounters);
        Map<String, Identifier> renumbered = renumbered(ordered.stream().map(SourcedEncounter::getEncounter).toList());
        Map<String, EncounterView> byVisit = new LinkedHashMap<>();
        Map<String, EncounterView> unnumbered = new LinkedHashMap<>();
        // Read only from events withoutSuperseded keeps (those without a number, and each (source, number)'s first),
        // so that compaction cannot change which visit an event without a number joins.
        Map<String, Whereabouts> whereabouts = new HashMap<>();
        Set<List<String>> numbersMet = new HashSet<>();
        for (SourcedEncounter sourced : ordered) {
            EncounterEvent e = sourced.getEncounter();
            String source = sourced.getSourceIdentifier();
            Whereabouts at = whereabouts.computeIfAbsent(source, Whereabouts::new);
            if (e.getVisit() == null) {
                Identifier numbered = at.visitOf(e.getTrigger());
                if (numbered != null) {
                    String key = visitKey(numbered);
                    byVisit.put(key, view(e, byVisit.get(key), numbered));
                } else {
                    String key = at.unnumberedKey;
                    unnumbered.put(key, view(e, unnumbered.get(key), null));
                }
                continue;
            }
            Identifier visit = renumbered.getOrDefault(visitKey(e.getVisit()), e.getVisit());
            String key = visitKey(visit);
            if (numbersMet.add(List.of(source, visitKey(e.getVisit())))) {
                at.stayIn(visit);
            }
            byVisit.put(key, view(e, byVisit.get(key), visit));
        }
        List<EncounterView> all = new ArrayList<>(byVisit.values());
        all.addAll(unnumbered.values());
        all.removeIf(v -> ENTERED_IN_ERROR.equals(v.getStatus()));
        return all;
    }

    /**
     * Which visit a source's events without a visit number are about, as {@link #encounters} reads them. A source
     * tracks two: the stay the patient is in (the numbered visit it opened last, or the last it admitted or
     * registered without a number) and the visit it planned last without a number (a pre-admission or pending
     * admission, A05 or A14). A pre-admission booked during a stay for next month is not where the stay's transfers
     * and discharge go; the admission it plans (an A01 while it is open) is that visit, not another.
     */
    private static final class Whereabouts {
        private final String source;
        private int opened;
        /** The stay when numbered, else null. */
        private Identifier stay;
        /** The stay when without a number, else null. */
        private String stayWithoutNumber;
        private String planned;
        /** Whether the planned visit still waits for its admission: neither admitted to nor cancelled. */
        private boolean plannedOpen;
        /** The visit without a number that the event just read joins, when {@link #visitOf} gives no numbered one. */
        private String unnumberedKey;

        Whereabouts(String source) {
            this.source = source;
        }

        /** The numbered visit an event without a number and with this trigger is about; else sets its key. */
        Identifier visitOf(String trigger) {
            if (PLANS_A_VISIT.contains(trigger)) {
                planned = unnumberedKey = next();
                plannedOpen = true;
            } else if (ADMITS.equals(trigger) && plannedOpen) {
                stayIn(planned);
                plannedOpen = false;
            } else if (OPENS_A_VISIT.contains(trigger)) {
                stayIn(next());
            } else if (CANCELS_A_PLAN.contains(trigger) && plannedOpen) {
                unnumberedKey = planned;
                plannedOpen = false;
            } else if (stay != null) {
                return stay;
            } else if (stayWithoutNumber != null) {
                unnumberedKey = stayWithoutNumber;
            } else if (planned != null) {
                unnumberedKey = planned;
            } else {
                // Nothing opened yet (its admission not sent, or removed): a visit of its own, which later events join.
                stayIn(source + "#0");
            }
            return null;
        }

        /** The source's first event under this number: a numbered visit opened. */
        void stayIn(Identifier visit) {
            stay = visit;
            stayWithoutNumber = null;
        }

        private void stayIn(String key) {
            stay = null;
            stayWithoutNumber = unnumberedKey = key;
        }

        private String next() {
            return source + "#" + ++opened;
        }
    }

    /**
     * Each visit number that renumbering events tie to others, and the number the latest of them gave: numbers tied
     * directly or through others are one visit. Depends only on the set of renumbering events and their order, never
     * on other events, so that {@link #withoutSuperseded} can drop other events without changing it.
     */
    private static Map<String, Identifier> renumbered(List<EncounterEvent> ordered) {
        Map<String, String> parent = new HashMap<>();
        List<EncounterEvent> renumberings = new ArrayList<>();
        for (EncounterEvent e : ordered) {
            if (renumbers(e)) {
                renumberings.add(e);
                String a = root(parent, visitKey(e.getVisit()));
                String b = root(parent, visitKey(e.getPriorVisit()));
                if (!a.equals(b)) {
                    parent.put(b, a);
                }
            }
        }
        Map<String, Identifier> latestByRoot = new HashMap<>();
        for (EncounterEvent e : renumberings) {
            latestByRoot.put(root(parent, visitKey(e.getVisit())), e.getVisit());
        }
        Map<String, Identifier> shown = new HashMap<>();
        for (String key : parent.keySet()) {
            shown.put(key, latestByRoot.get(root(parent, key)));
        }
        for (Map.Entry<String, Identifier> latest : latestByRoot.entrySet()) {
            shown.put(latest.getKey(), latest.getValue());
        }
        return shown;
    }

    private static String root(Map<String, String> parent, String key) {
        String at = key;
        for (String up = parent.get(at); up != null; up = parent.get(at)) {
            at = up;
        }
        return at;
    }

    private static boolean renumbers(EncounterEvent e) {
        return e.getVisit() != null && e.getPriorVisit() != null
                && !visitKey(e.getPriorVisit()).equals(visitKey(e.getVisit()));
    }

    /**
     * The person's encounter events less those that can no longer show in {@link #encounters}: within one source's
     * events for one visit number (in the order {@code encounters} reads them), every event but the first (it places
     * the visit in the list), the last (its facility shows) and the last to state each field (a cancelled discharge
     * states that there is no discharge time; of the statuses, the last that a finished visit ignores and the last of
     * the others, which together decide it). Events without a visit number, and events that renumber a visit, are
     * all kept. So {@code encounters} gives the same list for the result as for the argument, also after any later
     * events (in any order) and after any source's events are removed, and a long stay's
     * updates (an A08 for every move or change) do not pile up in the person's state, which is rewritten at every
     * commit that touches the person. The kept events stay in the order given.
     */
    static List<SourcedEncounter> withoutSuperseded(List<SourcedEncounter> encounters) {
        List<Integer> order = new ArrayList<>(encounters.size());
        for (int i = 0; i < encounters.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(encounters::get, READING_ORDER));
        Map<List<String>, int[]> shownBy = new HashMap<>();
        boolean[] keep = new boolean[encounters.size()];
        for (int i : order) {
            SourcedEncounter sourced = encounters.get(i);
            EncounterEvent e = sourced.getEncounter();
            if (e.getVisit() == null || renumbers(e)) {
                keep[i] = true;
                if (e.getVisit() == null) {
                    continue;
                }
            }
            List<String> group = List.of(sourced.getSourceIdentifier(), visitKey(e.getVisit()));
            // The events that show: [0] the first, [1] the last, [2..7] the last to state each field below. A status
            // that a finished visit ignores counts apart from the others: the visit's status is the latest of the
            // others, or the latest ignorable one after it unless that other is "finished".
            int[] shown = shownBy.computeIfAbsent(group, g -> new int[] {i, -1, -1, -1, -1, -1, -1, -1});
            shown[1] = i;
            boolean ignorable = e.getStatus() != null && keepsAFinishedVisitFinished(e);
            Object[] fields = {e.getPatientClass(), e.getAdmittedAt(), dischargeStated(e), e.getLocation(),
                ignorable ? null : e.getStatus(), ignorable ? e.getStatus() : null};
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

    private static Object dischargeStated(EncounterEvent e) {
        return CANCEL_DISCHARGE.equals(e.getTrigger()) ? Boolean.TRUE : e.getDischargedAt();
    }

    /**
     * By receive time; within one message, a visit taken away from one record comes before what the message states
     * about it: a visit moved (A45) between two records of one person removes it from the first and states it under
     * the second, and the person's view must show it.
     */
    /**
     * The order a person's encounter events are read in: when the sender recorded them (EVN-2 or MSH-7), else when
     * careweave received them; then as received; a removal first among events of one moment (an A45 moves a visit in
     * one message: its removal from one record, then its statement under the other). An admission that an interface
     * engine delivered after the discharge (held in a queue, resent after an outage) is then read before it, and does
     * not put a discharged patient back on the ward.
     */
    static final Comparator<SourcedEncounter> READING_ORDER = Comparator
            .comparing((SourcedEncounter e) -> recordedOrReceived(e.getEncounter()))
            .thenComparing(e -> e.getEncounter().getProvenance().getReceivedAt())
            .thenComparing(e -> !ENTERED_IN_ERROR.equals(e.getEncounter().getStatus()));

    private static Instant recordedOrReceived(EncounterEvent e) {
        return e.getRecordedAt() != null ? e.getRecordedAt() : e.getProvenance().getReceivedAt();
    }

    private static List<SourcedEncounter> inReadingOrder(List<SourcedEncounter> encounters) {
        return encounters.stream().sorted(READING_ORDER).toList();
    }

    private static String visitKey(Identifier visit) {
        return visit.getSystem() + "|" + visit.getValue();
    }

    private static EncounterView view(EncounterEvent e, EncounterView before, Identifier visit) {
        Instant discharged = CANCEL_DISCHARGE.equals(e.getTrigger()) ? null
                : firstNonNull(e.getDischargedAt(), before == null ? null : before.getDischargedAt());
        return EncounterView.newBuilder()
                .setVisit(visit)
                .setPatientClass(firstNonNull(e.getPatientClass(), before == null ? null : before.getPatientClass()))
                .setAdmittedAt(firstNonNull(e.getAdmittedAt(), before == null ? null : before.getAdmittedAt()))
                .setDischargedAt(discharged)
                .setLocation(firstNonNull(e.getLocation(), before == null ? null : before.getLocation()))
                .setStatus(statusAfter(e, before == null ? null : before.getStatus()))
                .setSendingFacility(e.getProvenance().getSendingFacility())
                .build();
    }

    /**
     * The visit's status after the event: the one it states, except that a finished visit stays finished under a
     * status of a patient in hospital that is not {@linkplain #REOPENS_A_FINISHED_VISIT an admission or a cancelled
     * discharge}. A PAS that records a cancelled transfer (A12) after the discharge would otherwise show a discharged
     * patient as on the ward, with their discharge time.
     */
    private static String statusAfter(EncounterEvent e, String before) {
        if (e.getStatus() == null) {
            return before;
        }
        return FINISHED.equals(before) && keepsAFinishedVisitFinished(e) ? before : e.getStatus();
    }

    /** Whether the event states a patient in hospital that does not bring a finished visit back. */
    private static boolean keepsAFinishedVisitFinished(EncounterEvent e) {
        return IN_HOSPITAL.contains(e.getStatus()) && !REOPENS_A_FINISHED_VISIT.contains(e.getTrigger());
    }

    private static <T> T firstNonNull(T a, T b) {
        return a != null ? a : b;
    }
}
