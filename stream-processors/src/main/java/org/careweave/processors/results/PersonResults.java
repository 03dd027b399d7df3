package org.careweave.processors.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.careweave.events.DeduplicatedResult;
import org.careweave.events.ObservationEvent;
import org.careweave.events.RepeatTestAlert;

/**
 * One person's lab results: every version of every result from every source, from which the deduplicated results
 * are derived. Immutable; {@link #apply} and {@link #withoutSource} return a new state with what to publish.
 *
 * <p>The state keeps versions, not results: a result is a function of its versions (see {@link ResultGroups} and
 * {@link ResultVersions}), so the results are the same whatever order the versions arrived in, and a version can
 * be taken away again (identity moving a source record) without having lost what the result was before it.
 *
 * @param personId the person (null until the first apply)
 * @param versions all versions, in canonical order (so that equal states are equal)
 */
public record PersonResults(String personId, List<ResultVersion> versions) {

    /**
     * What one step changed.
     *
     * @param newState         the state to store
     * @param changed          results to publish on results.current (new or different)
     * @param removedResultIds results that no longer exist (merged into another, or moved away): tombstones
     * @param alerts           repeat-test alerts to publish on alerts.repeat-tests
     * @param removedVersions  versions taken out by {@link #withoutSource}, to apply to the person they moved to
     */
    public record Outcome(PersonResults newState, List<DeduplicatedResult> changed, List<String> removedResultIds,
                          List<RepeatTestAlert> alerts, List<ResultVersion> removedVersions) {

        public Outcome {
            changed = List.copyOf(changed);
            removedResultIds = List.copyOf(removedResultIds);
            alerts = List.copyOf(alerts);
            removedVersions = List.copyOf(removedVersions);
        }

        static Outcome unchanged(PersonResults state) {
            return new Outcome(state, List.of(), List.of(), List.of(), List.of());
        }
    }

    public PersonResults {
        versions = versions == null ? List.of() : versions.stream().sorted(ResultGroups.CANONICAL).toList();
    }

    public static PersonResults empty() {
        return new PersonResults(null, List.of());
    }

    public static PersonResults empty(String personId) {
        return new PersonResults(personId, List.of());
    }

    /** {@link #apply(ObservationEvent, String, ResultsConfig)} with the shipped code mapping and retest rules. */
    public Outcome apply(ObservationEvent event, String personId) {
        return apply(event, personId, ResultsConfig.defaults());
    }

    public Outcome apply(ObservationEvent event, String personId, ResultsConfig config) {
        return apply(ResultVersion.of(event, config.codes()), personId, config.retestRules());
    }

    /**
     * Adds one version. A verbatim resend (same message key) is the same version: the earliest received copy is
     * kept, so the outcome does not depend on which copy came first, and a later copy changes nothing.
     */
    public Outcome apply(ResultVersion version, String personId, RepeatTestRules rules) {
        String owner = owner(personId);
        ResultVersion known = versions.stream().filter(v -> v.messageKey().equals(version.messageKey()))
                .findFirst().orElse(null);
        if (known != null && !receivedEarlier(version, known)) {
            return Outcome.unchanged(new PersonResults(owner, versions));
        }
        List<ResultVersion> next = new ArrayList<>(versions);
        next.remove(known);
        next.add(version);
        PersonResults after = new PersonResults(owner, next);
        if (known != null) {
            // An earlier copy of a known version replaces it: rare, so the results are grouped again in full.
            return diff(owner, after, ResultGroups.of(owner, versions), ResultGroups.of(owner, after.versions()),
                    List.of(), List.of());
        }
        // The usual step, a new version: only the result it joins changes, and the results it merged go.
        ResultGroups.Added added = ResultGroups.adding(owner, versions, version, after.versions());
        List<ResultVersion> group = added.groups().get(added.resultId());
        List<RepeatTestAlert> alerts = new ArrayList<>();
        // a result of one version is new to this person: not a later version, nor a copy of a known result
        if (group.size() == 1) {
            RepeatTestAlerts.check(owner, added.resultId(), added.groups(), rules, version.receivedAt())
                    .ifPresent(alerts::add);
        }
        if (added.regrouped()) {
            // Grouping again may have moved other results' copies too (section 1 of docs/results.md): compare all.
            return diff(owner, after, ResultGroups.of(owner, versions), added.groups(), alerts, List.of());
        }
        List<String> removedIds = added.joined().stream().filter(id -> !id.equals(added.resultId())).toList();
        return new Outcome(after, List.of(DeduplicatedResults.of(owner, added.resultId(), group)), removedIds,
                alerts, List.of());
    }

    /**
     * Takes out every version of one patient record at a source (system|value: the record's source identifier or
     * any of the patient identifiers its messages carried), for when identity moves that record to another person.
     * The outcome names the results to republish (they lost sources, or split) and to remove, and carries the
     * removed versions so they can be applied to the other person.
     */
    public Outcome withoutSource(String sourceIdentifier) {
        List<ResultVersion> removed = versions.stream().filter(v -> sourceIdentifier.equals(v.sourceIdentifier())
                || v.patientIdentifiers().contains(sourceIdentifier)).toList();
        if (removed.isEmpty()) {
            return Outcome.unchanged(this);
        }
        List<ResultVersion> kept = versions.stream().filter(v -> !removed.contains(v)).toList();
        PersonResults after = new PersonResults(personId, kept);
        return diff(personId, after, ResultGroups.of(personId, versions), ResultGroups.of(personId, kept), List.of(),
                removed);
    }

    /** The person's results, current version of each, ordered by result id. */
    public List<DeduplicatedResult> results() {
        return BuiltResults.of(personId, ResultGroups.of(personId, versions));
    }

    /** The ids of the person's results (each published on results.current), in result id order. */
    public List<String> resultIds() {
        return List.copyOf(ResultGroups.of(personId, versions).keySet());
    }

    /**
     * Of these result ids, those that name a result the person has, not retracted: under that id, or under the id
     * the result took when it merged with another (a copy received earlier names the merged result, so the id it had
     * is that of one of its versions' version keys). A result that moved to another person, or was withdrawn, is
     * not among them.
     */
    public Set<String> standing(Set<String> resultIds) {
        if (resultIds.isEmpty()) {
            return Set.of();
        }
        Map<String, List<ResultVersion>> groups = ResultGroups.of(personId, versions);
        Set<String> standing = new HashSet<>();
        Set<String> renamed = new HashSet<>();
        for (String resultId : resultIds) {
            List<ResultVersion> group = groups.get(resultId);
            if (group == null) {
                renamed.add(resultId);
            } else if (!retracted(group)) {
                standing.add(resultId);
            }
        }
        // An alert about a result that merged, moved or split since. Only a result merged from copies with several
        // version keys can carry another id, so only those are digested (one per version key); an alert whose result
        // moved to another person stays in the state, so this runs at each of the person's later views.
        if (!renamed.isEmpty()) {
            groups.values().stream().filter(group -> group.size() > 1).forEach(group -> group.stream()
                    .map(ResultVersion::versionKey).distinct()
                    .map(versionKey -> ResultKeys.resultId(personId, versionKey))
                    .filter(renamed::contains)
                    .filter(id -> !retracted(group))
                    .forEach(standing::add));
        }
        return standing;
    }

    /** D and W outrank every other status, so a result is retracted when any of its versions is a retraction. */
    private static boolean retracted(List<ResultVersion> group) {
        return group.stream().anyMatch(ResultVersion::retraction);
    }

    public Optional<DeduplicatedResult> result(String resultId) {
        List<ResultVersion> group = ResultGroups.of(personId, versions).get(resultId);
        return group == null ? Optional.empty() : Optional.of(DeduplicatedResults.of(personId, resultId, group));
    }

    private String owner(String personId) {
        if (personId == null) {
            throw new IllegalArgumentException("a person id is required");
        }
        if (this.personId != null && !this.personId.equals(personId)) {
            // a state is one person's: mixing two would publish one person's results under the other's id
            throw new IllegalArgumentException("this state belongs to another person");
        }
        return personId;
    }

    private static boolean receivedEarlier(ResultVersion candidate, ResultVersion known) {
        return Comparator.comparing(ResultVersion::receivedAt)
                .thenComparing(v -> v.raw().messageId())
                .compare(candidate, known) < 0;
    }

    /** Only results whose versions changed are rebuilt and published: a result is a function of its versions. */
    private static Outcome diff(String personId, PersonResults after, Map<String, List<ResultVersion>> before,
                                Map<String, List<ResultVersion>> afterGroups, List<RepeatTestAlert> alerts,
                                List<ResultVersion> removedVersions) {
        List<DeduplicatedResult> changed = new ArrayList<>();
        afterGroups.forEach((id, group) -> {
            if (!Objects.equals(group, before.get(id))) {
                changed.add(DeduplicatedResults.of(personId, id, group));
            }
        });
        List<String> removedIds = before.keySet().stream().filter(id -> !afterGroups.containsKey(id)).toList();
        return new Outcome(after, changed, removedIds, alerts, removedVersions);
    }
}
