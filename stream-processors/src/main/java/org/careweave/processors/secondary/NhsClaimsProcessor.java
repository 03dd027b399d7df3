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
 *
 * <p>A claim is stamped with the time it is made (the stream's wall clock), not its view's. The lookup runs in the
 * task that reads the list, and Kafka Streams gives that task the buffered record with the older timestamp first:
 * under the view's timestamp, a claim from a view of October was looked up before an opt-out loaded in November was
 * read, whenever both were waiting. That is the case when the stream first starts over a history (the views and the
 * whole list are read at once; a list of 150,000 takes long enough): the person was published, then retracted.
 * Stamped when made, a claim sorts after every opt-out loaded before it, which the task then reads first (with
 * {@code max.task.idle.ms} at its default it waits for the list's records it knows are there). An opt-out loaded
 * after a claim is made is read after its lookup, and retracts: it is a later opt-out.
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
        long madeAt = Math.max(record.timestamp(), context.currentSystemTimeMs());
        for (String gone : before) {
            if (!now.contains(gone)) {
                context.forward(record.withKey(new NhsClaim(personId, gone).key()).<NhsClaim>withValue(null)
                        .withTimestamp(madeAt));
            }
        }
        for (String added : now) {
            if (!before.contains(added)) {
                NhsClaim claim = new NhsClaim(personId, added);
                context.forward(record.withKey(claim.key()).withValue(claim).withTimestamp(madeAt));
            }
        }
        if (now.isEmpty()) {
            claimed.delete(personId);
        } else if (!now.equals(before)) {
            claimed.put(personId, String.join(",", now));
        }
    }
}
