package org.careweave.processors.views;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.PersonGolden;
import org.careweave.events.PersonView;
import org.careweave.events.RepeatTestAlert;
import org.careweave.internal.PersonInput;
import org.careweave.internal.PersonState;
import org.careweave.internal.PublishedView;
import org.careweave.internal.SourcedEncounter;
import org.careweave.processors.results.PersonResults;
import org.careweave.processors.results.ResultsConfig;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by person id: folds golden records, observations and encounters into the person's results and view, and
 * publishes what changed: results (and tombstones for results that disappeared) and repeat-test alerts as each input
 * is folded; the view once a changed person has waited the publishing delay, inputs meanwhile joining the same view.
 * A person merged into another gets a tombstone view at once; their results arrive at the survivor through routing.
 *
 * <p>Why views wait: a lab report brings 5–40 results for one person, and each used to publish the whole view again
 * (2.5 views per raw message, the largest records the processors write, and each one a write for the sink and the
 * secondary-use stream); an admission brings a golden record and an encounter by two paths a commit or two apart.
 * Persons whose view is owed are kept in a changelogged store, so a view owed when the processor stops is published
 * after it restarts.
 */
final class PersonViewProcessor implements Processor<String, PersonInput, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(PersonViewProcessor.class);
    static final String STATES = "person-states";
    static final String RESULTS = "person-results";
    /** Person id → timestamp of the latest input not yet shown in a published view (the view's timestamp). */
    static final String PENDING = "person-views-pending";
    /** Person id → version and digest of the last view published (a few bytes, rewritten at each publication). */
    static final String PUBLISHED = "person-views-published";
    static final String RESULTS_SINK = "results-current-sink";
    static final String ALERTS_SINK = "repeat-test-alerts-sink";
    static final String VIEWS_SINK = "person-views-sink";

    private final ResultsConfig resultsConfig;
    private final Duration publishInterval;
    private final Timer updateTimer;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, PersonState> states;
    private KeyValueStore<String, PersonResults> results;
    private KeyValueStore<String, Long> pendingStore;
    private KeyValueStore<String, PublishedView> published;
    private final Duration publishDelay;
    private final ViewDigests digests = new ViewDigests();
    private final Counter unchangedViews;
    private final Counter goldenTombstones;
    /** The pending store's keys, in the order their persons became pending (so also in order of falling due). */
    private final Map<String, Owed> pending = new LinkedHashMap<>();

    /** A view owed: the latest input's time (the view's timestamp), and when it is to be published (wall clock). */
    private record Owed(long timestamp, long dueAt) {
    }

    /**
     * @param publishInterval how often owed views are looked at
     * @param publishDelay how long a changed person waits before its view is published, so that the inputs one message
     *                     causes (its golden record, then its encounter or results by another path) make one view
     */
    PersonViewProcessor(ResultsConfig resultsConfig, Duration publishInterval, Duration publishDelay,
                        MeterRegistry metrics) {
        this.resultsConfig = resultsConfig;
        this.publishInterval = publishInterval;
        this.publishDelay = publishDelay;
        this.updateTimer = Timer.builder("careweave.views.update")
                .description("Time to fold one input into a person's results and view")
                .publishPercentileHistogram()
                .register(metrics);
        this.unchangedViews = Counter.builder("careweave.views.unchanged")
                .description("Views not published because they would show what the last one showed")
                .register(metrics);
        this.goldenTombstones = Counter.builder("careweave.views.golden.tombstones")
                .description("Tombstones on person.golden the views ignored (careweave writes none)")
                .register(metrics);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.states = context.getStateStore(STATES);
        this.results = context.getStateStore(RESULTS);
        this.pendingStore = context.getStateStore(PENDING);
        this.published = context.getStateStore(PUBLISHED);
        pending.clear();
        long now = context.currentSystemTimeMs();
        try (KeyValueIterator<String, Long> owed = pendingStore.all()) {
            owed.forEachRemaining(entry -> pending.put(entry.key, new Owed(entry.value, now)));
        }
        context.schedule(publishInterval, PunctuationType.WALL_CLOCK_TIME, this::publishDue);
    }

    @Override
    public void process(Record<String, PersonInput> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        updateTimer.record(() -> update(record));
    }

    private void update(Record<String, PersonInput> record) {
        String personId = record.key();
        PersonInput input = record.value();
        PersonState state = states.get(personId);
        if (state == null) {
            state = PersonState.newBuilder().setPersonId(personId).build();
        }
        PersonResults storedResults = results.get(personId);
        PersonResults personResults = storedResults == null ? PersonResults.empty(personId) : storedResults;
        switch (input.getKind()) {
            case GOLDEN -> {
                PersonGolden golden = input.getGolden();
                if (golden == null) {
                    // A null on person.golden is none of careweave's (identity retires a person with mergedInto): an
                    // operator's or an erasure tool's. It must not stop the views (the replaced thread would read it
                    // again, for ever); what removing a person means is identity's to decide, so the person's view
                    // stays as it is. Counted, and logged without the person id (docs/operations.md).
                    goldenTombstones.increment();
                    log.warn("Ignored a tombstone on person.golden ({} since start): the person's view is unchanged",
                            (long) goldenTombstones.count());
                    return;
                }
                if (golden.getMergedInto() != null) {
                    retire(record, state, personResults, golden.getMergedInto());
                    return;
                }
                state.setGolden(golden);
                state.setMergedPersonIds(golden.getMergedPersonIds());
            }
            case OBSERVATION -> personResults = publish(record, state,
                    personResults.apply(input.getObservation(), personId, resultsConfig));
            case ENCOUNTER -> {
                List<SourcedEncounter> encounters = new ArrayList<>(state.getEncounters());
                encounters.add(SourcedEncounter.newBuilder().setSourceIdentifier(input.getSourceIdentifier())
                        .setEncounter(input.getEncounter()).build());
                state.setEncounters(PersonViews.withoutSuperseded(encounters));
            }
            case SOURCE_REMOVED -> {
                String source = input.getSourceIdentifier();
                personResults = publish(record, state, personResults.withoutSource(source));
                state.setEncounters(state.getEncounters().stream()
                        .filter(e -> !e.getSourceIdentifier().equals(source)).toList());
            }
        }
        states.put(personId, state);
        // Most inputs (golden records, encounters) leave the results as they were: rewriting them anyway was half of
        // the bytes the views wrote to their changelogs.
        if (personResults != storedResults && !(storedResults == null && personResults.versions().isEmpty())) {
            results.put(personId, personResults);
        }
        if (state.getMergedInto() != null) {
            return; // a retired person whose sources were re-routed meanwhile: nothing to show
        }
        // The latest of the inputs' times: a view's timestamp must not go back, or compacted-table readers of the
        // views (the secondary-use stream) see an out-of-order update.
        Owed owed = pending.merge(personId,
                new Owed(record.timestamp(), context.currentSystemTimeMs() + publishDelay.toMillis()),
                (earlier, later) -> new Owed(Math.max(earlier.timestamp(), later.timestamp()), earlier.dueAt()));
        pendingStore.put(personId, owed.timestamp());
    }

    /** Publishes the view of every person whose view has fallen due, stamped with their latest input's time. */
    private void publishDue(long now) {
        Iterator<Map.Entry<String, Owed>> owed = pending.entrySet().iterator();
        while (owed.hasNext()) {
            Map.Entry<String, Owed> next = owed.next();
            if (next.getValue().dueAt() > now) {
                return; // the rest became pending later, so fall due later
            }
            String personId = next.getKey();
            PersonState state = states.get(personId);
            if (state != null && state.getMergedInto() == null) {
                PersonResults personResults = results.get(personId);
                List<DeduplicatedResult> current = personResults == null ? List.of() : personResults.results();
                Set<String> standing = personResults == null ? Set.of()
                        : personResults.standing(PersonViews.resultIdsOf(state.getAlerts()));
                PublishedView last = lastPublished(state);
                // Inputs reach a person by several paths (golden records from identity, encounters and results from
                // routing), so the latest input of this view can be older than one the last view already showed.
                // A view stamped earlier than the last one is an out-of-order update to readers of person.views as
                // a table (the secondary-use stream warned for each), so a person's views never go back in time.
                long timestamp = Math.max(next.getValue().timestamp(), last.getTimestamp());
                PersonView view = PersonViews.of(state, current, standing, Instant.ofEpochMilli(timestamp));
                ByteBuffer digest = digests.of(view);
                // Most updates restate what is known (an A08 for the same visit, an A31 with the same
                // demographics): such a view would differ only in its version and time, so it is not published.
                if (!digest.equals(last.getDigest())) {
                    long version = last.getVersion() + 1;
                    published.put(personId, new PublishedView(version, digest, timestamp));
                    view.setVersion(version);
                    context.forward(new Record<String, SpecificRecord>(personId, view, timestamp), VIEWS_SINK);
                } else {
                    unchangedViews.increment();
                }
            }
            pendingStore.delete(personId);
            owed.remove();
        }
    }

    /** The last view published, from its own store, or from the person's state when written before that store. */
    private PublishedView lastPublished(PersonState state) {
        PublishedView last = published.get(state.getPersonId());
        if (last != null) {
            return last;
        }
        ByteBuffer digest = state.getPublishedDigest();
        return new PublishedView(state.getVersion(), digest == null ? ByteBuffer.allocate(0) : digest, 0L);
    }

    private PersonResults publish(Record<String, PersonInput> record, PersonState state,
                                  PersonResults.Outcome outcome) {
        for (String removed : outcome.removedResultIds()) {
            context.forward(record.withKey(removed).withValue((SpecificRecord) null), RESULTS_SINK);
        }
        for (DeduplicatedResult changed : outcome.changed()) {
            context.forward(record.withKey(changed.getResultId()).withValue(changed), RESULTS_SINK);
        }
        if (!outcome.alerts().isEmpty()) {
            List<RepeatTestAlert> alerts = new ArrayList<>(state.getAlerts());
            for (RepeatTestAlert alert : outcome.alerts()) {
                if (alerts.stream().noneMatch(a -> a.getAlertId().equals(alert.getAlertId()))) {
                    alerts.add(alert);
                    context.forward(record.withKey(alert.getPersonId()).withValue(alert), ALERTS_SINK);
                }
            }
            state.setAlerts(alerts);
        }
        return outcome.newState();
    }

    /**
     * The person was merged into another: withdraw their view and results; the survivor shows them now. The results
     * published are the person's results as stored (each change is published as it is folded), and, in state
     * written before that was relied on, the ids the state listed.
     */
    private void retire(Record<String, PersonInput> record, PersonState state, PersonResults personResults,
                        String survivor) {
        Set<String> publishedIds = new LinkedHashSet<>(personResults.resultIds());
        publishedIds.addAll(state.getPublishedResultIds());
        for (String resultId : publishedIds) {
            context.forward(record.withKey(resultId).withValue((SpecificRecord) null), RESULTS_SINK);
        }
        context.forward(record.withKey(state.getPersonId()).withValue((SpecificRecord) null), VIEWS_SINK);
        if (pending.remove(state.getPersonId()) != null) {
            pendingStore.delete(state.getPersonId());
        }
        state.setMergedInto(survivor);
        state.setPublishedResultIds(List.of());
        state.setEncounters(List.of());
        state.setAlerts(List.of());
        states.put(state.getPersonId(), state);
        results.put(state.getPersonId(), PersonResults.empty(state.getPersonId()));
    }
}
