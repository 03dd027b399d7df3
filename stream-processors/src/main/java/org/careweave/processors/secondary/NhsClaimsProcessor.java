package org.careweave.processors.secondary;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.careweave.events.PersonView;

/**
 * Keyed by person id: turns each view into one claim per NHS number it carries, and withdraws (tombstones) the
 * claims of numbers the view no longer carries or of a view that was removed. The claims are looked up in the
 * opt-out list by NHS number downstream.
 */
final class NhsClaimsProcessor implements Processor<String, PersonView, String, NhsClaim> {

    static final String STORE = "secondary-claimed-nhs-numbers";

    private ProcessorContext<String, NhsClaim> context;
    private KeyValueStore<String, String> claimed; // person id → NHS numbers, comma-separated

    @Override
    public void init(ProcessorContext<String, NhsClaim> context) {
        this.context = context;
        this.claimed = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, PersonView> record) {
        String personId = record.key();
        if (personId == null) {
            return;
        }
        String stored = claimed.get(personId);
        Set<String> before = stored == null ? Set.of() : new TreeSet<>(List.of(stored.split(",")));
        Set<String> now = record.value() == null ? Set.of() : SecondaryCandidates.nhsNumbers(record.value());
        for (String gone : before) {
            if (!now.contains(gone)) {
                context.forward(record.withKey(new NhsClaim(personId, gone).key()).withValue(null));
            }
        }
        for (String added : now) {
            if (!before.contains(added)) {
                NhsClaim claim = new NhsClaim(personId, added);
                context.forward(record.withKey(claim.key()).withValue(claim));
            }
        }
        if (now.isEmpty()) {
            claimed.delete(personId);
        } else if (!now.equals(before)) {
            claimed.put(personId, String.join(",", now));
        }
    }
}
