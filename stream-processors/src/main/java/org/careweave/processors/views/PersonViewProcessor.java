package org.careweave.processors.views;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.PersonGolden;
import org.careweave.events.RepeatTestAlert;
import org.careweave.internal.PersonInput;
import org.careweave.internal.PersonState;
import org.careweave.internal.SourcedEncounter;
import org.careweave.processors.results.PersonResults;
import org.careweave.processors.results.ResultsConfig;
import org.careweave.processors.state.CachedStore;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Keyed by person id: folds golden records, observations and encounters into the person's results and view, and
 * publishes what changed: results (and tombstones for results that disappeared), repeat-test alerts, and the view.
 * A person merged into another gets a tombstone view; their results arrive at the survivor through routing.
 */
final class PersonViewProcessor implements Processor<String, PersonInput, String, SpecificRecord> {

    static final String STATES = "person-states";
    static final String RESULTS = "person-results";
    static final String RESULTS_SINK = "results-current-sink";
    static final String ALERTS_SINK = "repeat-test-alerts-sink";
    static final String VIEWS_SINK = "person-views-sink";

    private final ResultsConfig resultsConfig;
    private final Timer updateTimer;
    private ProcessorContext<String, SpecificRecord> context;
    private CachedStore<String, PersonState> states;
    private CachedStore<String, PersonResults> results;

    PersonViewProcessor(ResultsConfig resultsConfig, MeterRegistry metrics) {
        this.resultsConfig = resultsConfig;
        this.updateTimer = Timer.builder("careweave.views.update")
                .description("Time to fold one input into a person's results and view")
                .publishPercentileHistogram()
                .register(metrics);
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        KeyValueStore<String, PersonState> stateStore = context.getStateStore(STATES);
        KeyValueStore<String, PersonResults> resultStore = context.getStateStore(RESULTS);
        this.states = new CachedStore<>(stateStore, 20_000);
        this.results = new CachedStore<>(resultStore, 20_000);
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
        PersonResults personResults = results.get(personId);
        if (personResults == null) {
            personResults = PersonResults.empty(personId);
        }
        Instant now = Instant.ofEpochMilli(record.timestamp());
        switch (input.getKind()) {
            case GOLDEN -> {
                PersonGolden golden = input.getGolden();
                if (golden.getMergedInto() != null) {
                    retire(record, state, golden.getMergedInto());
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
                state.setEncounters(encounters);
            }
            case SOURCE_REMOVED -> {
                String source = input.getSourceIdentifier();
                personResults = publish(record, state, personResults.withoutSource(source));
                state.setEncounters(state.getEncounters().stream()
                        .filter(e -> !e.getSourceIdentifier().equals(source)).toList());
            }
        }
        if (state.getMergedInto() != null) {
            // A retired person whose sources were re-routed meanwhile: nothing to show.
            states.put(personId, state);
            results.put(personId, personResults);
            return;
        }
        state.setVersion(state.getVersion() + 1);
        states.put(personId, state);
        results.put(personId, personResults);
        context.forward(record.withKey(personId).withValue(PersonViews.of(state, personResults.results(), now)),
                VIEWS_SINK);
    }

    private PersonResults publish(Record<String, PersonInput> record, PersonState state,
                                  PersonResults.Outcome outcome) {
        Set<String> published = new LinkedHashSet<>(state.getPublishedResultIds());
        for (String removed : outcome.removedResultIds()) {
            context.forward(record.withKey(removed).withValue((SpecificRecord) null), RESULTS_SINK);
            published.remove(removed);
        }
        for (DeduplicatedResult changed : outcome.changed()) {
            context.forward(record.withKey(changed.getResultId()).withValue(changed), RESULTS_SINK);
            published.add(changed.getResultId());
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
        state.setPublishedResultIds(new ArrayList<>(published));
        return outcome.newState();
    }

    /** The person was merged into another: withdraw their view and results; the survivor shows them now. */
    private void retire(Record<String, PersonInput> record, PersonState state, String survivor) {
        for (String resultId : state.getPublishedResultIds()) {
            context.forward(record.withKey(resultId).withValue((SpecificRecord) null), RESULTS_SINK);
        }
        context.forward(record.withKey(state.getPersonId()).withValue((SpecificRecord) null), VIEWS_SINK);
        state.setMergedInto(survivor);
        state.setPublishedResultIds(List.of());
        state.setEncounters(List.of());
        state.setAlerts(List.of());
        states.put(state.getPersonId(), state);
        results.put(state.getPersonId(), PersonResults.empty(state.getPersonId()));
    }
}
