package org.careweave.store.views;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.careweave.events.PersonView;
import org.careweave.store.db.ConsumerPositions;
import org.careweave.store.db.PostgresText;
import org.careweave.store.db.SqlErrors;
import org.careweave.store.views.PersonRows.Stored;
import org.careweave.store.views.WriteGuard.Live;
import org.careweave.store.views.WriteGuard.Position;
import org.careweave.store.views.WriteGuard.Removed;

/**
 * Writes one polled batch and the positions after it in a single transaction: either all of it is in the database
 * or none of it is, so a crash anywhere loses nothing and, on restart from the stored positions, repeats nothing.
 *
 * <p>The batch is written set-wise, not record by record:
 * <ol>
 *   <li>the stored guard rows of every person in the batch are read and locked with one statement per table;</li>
 *   <li>the {@link WriteGuard} is run in memory over <em>every</em> record, in the order the records were polled, each
 *       record seeing the state the records before it left (exactly what the database would hold had they been
 *       written one by one);</li>
 *   <li>only each person's final state is written, with statements for the whole batch.</li>
 * </ol>
 *
 * <p>Why this is the same as writing every record in turn: a record's effect on a person's rows depends only on the
 * person's guard state ({@link Live} or {@link Removed}) at that moment, and it either changes nothing (stale) or
 * replaces the person's rows wholesale (a view replaces document and children and drops the removal; a tombstone
 * deletes everything and records the removal). So the person's rows after the batch are those of the last record that
 * applied, and the guard state each record saw is tracked exactly in memory (it is a function of the state before and
 * of the records that applied). The record with the highest offset does not always decide: it may be a re-delivered
 * older view that the guard rejects, and offsets of two partitions are not comparable; running the guard over all of
 * them in order covers both. Redirects are the one thing that is not per person (a merged id's redirect may be
 * written by several survivors), so every applied view's redirect change is replayed in memory, in order, over the
 * locked redirect rows, and only the difference is written. Positions advance past every record, skipped or stale
 * ones included; unusable records are recorded as before. The outcome counts are those of the record-by-record write.
 * (A batch the database refuses for its data is written again one record at a time: {@code PositionedConsumer}.)
 */
final class BatchWriter {

    /** What happened to each record of a batch. */
    record Outcome(int applied, int removed, int stale, int skipped) {
        Outcome plus(Outcome o) {
            return new Outcome(applied + o.applied, removed + o.removed, stale + o.stale, skipped + o.skipped);
        }
    }

    private final String topic;
    private final PersonRows rows;

    BatchWriter(String topic, PersonRows rows) {
        this.topic = topic;
        this.rows = rows;
    }

    Outcome write(Connection c, Iterable<ConsumerRecord<String, PersonView>> records) throws SQLException {
        c.setAutoCommit(false);
        try {
            Map<Integer, Long> next = new HashMap<>();
            List<ConsumerRecord<String, PersonView>> usable = new ArrayList<>();
            Set<String> personIds = new LinkedHashSet<>();
            int skipped = 0;
            for (ConsumerRecord<String, PersonView> record : records) {
                next.merge(record.partition(), record.offset() + 1, Math::max);
                String reason = unusable(record);
                if (reason != null) {
                    ConsumerPositions.recordSkipped(c, topic, record.partition(), record.offset(), reason);
                    skipped++;
                    continue;
                }
                usable.add(record);
                personIds.add(record.key());
            }
            Outcome total = new Outcome(0, 0, 0, skipped);
            if (!usable.isEmpty()) {
                total = total.plus(apply(c, usable, personIds));
            }
            ConsumerPositions.save(c, topic, next);
            c.commit();
            return total;
        } catch (SQLException | RuntimeException e) {
            SqlErrors.rollbackQuietly(c, e);
            throw e;
        }
    }

    /** Steps over a record that cannot be read or written, leaving a row that says why, in one transaction. */
    void skip(Connection c, int partition, long offset, String reason) throws SQLException {
        ConsumerPositions.skipInTransaction(c, topic, partition, offset, reason);
    }

    private static String unusable(ConsumerRecord<String, PersonView> record) {
        if (record.key() == null) {
            return "record has no key";
        }
        if (record.key().indexOf(PostgresText.NUL) >= 0) {
            // No row can be filed under it (PostgreSQL holds no NUL), and replacing it would file the view under
            // another person's id.
            return "key holds a NUL character";
        }
        if (record.value() != null && !record.key().equals(record.value().getPersonId())) {
            // The key decides compaction and tombstones; a view filed under another key would never be removed.
            return "key does not match PersonView.personId";
        }
        return null;
    }

    private Outcome apply(Connection c, List<ConsumerRecord<String, PersonView>> records, Set<String> personIds)
            throws SQLException {
        Map<String, Stored> before = rows.lock(c, personIds);
        Map<String, Stored> state = new HashMap<>(before);
        Map<String, PersonRows.Change> last = new LinkedHashMap<>();
        List<PersonView> appliedViews = new ArrayList<>();
        int applied = 0;
        int removed = 0;
        int stale = 0;
        for (ConsumerRecord<String, PersonView> record : records) {
            String personId = record.key();
            // PostgreSQL holds no NUL: each is stored as U+FFFD (PostgresText).
            PersonView view = PostgresText.withoutNul(record.value());
            Position position = new Position(record.partition(), record.offset());
            Stored stored = state.getOrDefault(personId, Stored.NOTHING);
            Optional<Live> live = stored.live();
            // As the record-by-record write read them: the removal only matters when there is no live row.
            Optional<Removed> gone = live.isPresent() ? Optional.empty() : stored.removed();
            if (view == null) {
                if (!WriteGuard.tombstoneApplies(position, live, gone)) {
                    stale++;
                    continue;
                }
                Long lastVersion = live.map(Live::version).orElse(gone.map(Removed::lastVersion).orElse(null));
                state.put(personId, new Stored(Optional.empty(), Optional.of(new Removed(lastVersion, position))));
                last.put(personId, new PersonRows.Change(personId, null, position, lastVersion));
                removed++;
            } else {
                if (!WriteGuard.viewApplies(view.getVersion(), position, live, gone)) {
                    stale++;
                    continue;
                }
                state.put(personId, new Stored(Optional.of(new Live(view.getVersion(), position)), Optional.empty()));
                last.put(personId, new PersonRows.Change(personId, view, position, null));
                appliedViews.add(view);
                applied++;
            }
        }
        rows.write(c, last.values(), appliedViews);
        return new Outcome(applied, removed, stale, 0);
    }
}
