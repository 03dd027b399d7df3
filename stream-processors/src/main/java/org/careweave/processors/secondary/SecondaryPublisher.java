package org.careweave.processors.secondary;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.careweave.processors.secondary.SecondaryPublication.Emission;
import org.careweave.processors.secondary.SecondaryPublication.Step;

/**
 * Keyed by person id: applies {@link SecondaryPublication} and sends its records to secondary.persons and
 * secondary.results, remembering what it published so that a later opt-out or merge can withdraw all of it.
 */
final class SecondaryPublisher implements Processor<String, Gate, String, SpecificRecord> {

    static final String STORE = "secondary-published";
    static final String PERSONS_SINK = "secondary-persons-sink";
    static final String RESULTS_SINK = "secondary-results-sink";

    private final Pseudonymiser pseudonymiser;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Published> published;

    SecondaryPublisher(Pseudonymiser pseudonymiser) {
        this.pseudonymiser = pseudonymiser;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.published = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, Gate> record) {
        String personId = record.key();
        if (personId == null) {
            return;
        }
        Gate gate = record.value();
        Published before = published.get(personId);
        Step step = gate == null
                ? SecondaryPublication.next(null, null, before, pseudonymiser)
                : SecondaryPublication.next(gate.candidate(), gate.statuses(), before, pseudonymiser);
        for (Emission e : step.emissions()) {
            String sink = e.target() == SecondaryPublication.Target.PERSONS ? PERSONS_SINK : RESULTS_SINK;
            context.forward(record.withKey(e.key()).withValue(e.value()), sink);
        }
        if (step.after() == null) {
            if (before != null) {
                published.delete(personId);
            }
        } else if (!step.after().equals(before)) {
            published.put(personId, step.after());
        }
    }
}
