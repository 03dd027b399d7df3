package org.careweave.processors.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.careweave.events.Identifier;
import org.careweave.events.IdentityLink;
import org.careweave.events.IdentityReview;
import org.careweave.events.LinkStatus;
import org.careweave.events.MatchEvidence;
import org.careweave.events.PatientEvent;
import org.careweave.events.PatientEventKind;
import org.careweave.events.ReviewDecision;
import org.careweave.events.ReviewVerdict;
import org.careweave.processors.identity.matching.Evidence;
import org.careweave.processors.identity.matching.MatchOutcome;
import org.careweave.processors.identity.matching.MatchResult;
import org.careweave.processors.identity.matching.Matcher;
import org.careweave.processors.identity.matching.PreparedDemographics;
import org.careweave.schemas.keys.ReviewPairIds;

/**
 * The identity rules: which person each source record belongs to. Deterministic given the same events in the same
 * order (person ids are derived from the founding record and a sequence), so replay gives the same links.
 *
 * <ol>
 *   <li>A valid NHS number links records: a record carrying NHS number N joins the person who has N.</li>
 *   <li>Two records with different valid NHS numbers are never linked, by any rule.</li>
 *   <li>A local identifier already linked to a person whose NHS number differs from the one now sent is not moved:
 *       the conflict goes to review.</li>
 *   <li>Without a shared NHS number, a new record is compared with candidate records found through several blocking
 *       keys; the best LINK joins that person, REVIEW candidates go to review, otherwise a new person begins.</li>
 *   <li>A merge (A40/A34/A39) moves the prior identifiers' person, with all its history, into the survivor.</li>
 * </ol>
 *
 * <p>Not thread-safe: it keeps recently compared records' prepared demographics, so each task has its own.
 */
public final class MasterPatientIndex {

    public static final String NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    private static final int MAX_BLOCK = 200;
    /**
     * How many records' prepared demographics are kept for comparing them again. Preparing a candidate (normalising,
     * bigrams, Soundex) was two thirds of comparing it; a record filed in a block is a candidate for every later
     * record of that block. About 1 KB each, and each keeps the record it was prepared from alive (usually also in
     * the source records store's cache).
     */
    static final int PREPARED_CANDIDATES = 20_000;

    /**
     * Delete person information (A29): the sender withdraws a registration; its event clears every field, and for a
     * record careweave never had it would found an empty person.
     */
    static final String DELETE_PERSON = "A29";
    /**
     * A change of patient identifier (A47, and its older name A46): "this identifier of the patient was wrong". For a
     * local number (a temporary A&amp;E number) everything filed under it belongs to the patient, as after a merge;
     * for an NHS number it does not, as other organisations' records of its true owner carry it too.
     */
    static final Set<String> CHANGE_OF_IDENTIFIER = Set.of("A47", "A46");

    private final Matcher matcher;
    /** By source key, with the record they were prepared from: a record changed since is a different instance. */
    private final Map<String, PreparedCandidate> preparedCandidates =
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, PreparedCandidate> eldest) {
                    return size() > PREPARED_CANDIDATES;
                }
            };

    private record PreparedCandidate(SourceRecord from, PreparedDemographics demographics) {
    }

    public MasterPatientIndex(Matcher matcher) {
        this.matcher = matcher;
    }

    /**
     * The demographics of the record an event is about, prepared for matching and turned into blocking keys once per
     * event, when first needed (deciding, filing, and absorbing earlier records all use them).
     */
    private final class Prepared {
        private final SourceRecord record;
        private PreparedDemographics demographics;
        private Set<String> blockingKeys;

        Prepared(SourceRecord record) {
            this.record = record;
        }

        PreparedDemographics demographics() {
            if (demographics == null) {
                demographics = matcher.prepare(SourceRecords.demographics(record));
            }
            return demographics;
        }

        Set<String> blockingKeys() {
            if (blockingKeys == null) {
                blockingKeys = matcher.blockingKeys(demographics());
            }
            return blockingKeys;
        }
    }

    public IdentityDecisions apply(PatientEvent event, MpiState state) {
        IdentityDecisions decisions = new IdentityDecisions();
        Instant now = event.getProvenance().getReceivedAt();
        String facility = event.getProvenance().getSendingFacility();
        List<String> identifiers = validIdentifiers(event.getIdentifiers());
        String nhs = validNhsNumber(event.getIdentifiers());
        String sourceKey = sourceKey(event.getIdentifiers(), facility, nhs);
        if (sourceKey == null) {
            return decisions; // nothing usable to link: ingest refuses such messages, so only old data gets here
        }
        Optional<SourceRecord> previous = state.sourceRecord(sourceKey);
        if (previous.isEmpty() && DELETE_PERSON.equals(event.getTrigger())) {
            return decisions; // a registration withdrawn (A29) that never reached careweave: nothing to withdraw
        }
        if (previous.isEmpty() && event.getKind() == PatientEventKind.UNLINK
                && identifiers.stream().noneMatch(id -> state.personOf(id).isPresent())) {
            return decisions; // an unlink (A37) of a record careweave never had linked: nothing to undo
        }
        SourceRecord record = SourceRecords.update(previous, sourceKey, facility, identifiers, nhs, event);

        Prepared prepared = new Prepared(record);
        Target target = resolve(record, nhs, prepared, previous, state, decisions, event, now);
        if (nhs != null && nhs.equals(record.nhsNumber())
                && VERIFIED_TRACE_STATUS.equals(record.value(SourceRecord.NHS_NUMBER_STATUS))) {
            // The sender has traced the number the record carries: an unresolved trace it flagged is answered.
            decisions.answered(new IdentityDecisions.Answered(tracePairId(sourceKey, nhs),
                    sourceKey, sourceKey, "NHS number status " + VERIFIED_TRACE_STATUS));
            // A review raised before the twenty-ninth session, when its id did not name the number.
            decisions.answered(new IdentityDecisions.Answered(pairId(sourceKey, sourceKey, TRACE_UNRESOLVED),
                    sourceKey, sourceKey, "NHS number status " + VERIFIED_TRACE_STATUS));
        }
        if (target != null) {
            attach(record, prepared, target.personId(), state, decisions, event, target.rule(), null, List.of(),
                    now);
            if (previous.isEmpty() && !target.rule().equals("NEW_RECORD")) {
                absorbMatchingRecords(prepared, target.personId(), state, decisions, event, now);
            } else if (previous.isPresent() && target.rule().equals("SOURCE_RECORD")
                    && !SourceRecords.demographics(previous.get()).equals(SourceRecords.demographics(record))) {
                // Nothing moves on an update (rule 3), but a record whose source changed its details to someone
                // else's no longer agrees with the records it was placed with.
                questionDemographics(record, prepared, target.personId(), state, decisions, now,
                        record.nhsNumber() != null ? "NHS_NUMBER_DEMOGRAPHICS_DISAGREE" : DEMOGRAPHICS_CHANGED);
            }
        }
        if (event.getKind() == PatientEventKind.MERGE && event.getMerge() != null) {
            String survivor = state.sourceRecord(sourceKey).map(SourceRecord::personId).orElse(null);
            if (survivor != null) {
                boolean changeOfIdentifier = CHANGE_OF_IDENTIFIER.contains(event.getTrigger());
                for (String prior : validIdentifiers(event.getMerge().getPriorIdentifiers())) {
                    // An NHS number failing its checks, or a placeholder ("UNKNOWN"), names no one to merge.
                    if (changeOfIdentifier && prior.startsWith(NHS_SYSTEM + "|")) {
                        // The record's own NHS number was wrong and is changed: followed above, as any change of its
                        // number. Folding in whoever else holds the old number would merge another patient into it.
                        continue;
                    }
                    mergeIdentifierInto(prior, survivor, state, decisions, event, now);
                }
            }
        }
        boolean link = event.getKind() == PatientEventKind.LINK;
        if (link || event.getKind() == PatientEventKind.UNLINK) {
            List<Identifier> linked = event.getLinkedIdentifiers();
            String linkedNhs = validNhsNumber(linked);
            // The other record, named as identity names records: by its first local identifier, or facility and NHS.
            String linkedKey = sourceKey(linked, facility, linkedNhs);
            Optional<String> personId = state.sourceRecord(sourceKey).map(SourceRecord::personId)
                    .map(p -> live(p, state));
            if (linkedKey != null && personId.isPresent()) {
                if (link) {
                    linkRecords(sourceKey, personId.get(), linkedKey, linkedNhs, event, state, decisions, now);
                } else {
                    unlinkRecords(sourceKey, personId.get(), linkedKey, linkedNhs, event, state, decisions, now);
                }
            }
        }
        return decisions;
    }

    /**
     * A sender's link (A24): the other record (the second PID) is the same patient as this one. Its person and this
     * one become one, the younger into the older as for a decided pair, since a link names no survivor (rule
     * {@code SENDER_LINK}); its local identifiers careweave has not seen yet are linked here, so that its record joins
     * this person when it comes. An NHS number careweave has not seen is not linked: it joins a person with a record
     * that carries it, where the NHS number rules can see it. Two records with different valid NHS numbers are never
     * linked: the link is raised for review instead ({@code LINK_WITH_CONFLICTING_NHS_NUMBERS}).
     */
    private void linkRecords(String sourceKey, String personId, String linkedKey, String linkedNhs,
                             PatientEvent event, MpiState state, IdentityDecisions decisions, Instant now) {
        List<String> identifiers = validIdentifiers(event.getLinkedIdentifiers());
        Set<String> others = new LinkedHashSet<>();
        for (String id : identifiers) {
            state.personOf(id).map(p -> live(p, state)).filter(p -> !p.equals(personId)).ifPresent(others::add);
        }
        Set<String> theirNhsNumbers = new LinkedHashSet<>();
        if (linkedNhs != null) {
            theirNhsNumbers.add(linkedNhs);
        }
        others.forEach(o -> theirNhsNumbers.addAll(state.person(o).orElseThrow().nhsNumbers()));
        List<String> ourNhsNumbers = state.person(personId).orElseThrow().nhsNumbers();
        if (!ourNhsNumbers.isEmpty() && !theirNhsNumbers.isEmpty()
                && theirNhsNumbers.stream().noneMatch(ourNhsNumbers::contains)) {
            decisions.review(review(sourceKey, linkedKey, personId, others.stream().findFirst().orElse(null),
                    "LINK_WITH_CONFLICTING_NHS_NUMBERS", null, List.of(), now));
            return;
        }
        String target = personId;
        for (String other : others) {
            Person a = state.person(target).orElseThrow();
            Person b = state.person(other).orElseThrow();
            Person older = a.sequence() <= b.sequence() ? a : b;
            Person younger = older == a ? b : a;
            mergePersons(younger.personId(), older.personId(), state, decisions, event, "SENDER_LINK", now);
            target = older.personId();
        }
        for (String id : identifiers) {
            if (!id.startsWith(NHS_SYSTEM + "|") && state.personOf(id).isEmpty()) {
                state.link(id, target);
                decisions.link(link(id, target, "SENDER_LINK", null, List.of(), event, now));
                decisions.changed(target);
            }
        }
    }

    /**
     * A sender's unlink (A37): the other record (the second PID) is not the same patient as this one after all.
     * When the two are on one person, the other record moves to a person of its own, as when a person separates a
     * false link (rule {@code SENDER_UNLINK}), and probabilistic matching never joins the two again. Refused, and
     * raised for review ({@code UNLINK_REFUSED}, its evidence saying why), when the two records share an NHS number or
     * another identifier: those links are statements too, to be corrected first. The other record's identifiers that
     * careweave holds without a record of theirs (linked by an earlier A24) move to a person of their own, so that
     * the record joins that person, not this one, when it comes.
     */
    private void unlinkRecords(String sourceKey, String personId, String linkedKey, String linkedNhs,
                               PatientEvent event, MpiState state, IdentityDecisions decisions, Instant now) {
        List<String> local = validIdentifiers(event.getLinkedIdentifiers()).stream()
                .filter(id -> !id.startsWith(NHS_SYSTEM + "|")).toList();
        String otherKey = null;
        String otherPerson = null;
        for (String id : local) {
            Optional<String> p = state.personOf(id).map(q -> live(q, state));
            if (p.isPresent()) {
                String k = sourceKeyOf(id, p.get(), state);
                if (state.sourceRecord(k).isPresent()) {
                    otherKey = k;
                    otherPerson = p.get();
                    break;
                }
            }
        }
        String refusal = null;
        if (otherKey == null) {
            if (linkedNhs != null && state.person(personId).orElseThrow().nhsNumbers().contains(linkedNhs)) {
                refusal = "SHARED_NHS_NUMBER";
            } else {
                List<String> bare = local.stream()
                        .filter(id -> state.personOf(id).map(p -> live(p, state)).filter(personId::equals).isPresent())
                        .toList();
                if (!bare.isEmpty()) {
                    String apart = newPerson(bare.get(0), state);
                    for (String id : bare) {
                        state.link(id, apart);
                        decisions.link(link(id, apart, "SENDER_UNLINK", null, List.of(), event, now));
                    }
                }
                // Kept as for two records on one person: when the other record comes, demographics that match do
                // not join the two again.
                state.decideDifferent(sourceKey, linkedKey);
                return;
            }
        } else if (otherKey.equals(sourceKey)) {
            refusal = "SAME_RECORD";
        } else if (otherPerson.equals(personId)) {
            refusal = separate(otherKey, personId, state, decisions, "SENDER_UNLINK", List.of(), event, now);
        }
        if (refusal != null) {
            decisions.review(review(sourceKey, otherKey == null ? linkedKey : otherKey, personId, personId,
                    "UNLINK_REFUSED", null, List.of(MatchEvidence.newBuilder().setComparison("refused because")
                            .setLevel(refusal).setWeight(0).build()), now));
            return;
        }
        state.decideDifferent(sourceKey, otherKey);
    }

    /** What a review decision did: the links and golden records it changed, or why it was refused. */
    public record Decided(IdentityDecisions decisions, String refusal) {

        public boolean accepted() {
            return refusal == null;
        }
    }

    /**
     * Applies a person's decision on a review pair. SAME_PERSON merges the two persons (the younger into the older,
     * rule {@code REVIEW_DECISION}), unless they hold different NHS numbers, which are never linked. DIFFERENT_PERSONS
     * keeps the two records apart from then on: probabilistic matching neither links them nor raises them again; when
     * they are already on one person (a false link), the left record moves to a person of its own
     * ({@link #separate}). A decision naming a record identity has never seen is refused.
     */
    public Decided decide(ReviewDecision decision, MpiState state) {
        IdentityDecisions decisions = new IdentityDecisions();
        Optional<String> left = reviewedPerson(decision.getLeftIdentifier(), state);
        Optional<String> right = reviewedPerson(decision.getRightIdentifier(), state);
        if (left.isEmpty() || right.isEmpty()) {
            return new Decided(decisions, "UNKNOWN_RECORD");
        }
        Instant now = decision.getDecidedAt();
        if (decision.getVerdict() == ReviewVerdict.DIFFERENT_PERSONS) {
            // Matching compares source records, so the decision is kept between source keys where it names another
            // of a record's identifiers.
            String leftKey = sourceKeyOf(decision.getLeftIdentifier(), left.get(), state);
            String rightKey = sourceKeyOf(decision.getRightIdentifier(), right.get(), state);
            if (leftKey.equals(rightKey)) {
                // A review that questions one record (NHS_NUMBER_CHANGED): it is not two patients to tell apart.
                return new Decided(decisions, "SAME_RECORD");
            }
            if (left.get().equals(right.get())) {
                String refusal = separate(leftKey, left.get(), state, decisions, "REVIEW_DECISION",
                        decisionEvidence(decision), null, now);
                if (refusal != null) {
                    return new Decided(decisions, refusal);
                }
            }
            state.decideDifferent(leftKey, rightKey);
            return new Decided(decisions, null);
        }
        if (left.get().equals(right.get())) {
            return new Decided(decisions, null);
        }
        Person a = state.person(left.get()).orElseThrow();
        Person b = state.person(right.get()).orElseThrow();
        if (!a.nhsNumbers().isEmpty() && !b.nhsNumbers().isEmpty()
                && a.nhsNumbers().stream().noneMatch(b.nhsNumbers()::contains)) {
            return new Decided(decisions, "DIFFERENT_NHS_NUMBERS");
        }
        Person older = a.sequence() <= b.sequence() ? a : b;
        Person younger = older == a ? b : a;
        mergePersons(younger.personId(), older.personId(), state, decisions, null, "REVIEW_DECISION", null,
                decisionEvidence(decision), now);
        return new Decided(decisions, null);
    }

    private static List<MatchEvidence> decisionEvidence(ReviewDecision decision) {
        return List.of(
                MatchEvidence.newBuilder().setComparison("review pair").setLevel(decision.getPairId())
                        .setWeight(0).build(),
                MatchEvidence.newBuilder().setComparison("decided by").setLevel(decision.getDecidedBy())
                        .setWeight(0).build());
    }

    /**
     * Undoes a false link: the source record moves from its person to a new person of its own, with its identifiers
     * (links with the given rule: {@code REVIEW_DECISION}, or {@code SENDER_UNLINK} for an A37); both golden records
     * are rebuilt, and downstream its results and encounters follow its identifiers to the new person. Refused,
     * returning why, when the record is not a source record, is its person's only record, or shares an NHS number or
     * another identifier with a record that stays: those links are statements of the organisations, to be corrected
     * at the source.
     *
     * @return null when done, otherwise the reason it was refused
     */
    private String separate(String sourceKey, String personId, MpiState state, IdentityDecisions decisions,
                            String rule, List<MatchEvidence> evidence, PatientEvent event, Instant now) {
        Optional<SourceRecord> found = state.sourceRecord(sourceKey);
        if (found.isEmpty()) {
            return "NOT_A_SOURCE_RECORD";
        }
        SourceRecord record = found.get();
        Person person = state.person(personId).orElseThrow();
        List<String> staying = new ArrayList<>(person.sourceKeys());
        staying.remove(sourceKey);
        if (staying.isEmpty()) {
            return "NOTHING_TO_SEPARATE";
        }
        for (String other : staying) {
            SourceRecord o = state.sourceRecord(other).orElseThrow();
            if (record.nhsNumber() != null && record.nhsNumber().equals(o.nhsNumber())) {
                return "SHARED_NHS_NUMBER";
            }
            if (record.identifiers().stream().anyMatch(o.identifiers()::contains)) {
                return "SHARED_IDENTIFIER";
            }
        }
        String separated = newPerson(sourceKey, state);
        Person fresh = state.person(separated).orElseThrow();
        List<String> nhsNumbers = record.nhsNumber() == null ? List.of() : List.of(record.nhsNumber());
        state.put(new Person(separated, fresh.sequence(), List.of(sourceKey), nhsNumbers, null, List.of(), 1));
        List<String> remainingNhs = new ArrayList<>(person.nhsNumbers());
        remainingNhs.removeAll(nhsNumbers);
        state.put(new Person(personId, person.sequence(), staying, remainingNhs, null, person.mergedFrom(),
                person.version() + 1));
        state.put(record.withPerson(separated));
        for (String id : record.identifiers()) {
            // An NHS number another person holds stays theirs: the record, having just taken it, joins them next.
            if (id.startsWith(NHS_SYSTEM + "|")
                    && state.personOf(id).map(p -> live(p, state)).filter(p -> !p.equals(personId)).isPresent()) {
                continue;
            }
            state.link(id, separated);
            decisions.link(link(id, separated, rule, null, evidence, event, now));
        }
        decisions.changed(personId);
        decisions.changed(separated);
        return null;
    }

    /** The source record of the person that carries this identifier; the identifier itself when none does. */
    private static String sourceKeyOf(String identifier, String personId, MpiState state) {
        if (state.sourceRecord(identifier).isPresent()) {
            return identifier;
        }
        for (String sourceKey : state.person(personId).map(Person::sourceKeys).orElse(List.of())) {
            if (state.sourceRecord(sourceKey).map(r -> r.identifiers().contains(identifier)).orElse(false)) {
                return sourceKey;
            }
        }
        return identifier;
    }

    /** A review names records by source key, or by an identifier linked to a person (an NHS number). */
    static Optional<String> reviewedPerson(String identifier, MpiState state) {
        return state.sourceRecord(identifier).map(SourceRecord::personId)
                .or(() -> state.personOf(identifier))
                .map(p -> live(p, state));
    }

    /** The person a record goes to, and the rule that says so (recorded on the links it makes). */
    private record Target(String personId, String rule) {
    }

    /**
     * The person this record belongs to, or null when nothing is left to attach: a conflict leaves it where it was
     * (flagged for review), or a probabilistic link has already attached it with its score.
     *
     * @param sent the valid NHS number the event carries (null: none), which the record may not have taken
     */
    private Target resolve(SourceRecord record, String sent, Prepared prepared, Optional<SourceRecord> previous,
                           MpiState state, IdentityDecisions decisions, PatientEvent event, Instant now) {
        String nhs = record.nhsNumber();
        if (sent != null && !sent.equals(nhs)) {
            // The record keeps the number it has (this message's is older, or a laboratory's echo of a request form):
            // flagged, and nothing moves.
            decisions.review(review(record.sourceKey(), nhsKey(sent),
                    previous.map(SourceRecord::personId).map(p -> live(p, state)).orElse(null), null,
                    "CONFLICTING_NHS_NUMBER", null, List.of(), now));
            return null;
        }
        String withdrawn = previous.map(SourceRecord::nhsNumber).filter(n -> nhs != null && !n.equals(nhs))
                .orElse(null);
        if (withdrawn != null) {
            previous = followNewNhsNumber(record, previous.get(), withdrawn, state, decisions, now);
            if (previous.isEmpty()) {
                decisions.review(review(record.sourceKey(), nhsKey(nhs), null, null, "CONFLICTING_NHS_NUMBER", null,
                        List.of(), now));
                return null;
            }
        }
        Set<String> linkedPersons = new LinkedHashSet<>();
        previous.map(SourceRecord::personId).map(p -> live(p, state)).ifPresent(linkedPersons::add);
        for (String id : record.identifiers()) {
            if (!id.startsWith(NHS_SYSTEM + "|")) {
                state.personOf(id).map(p -> live(p, state)).ifPresent(linkedPersons::add);
            }
        }
        if (nhs != null) {
            for (String p : linkedPersons) {
                Person person = state.person(p).orElseThrow();
                if (!person.nhsNumbers().isEmpty() && !person.nhsNumbers().contains(nhs)) {
                    decisions.review(review(record.sourceKey(), nhsKey(nhs), p, null, "CONFLICTING_NHS_NUMBER",
                            null, List.of(), now));
                    return null;
                }
            }
            Optional<String> byNhs = state.personOf(nhsKey(nhs)).map(p -> live(p, state));
            if (byNhs.isPresent()) {
                if (!linkedPersons.contains(byNhs.get())) {
                    questionDemographics(record, prepared, byNhs.get(), state, decisions, now,
                            "NHS_NUMBER_DEMOGRAPHICS_DISAGREE");
                    flagUnresolvedTraces(record, byNhs.get(), state, decisions, now);
                }
                for (String other : linkedPersons) {
                    if (!other.equals(byNhs.get())) {
                        mergePersons(other, byNhs.get(), state, decisions, event, "NHS_NUMBER", now);
                    }
                }
                return new Target(byNhs.get(), "NHS_NUMBER");
            }
        }
        if (!linkedPersons.isEmpty()) {
            List<String> numbered = linkedPersons.stream()
                    .filter(p -> !state.person(p).orElseThrow().nhsNumbers().isEmpty()).toList();
            if (numbered.size() > 1) {
                // The record names local identifiers of two persons that hold different NHS numbers (a person's
                // numbers are its own: two persons never share one). Joining them through it would link two valid
                // NHS numbers: flagged, and nothing moves, as for a record that states a conflicting number.
                decisions.review(review(record.sourceKey(), firstSourceKey(numbered.get(1), state), numbered.get(0),
                        numbered.get(1), "CONFLICTING_NHS_NUMBER", null, List.of(), now));
                return null;
            }
            List<String> ordered = linkedPersons.stream()
                    .sorted(Comparator.comparingLong(p -> state.person(p).orElseThrow().sequence())).toList();
            String oldest = ordered.get(0);
            for (String other : ordered.subList(1, ordered.size())) {
                mergePersons(other, oldest, state, decisions, event, "SAME_SOURCE_RECORD", now);
            }
            // The record's own earlier statement, or another record that shares one of its local identifiers.
            boolean ownRecord = previous.map(SourceRecord::personId).map(p -> live(p, state))
                    .filter(oldest::equals).isPresent();
            return new Target(oldest, ownRecord ? "SOURCE_RECORD" : "SHARED_IDENTIFIER");
        }
        String created = matchOrCreate(record, prepared, state, decisions, event, now);
        return created == null ? null : new Target(created, "NEW_RECORD");
    }

    /**
     * A record whose source changed its NHS number: a trace found that the number it had was another patient's, or
     * the national service retired one of a patient's two numbers. The source states its own record, so the record
     * follows the new number (rules 2 and 3 then place it), and the change is raised for review
     * ({@code NHS_NUMBER_CHANGED}, the record on both sides: a records team that finds the new number wrong has it
     * corrected at the source, and closes the review with same-person). Until the twenty-third session nothing moved:
     * a record keyed with another patient's number stayed on that patient's person, its results on show there, after
     * the hospital had corrected it.
     * <ul>
     * <li>When another record of its person still states another NHS number, the two cannot stay one person (two
     * records with different valid NHS numbers are never linked): the record leaves it with its identifiers, as a
     * separation does ({@link #separate}), unless it shares an identifier with a record that stays.</li>
     * <li>Otherwise the withdrawn number was this record's alone: the person no longer holds it, and the next record
     * to carry it is not filed here.</li>
     * </ul>
     *
     * @return the record's earlier state as now placed, or empty when it could not leave its person
     */
    private Optional<SourceRecord> followNewNhsNumber(SourceRecord record, SourceRecord previous, String withdrawn,
                                                      MpiState state, IdentityDecisions decisions, Instant now) {
        String personId = live(previous.personId(), state);
        Person person = state.person(personId).orElseThrow();
        boolean parted = person.sourceKeys().stream().filter(k -> !k.equals(record.sourceKey()))
                .map(state::sourceRecord).flatMap(Optional::stream)
                .anyMatch(other -> other.nhsNumber() != null && !other.nhsNumber().equals(record.nhsNumber()));
        String placed = personId;
        List<MatchEvidence> evidence = new ArrayList<>();
        // Stored as it now is, so that what moves it next (a separation, a merge by its new number) moves it without
        // the number it withdrew.
        state.put(record.withPerson(personId));
        if (parted) {
            String refusal = separate(record.sourceKey(), personId, state, decisions, "NHS_NUMBER_CHANGED",
                    List.of(), null, now);
            if (refusal != null) {
                state.put(previous);
                return Optional.empty();
            }
            placed = state.sourceRecord(record.sourceKey()).orElseThrow().personId();
            evidence.add(MatchEvidence.newBuilder().setComparison("left person").setLevel(personId).setWeight(0)
                    .build());
        } else {
            List<String> numbers = new ArrayList<>(person.nhsNumbers());
            numbers.remove(withdrawn);
            state.put(new Person(personId, person.sequence(), person.sourceKeys(), numbers, null,
                    person.mergedFrom(), person.version() + 1));
            if (state.personOf(nhsKey(withdrawn)).map(p -> live(p, state)).filter(personId::equals).isPresent()) {
                state.unlink(nhsKey(withdrawn));
            }
            decisions.changed(personId);
        }
        IdentityReview changed = review(record.sourceKey(), record.sourceKey(), placed, placed, "NHS_NUMBER_CHANGED",
                null, evidence, now);
        // Each change is a question of its own: a records team that confirmed the first has not seen the next.
        changed.setPairId(pairId(record.sourceKey(), "NHS number " + withdrawn + " to " + record.nhsNumber(),
                "NHS_NUMBER_CHANGED"));
        decisions.review(changed);
        return Optional.of(previous.withPerson(placed));
    }

    /**
     * PID-32 statuses with which the sender says its own trace of the number against the national spine failed
     * (04: no match or several) or found the number in conflict with the patient's details (05).
     */
    static final Set<String> UNRESOLVED_TRACE_STATUSES = Set.of("04", "05");
    /** PID-32 01: the number is present and verified against the spine. */
    static final String VERIFIED_TRACE_STATUS = "01";
    static final String TRACE_UNRESOLVED = "NHS_NUMBER_TRACE_UNRESOLVED";
    /** A record's details changed to disagree with every other record of its person ({@link #questionDemographics}). */
    static final String DEMOGRAPHICS_CHANGED = "DEMOGRAPHICS_CHANGED_DISAGREE";

    /**
     * Where an NHS number joins records of different sources, each of those records whose own sender could not
     * confirm the number ({@link #UNRESOLVED_TRACE_STATUSES}) is raised for review ({@code NHS_NUMBER_TRACE_UNRESOLVED},
     * the record on both sides): the number may be another patient's, and the person's view would then show that
     * record's results beside the other organisations'. The link stands (a valid NHS number is the organisations'
     * statement, rule 2); the records team checks the number with the sender. A later message from that sender stating
     * the same number verified (01) answers it, and the processor closes it as settled ({@link
     * IdentityDecisions#answered}). A record alone with its number shows nothing in anyone else's record, so it is not
     * raised until another record joins it.
     */
    private static void flagUnresolvedTraces(SourceRecord record, String personId, MpiState state,
                                             IdentityDecisions decisions, Instant now) {
        flagIfUnresolved(record, personId, decisions, now);
        int compared = 0;
        for (String sourceKey : state.person(personId).orElseThrow().sourceKeys()) {
            if (sourceKey.equals(record.sourceKey())) {
                continue;
            }
            state.sourceRecord(sourceKey).filter(other -> record.nhsNumber().equals(other.nhsNumber()))
                    .ifPresent(other -> flagIfUnresolved(other, personId, decisions, now));
            if (++compared == NHS_CHECK_RECORDS) {
                break;
            }
        }
    }

    private static void flagIfUnresolved(SourceRecord record, String personId, IdentityDecisions decisions,
                                         Instant now) {
        String status = record.value(SourceRecord.NHS_NUMBER_STATUS);
        if (status != null && UNRESOLVED_TRACE_STATUSES.contains(status)) {
            IdentityReview unresolved = review(record.sourceKey(), record.sourceKey(), personId, personId,
                    TRACE_UNRESOLVED, null, List.of(MatchEvidence.newBuilder().setComparison("NHS number status")
                            .setLevel(status).setWeight(0).build()), now);
            unresolved.setPairId(tracePairId(record.sourceKey(), record.nhsNumber()));
            decisions.review(unresolved);
        }
    }

    /**
     * The pair of a record's unresolved trace of one number: settled by the sender verifying that number, and raised
     * anew for another number the record comes to carry.
     */
    static String tracePairId(String sourceKey, String nhs) {
        return pairId(sourceKey, nhsKey(nhs), TRACE_UNRESOLVED);
    }

    /** PID-32 as the NHS data dictionary codes it, two digits ("5" and " 05 " read as 05); null when not stated. */
    static String traceStatus(String sent) {
        if (sent == null || sent.isBlank()) {
            return null;
        }
        String status = sent.strip();
        return status.length() == 1 && Character.isDigit(status.charAt(0)) ? "0" + status : status;
    }

    /** How many of a person's records a record is compared with ({@link #questionDemographics}). */
    private static final int NHS_CHECK_RECORDS = 20;

    /**
     * A record joining a person by NHS number still links (the number is the organisations' statement), but when
     * its demographics disagree with every record of the person that states a name and a birth date, scoring below
     * the review threshold, it is raised for review ({@code NHS_NUMBER_DEMOGRAPHICS_DISAGREE}): a wrong patient
     * traced, or an NHS number keyed into the wrong record, would otherwise show one patient's results in another's
     * record with nothing to say so. Records without a name or a birth date (a laboratory's echo of the request form)
     * are not compared. The same question is raised ({@code DEMOGRAPHICS_CHANGED_DISAGREE}, or the NHS reason when
     * the record has a number) when a record on a person changes its details so that they disagree with every other
     * record of the person: a source correcting a record it had keyed under the wrong patient. Nothing moves.
     */
    private void questionDemographics(SourceRecord record, Prepared prepared, String personId, MpiState state,
                                      IdentityDecisions decisions, Instant now, String reason) {
        if (!comparable(record)) {
            return;
        }
        MatchResult best = null;
        String bestKey = null;
        int compared = 0;
        for (String sourceKey : state.person(personId).orElseThrow().sourceKeys()) {
            SourceRecord other = state.sourceRecord(sourceKey).orElse(null);
            if (other == null || sourceKey.equals(record.sourceKey()) || !comparable(other)) {
                continue;
            }
            MatchResult result = matcher.compare(prepared.demographics(), preparedCandidate(other));
            if (best == null || result.score() > best.score()) {
                best = result;
                bestKey = sourceKey;
            }
            if (++compared == NHS_CHECK_RECORDS || result.outcome() != MatchOutcome.NO_LINK) {
                break;
            }
        }
        if (best != null && best.score() < matcher.reviewThreshold()) {
            decisions.review(review(record.sourceKey(), bestKey, personId, personId, reason, best.score(),
                    evidence(best), now));
        }
    }

    private static boolean comparable(SourceRecord record) {
        return record.value(SourceRecord.FAMILY) != null && record.value(SourceRecord.BIRTH_DATE) != null;
    }

    private String matchOrCreate(SourceRecord record, Prepared prepared, MpiState state,
                                 IdentityDecisions decisions, PatientEvent event, Instant now) {
        String nhs = record.nhsNumber();
        Set<String> candidates = new LinkedHashSet<>();
        for (String blockingKey : prepared.blockingKeys()) {
            for (MpiState.BlockEntry entry : state.block(blockingKey)) {
                // A record filed with another NHS number belongs to a person with that number: never linked.
                if (nhs == null || entry.nhsNumber() == null || entry.nhsNumber().equals(nhs)) {
                    candidates.add(entry.sourceKey());
                }
            }
        }
        candidates.remove(record.sourceKey());
        // A person decided these are other patients (a review decision): never linked, nor raised again.
        candidates.removeAll(state.decidedDifferent(record.sourceKey()));
        String bestPerson = null;
        MatchResult best = null;
        Map<String, MatchResult> reviewByPerson = new HashMap<>();
        for (String candidateKey : candidates) {
            SourceRecord candidate = state.sourceRecord(candidateKey).orElse(null);
            if (candidate == null || candidate.personId() == null) {
                continue;
            }
            String candidatePerson = live(candidate.personId(), state);
            Person person = state.person(candidatePerson).orElseThrow();
            if (nhs != null && !person.nhsNumbers().isEmpty() && !person.nhsNumbers().contains(nhs)) {
                continue; // different valid NHS numbers are never linked
            }
            MatchResult result = compareIfWorthIt(prepared, candidate, now);
            if (result == null) {
                continue;
            }
            if (result.outcome() == MatchOutcome.LINK && (best == null || result.score() > best.score())) {
                best = result;
                bestPerson = candidatePerson;
            } else if (result.outcome() == MatchOutcome.REVIEW) {
                reviewByPerson.merge(candidatePerson, result, (a, b) -> a.score() >= b.score() ? a : b);
            }
        }
        if (best != null) {
            attach(record, prepared, bestPerson, state, decisions, event, "PROBABILISTIC", best.score(),
                    evidence(best), now);
            return null; // already attached with its score
        }
        String personId = newPerson(record.sourceKey(), state);
        for (Map.Entry<String, MatchResult> r : reviewByPerson.entrySet()) {
            decisions.review(review(record.sourceKey(), firstSourceKey(r.getKey(), state), personId, r.getKey(),
                    "PROBABILISTIC_UNCERTAIN", r.getValue().score(), evidence(r.getValue()), now));
        }
        return personId;
    }

    /**
     * A new record that joined a person by NHS number or a shared identifier brings demographics the person may not
     * have had. Records that arrived earlier without an NHS number, and were left on their own because there was
     * nothing to match them with yet, are compared with it now: the best LINK moves that person here. Without this,
     * whether a GP record without an NHS number is linked would depend on whether it arrived before or after the
     * hospital record it matches.
     */
    private void absorbMatchingRecords(Prepared prepared, String personId, MpiState state,
                                       IdentityDecisions decisions, PatientEvent event, Instant now) {
        String bestPerson = null;
        MatchResult best = null;
        Set<String> candidates = new LinkedHashSet<>();
        for (String blockingKey : prepared.blockingKeys()) {
            for (MpiState.BlockEntry entry : state.block(blockingKey)) {
                if (entry.nhsNumber() == null) { // a record with an NHS number has a person with one: skipped below
                    candidates.add(entry.sourceKey());
                }
            }
        }
        candidates.removeAll(state.decidedDifferent(prepared.record.sourceKey()));
        for (String candidateKey : candidates) {
            SourceRecord candidate = state.sourceRecord(candidateKey).orElse(null);
            if (candidate == null || candidate.personId() == null) {
                continue;
            }
            String candidatePerson = live(candidate.personId(), state);
            if (candidatePerson.equals(personId)
                    || !state.person(candidatePerson).orElseThrow().nhsNumbers().isEmpty()) {
                continue; // a person with an NHS number is linked by that number, never by demographics
            }
            MatchResult result = compareIfWorthIt(prepared, candidate, now);
            if (result != null && result.outcome() == MatchOutcome.LINK
                    && (best == null || result.score() > best.score())
                    && !decidedApart(candidatePerson, personId, state)) {
                best = result;
                bestPerson = candidatePerson;
            }
        }
        if (best != null) {
            mergePersons(bestPerson, personId, state, decisions, event, "PROBABILISTIC", best.score(),
                    evidence(best), now);
        }
    }

    /**
     * Whether a person (a review decision) or a sender (an A37) has said that a record of one of the two persons is
     * not the patient of a record of the other. Matching moves whole persons, so a decision about two records has to
     * hold between their persons: otherwise a third record that matches both would join them again.
     */
    private static boolean decidedApart(String personA, String personB, MpiState state) {
        List<String> others = state.person(personB).orElseThrow().sourceKeys();
        for (String sourceKey : state.person(personA).orElseThrow().sourceKeys()) {
            Set<String> different = state.decidedDifferent(sourceKey);
            if (!different.isEmpty() && others.stream().anyMatch(different::contains)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The explained comparison of a record with a candidate, or null when the pair is a plain non-match: most
     * candidates from a block are, and their levels are scored without building the evidence list.
     */
    private MatchResult compareIfWorthIt(Prepared prepared, SourceRecord candidate, Instant now) {
        PreparedDemographics record = prepared.demographics();
        PreparedDemographics other = preparedCandidate(candidate);
        long vector = matcher.comparisonVector(record, other);
        if (matcher.outcome(vector, matcher.score(vector)) == MatchOutcome.NO_LINK) {
            return null;
        }
        MatchResult result = matcher.withAgeGuards(matcher.compare(record, other), record, other,
                LocalDate.ofInstant(now, ZoneOffset.UTC));
        return MultipleBirths.apply(result, prepared.record, candidate);
    }

    private PreparedDemographics preparedCandidate(SourceRecord candidate) {
        PreparedCandidate known = preparedCandidates.get(candidate.sourceKey());
        if (known != null && known.from() == candidate) {
            return known.demographics();
        }
        PreparedDemographics prepared = matcher.prepare(SourceRecords.demographics(candidate));
        preparedCandidates.put(candidate.sourceKey(), new PreparedCandidate(candidate, prepared));
        return prepared;
    }

    private static Set<String> keysNotIn(Set<String> keys, Set<String> held) {
        if (held.containsAll(keys)) {
            return Set.of();
        }
        Set<String> added = new LinkedHashSet<>(keys);
        added.removeAll(held);
        return added;
    }

    /** Puts the record on the person and links every one of its identifiers there. */
    private void attach(SourceRecord record, Prepared prepared, String personId, MpiState state,
                        IdentityDecisions decisions, PatientEvent event, String rule, Double score,
                        List<MatchEvidence> evidence, Instant now) {
        SourceRecord placed = record.withPerson(personId);
        Optional<SourceRecord> before = state.sourceRecord(record.sourceKey());
        // A record is filed under the keys of what it says now as well as what it said before (a correction, or a
        // first message too sparse to block on): otherwise a later record could only find it by its old details.
        // Entries under keys it no longer has stay, harmless: candidates are compared as they are now.
        boolean restated = before.isPresent()
                && SourceRecords.demographics(before.get()).equals(SourceRecords.demographics(record));
        Set<String> newKeys = before.isEmpty() ? prepared.blockingKeys() : restated ? Set.of()
                : keysNotIn(prepared.blockingKeys(), matcher.blockingKeys(preparedCandidate(before.get())));
        state.put(placed);
        if (!newKeys.isEmpty()) {
            MpiState.BlockEntry entry = new MpiState.BlockEntry(placed.sourceKey(), placed.nhsNumber());
            for (String blockingKey : newKeys) {
                state.addToBlock(blockingKey, entry, MAX_BLOCK);
            }
        }
        if (!restated) {
            // The record is a candidate for later records of its blocks, as the instance the state now holds.
            preparedCandidates.put(placed.sourceKey(), new PreparedCandidate(placed, prepared.demographics()));
        }
        Person person = state.person(personId).orElseThrow();
        List<String> sources = new ArrayList<>(person.sourceKeys());
        if (!sources.contains(placed.sourceKey())) {
            sources.add(placed.sourceKey());
        }
        List<String> nhsNumbers = new ArrayList<>(person.nhsNumbers());
        if (placed.nhsNumber() != null && !nhsNumbers.contains(placed.nhsNumber())) {
            nhsNumbers.add(placed.nhsNumber());
        }
        state.put(new Person(personId, person.sequence(), sources, nhsNumbers, null, person.mergedFrom(),
                person.version() + 1));
        for (String id : placed.identifiers()) {
            Optional<String> current = state.personOf(id);
            if (current.isEmpty() || !current.get().equals(personId)) {
                state.link(id, personId);
                decisions.link(link(id, personId, rule, score, evidence, event, now));
            }
        }
        decisions.changed(personId);
    }

    private void mergeIdentifierInto(String prior, String survivor, MpiState state, IdentityDecisions decisions,
                                     PatientEvent event, Instant now) {
        Optional<String> priorPerson = state.personOf(prior).map(p -> live(p, state));
        if (priorPerson.isEmpty()) {
            state.link(prior, survivor);
            decisions.link(link(prior, survivor, "MERGE", null, List.of(), event, now));
            decisions.changed(survivor);
            return;
        }
        if (!priorPerson.get().equals(survivor)) {
            Person from = state.person(priorPerson.get()).orElseThrow();
            Person to = state.person(survivor).orElseThrow();
            if (!from.nhsNumbers().isEmpty() && !to.nhsNumbers().isEmpty()
                    && from.nhsNumbers().stream().noneMatch(to.nhsNumbers()::contains)) {
                // The sending organisation merged two of its records; honour it, but someone should look.
                decisions.review(review(prior, firstSourceKey(survivor, state), priorPerson.get(), survivor,
                        "MERGE_WITH_CONFLICTING_NHS_NUMBERS", null, List.of(), now));
            }
            mergePersons(priorPerson.get(), survivor, state, decisions, event, "MERGE", now);
        }
    }

    /** Moves every source record and identifier of one person to another; the first is left as a pointer. */
    private void mergePersons(String fromId, String intoId, MpiState state, IdentityDecisions decisions,
                              PatientEvent event, String rule, Instant now) {
        mergePersons(fromId, intoId, state, decisions, event, rule, null, List.of(), now);
    }

    private void mergePersons(String fromId, String intoId, MpiState state, IdentityDecisions decisions,
                              PatientEvent event, String rule, Double score, List<MatchEvidence> evidence,
                              Instant now) {
        Person from = state.person(fromId).orElseThrow();
        Person into = state.person(intoId).orElseThrow();
        List<String> sources = new ArrayList<>(into.sourceKeys());
        List<String> nhsNumbers = new ArrayList<>(into.nhsNumbers());
        for (String sourceKey : from.sourceKeys()) {
            SourceRecord moved = state.sourceRecord(sourceKey).orElseThrow().withPerson(intoId);
            state.put(moved);
            if (!sources.contains(sourceKey)) {
                sources.add(sourceKey);
            }
            for (String id : moved.identifiers()) {
                state.link(id, intoId);
                decisions.link(link(id, intoId, rule, score, evidence, event, now));
            }
        }
        for (String n : from.nhsNumbers()) {
            if (!nhsNumbers.contains(n)) {
                nhsNumbers.add(n);
            }
        }
        List<String> mergedFrom = new ArrayList<>(into.mergedFrom());
        mergedFrom.add(fromId);
        mergedFrom.addAll(from.mergedFrom());
        state.put(new Person(intoId, into.sequence(), sources, nhsNumbers, null, mergedFrom, into.version() + 1));
        state.put(new Person(fromId, from.sequence(), List.of(), List.of(), intoId, List.of(), from.version() + 1));
        decisions.changed(intoId);
        decisions.changed(fromId);
    }

    /** Follows merge pointers to the person that is live now. */
    static String live(String personId, MpiState state) {
        String current = personId;
        for (int hops = 0; hops < 100; hops++) {
            Optional<Person> p = state.person(current);
            if (p.isEmpty() || p.get().mergedInto() == null) {
                return current;
            }
            current = p.get().mergedInto();
        }
        throw new IllegalStateException("merge chain too long");
    }

    private String newPerson(String foundingSourceKey, MpiState state) {
        long sequence = state.nextPersonSequence();
        String personId = PersonIds.of(foundingSourceKey, sequence);
        state.put(new Person(personId, sequence, List.of(), List.of(), null, List.of(), 0));
        return personId;
    }

    private static String firstSourceKey(String personId, MpiState state) {
        return state.person(personId).map(p -> p.sourceKeys().isEmpty() ? personId : p.sourceKeys().get(0))
                .orElse(personId);
    }

    private static IdentityLink link(String identifier, String personId, String rule, Double score,
                                     List<MatchEvidence> evidence, PatientEvent event, Instant now) {
        return IdentityLink.newBuilder()
                .setSourceIdentifier(identifier)
                .setPersonId(personId)
                .setStatus(LinkStatus.LINKED)
                .setRule(rule)
                .setScore(score)
                .setEvidence(evidence)
                .setDecidedAt(now)
                .setCause(event == null ? null : event.getProvenance())
                .build();
    }

    /**
     * The id of the review pair of two identifiers for a reason: the same whichever comes first, so that a pair
     * raised again (or a decision sent twice) is one pair.
     */
    public static String pairId(String one, String other, String reason) {
        return ReviewPairIds.of(one, other, reason);
    }

    private static IdentityReview review(String left, String right, String leftPerson, String rightPerson,
                                         String reason, Double score, List<MatchEvidence> evidence, Instant now) {
        return IdentityReview.newBuilder()
                .setPairId(pairId(left, right, reason))
                .setLeftIdentifier(left)
                .setRightIdentifier(right)
                .setLeftPersonId(leftPerson)
                .setRightPersonId(rightPerson)
                .setReason(reason)
                .setScore(score)
                .setEvidence(evidence)
                .setRaisedAt(now)
                .setOpen(true)
                .build();
    }

    private static List<MatchEvidence> evidence(MatchResult result) {
        List<MatchEvidence> out = new ArrayList<>();
        for (Evidence e : result.evidence()) {
            out.add(MatchEvidence.newBuilder().setComparison(e.comparison()).setLevel(e.level())
                    .setWeight(e.weight()).build());
        }
        if (result.guard() != null) {
            out.add(MatchEvidence.newBuilder().setComparison("guard").setLevel(result.guard()).setWeight(0).build());
        }
        return out;
    }

    static String key(Identifier identifier) {
        return identifier.getSystem() + "|" + identifier.getValue();
    }

    static String nhsKey(String nhs) {
        return NHS_SYSTEM + "|" + nhs;
    }

    private static List<String> validIdentifiers(List<Identifier> identifiers) {
        return identifiers.stream().filter(Identifier::getValid).map(MasterPatientIndex::key).distinct().toList();
    }

    private static String validNhsNumber(List<Identifier> identifiers) {
        return identifiers.stream().filter(i -> i.getValid() && NHS_SYSTEM.equals(i.getSystem()))
                .map(Identifier::getValue).findFirst().orElse(null);
    }

    /** A facility's record is known by its first local identifier; with none, by facility and NHS number. */
    static String sourceKey(List<Identifier> identifiers, String facility, String nhs) {
        return identifiers.stream().filter(i -> i.getValid() && !NHS_SYSTEM.equals(i.getSystem()))
                .map(MasterPatientIndex::key).findFirst()
                .orElse(nhs == null ? null : facility + "|" + nhsKey(nhs));
    }

    /** Person ids: opaque, stable, and the same on replay. */
    static final class PersonIds {
        private PersonIds() {
        }

        static String of(String foundingSourceKey, long sequence) {
            return "cwp-" + digest(foundingSourceKey + "#" + sequence).substring(0, 24);
        }

        private static String digest(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
