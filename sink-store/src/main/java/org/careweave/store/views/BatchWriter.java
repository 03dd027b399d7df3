package org.careweave.store.views;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.careweave.events.PersonView;
import org.careweave.store.views.WriteGuard.Live;
import org.careweave.store.views.WriteGuard.Position;
import org.careweave.store.views.WriteGuard.Removed;

/**
 * Writes one polled batch and the positions after it in a single transaction: either all of it is in the database
 * or none of it is, so a crash anywhere loses nothing and, on restart from the stored positions, repeats nothing.
 */
final class BatchWriter {

    /** What happened to each record of a batch. */
    record Outcome(int applied, int removed, int stale, int skipped) {
        Outcome plus(Outcome o) {
            return new Outcome(applied + o.applied, removed + o.removed, stale + o.stale, skipped + o.skipped);
        }
    }

    private static final Outcome APPLIED = new Outcome(1, 0, 0, 0);
    private static final Outcome REMOVED = new Outcome(0, 1, 0, 0);
    private static final Outcome STALE = new Outcome(0, 0, 1, 0);
    private static final Outcome SKIPPED = new Outcome(0, 0, 0, 1);

    private final String topic;
    private final PersonRows rows;

    BatchWriter(String topic, PersonRows rows) {
        this.topic = topic;
        this.rows = rows;
    }

    Outcome write(Connection c, Iterable<ConsumerRecord<String, PersonView>> records) throws SQLException {
        c.setAutoCommit(false);
        try {
            Outcome total = new Outcome(0, 0, 0, 0);
            Map<Integer, Long> next = new HashMap<>();
            for (ConsumerRecord<String, PersonView> record : records) {
                total = total.plus(apply(c, record));
                next.merge(record.partition(), record.offset() + 1, Math::max);
            }
            ConsumerPositions.save(c, topic, next);
            c.commit();
            return total;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
        }
    }

    /** Steps over a record that cannot be read, leaving a row that says so, in one transaction. */
    void skipUnreadable(Connection c, int partition, long offset, String reason) throws SQLException {
        c.setAutoCommit(false);
        try {
            ConsumerPositions.recordSkipped(c, topic, partition, offset, reason);
            ConsumerPositions.save(c, topic, Map.of(partition, offset + 1));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
        }
    }

    private Outcome apply(Connection c, ConsumerRecord<String, PersonView> record) throws SQLException {
        Position position = new Position(record.partition(), record.offset());
        String personId = record.key();
        PersonView view = record.value();
        if (personId == null) {
            ConsumerPositions.recordSkipped(c, topic, record.partition(), record.offset(), "record has no key");
            return SKIPPED;
        }
        if (view != null && !personId.equals(view.getPersonId())) {
            // The key decides compaction and tombstones; a view filed under another key would never be removed.
            ConsumerPositions.recordSkipped(c, topic, record.partition(), record.offset(),
                    "key does not match PersonView.personId");
            return SKIPPED;
        }
        Optional<Live> live = rows.live(c, personId);
        Optional<Removed> removed = live.isPresent() ? Optional.empty() : rows.removed(c, personId);
        if (view == null) {
            if (!WriteGuard.tombstoneApplies(position, live, removed)) {
                return STALE;
            }
            Long lastVersion = live.map(Live::version).orElse(removed.map(Removed::lastVersion).orElse(null));
            rows.remove(c, personId, position, lastVersion);
            return REMOVED;
        }
        if (!WriteGuard.viewApplies(view.getVersion(), position, live, removed)) {
            return STALE;
        }
        rows.write(c, view, position);
        return APPLIED;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
