package org.careweave.processors.secondary;

import java.util.Arrays;
import java.util.Optional;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.careweave.events.PersonView;
import org.careweave.processors.views.ViewDigests;

/**
 * The secondary-use stream's first step, per person: minimises each view and passes it on only when what the stream
 * reads of it changed, or the view was removed. Why: most views change for what research never sees (an encounter, a
 * phone number, an A08 resent), and every candidate that passes costs the stream a table write with its changelog,
 * an opt-out lookup, a join and the publisher's fingerprints. Remembers a digest per person (SHA-256 of the
 * minimised view without its version and time; {@link ViewDigests}), not the view.
 */
final class CandidateChanges {

    static final String STORE = "secondary-candidate-digests";
    /** Raise when {@link SecondaryRecords} or {@link SecondaryCandidates} change what they keep. */
    // 2: the year of death is kept and published; 3: so is a death without its date; 4: a value only when a number
    static final byte FORMAT = 4;

    /** @param candidate the minimised view to pass on; null when the person's view was removed */
    record Passed(PersonView candidate) {
    }

    private final ViewDigests digests;
    private final KeyValueStore<String, byte[]> passed;

    CandidateChanges(Pseudonymiser pseudonymiser, KeyValueStore<String, byte[]> passed) {
        // The key and the birth precision are in the digest, and so is FORMAT: a new key or precision, or a release
        // that changes what is published, lets every person through again at their next view (with a new key they
        // must be republished under their new pseudonym).
        byte[] settings = pseudonymiser.settingsFingerprint();
        byte[] salt = Arrays.copyOf(settings, settings.length + 1);
        salt[settings.length] = FORMAT;
        this.digests = new ViewDigests(salt);
        this.passed = passed;
    }

    /** What to pass on for this view of the person (null: removed); empty when nothing research reads changed. */
    Optional<Passed> next(String personId, PersonView view) {
        if (view == null) {
            if (passed.get(personId) != null) {
                passed.delete(personId);
            }
            return Optional.of(new Passed(null));
        }
        PersonView candidate = SecondaryCandidates.minimise(view);
        byte[] digest = digests.of(candidate).array();
        if (Arrays.equals(digest, passed.get(personId))) {
            return Optional.empty();
        }
        passed.put(personId, digest);
        return Optional.of(new Passed(candidate));
    }

    /** The step in the topology; keeps the key, so the candidates table needs no repartition. */
    static final class Stage implements FixedKeyProcessor<String, PersonView, PersonView> {

        private final Pseudonymiser pseudonymiser;
        private FixedKeyProcessorContext<String, PersonView> context;
        private CandidateChanges changes;

        Stage(Pseudonymiser pseudonymiser) {
            this.pseudonymiser = pseudonymiser;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, PersonView> context) {
            this.context = context;
            this.changes = new CandidateChanges(pseudonymiser, context.getStateStore(STORE));
        }

        @Override
        public void process(FixedKeyRecord<String, PersonView> record) {
            if (record.key() == null) {
                return;
            }
            changes.next(record.key(), record.value())
                    .ifPresent(p -> context.forward(record.withValue(p.candidate())));
        }
    }
}
