package org.careweave.processors.secondary;

import java.util.Arrays;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.careweave.events.PersonView;

/**
 * Keyed by person id: minimises each view and passes it on only when what the secondary-use stream reads of it
 * changed (or the view was removed). Why: most views change for what research never sees (an encounter, a phone
 * number, an A08 resent), and every candidate that passes costs the stream a table write with its changelog, an
 * opt-out lookup, a join and the publisher's fingerprints. Remembers a digest per person, not the view.
 */
final class CandidateChanges implements Processor<String, PersonView, String, PersonView> {

    static final String STORE = "secondary-candidate-digests";

    private final CandidateDigests digests;
    private ProcessorContext<String, PersonView> context;
    private KeyValueStore<String, byte[]> passed;

    CandidateChanges(Pseudonymiser pseudonymiser) {
        this.digests = new CandidateDigests(pseudonymiser.settingsFingerprint());
    }

    @Override
    public void init(ProcessorContext<String, PersonView> context) {
        this.context = context;
        this.passed = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, PersonView> record) {
        String personId = record.key();
        if (personId == null) {
            return;
        }
        if (record.value() == null) {
            if (passed.get(personId) != null) {
                passed.delete(personId);
            }
            context.forward(record.withValue(null));
            return;
        }
        PersonView candidate = SecondaryCandidates.minimise(record.value());
        byte[] digest = digests.of(candidate);
        if (Arrays.equals(digest, passed.get(personId))) {
            return;
        }
        passed.put(personId, digest);
        context.forward(record.withValue(candidate));
    }
}
