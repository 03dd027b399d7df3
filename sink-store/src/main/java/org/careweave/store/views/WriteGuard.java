package org.careweave.store.views;

import java.util.Optional;

/**
 * Whether a record of person.views may change a person's rows, so that re-delivery and replay never regress them.
 *
 * <p>A view replaces the stored one when its version is higher, or when the version is the same and it comes later
 * in the same partition (a re-delivered record changes nothing). After a tombstone, a view brings the person back only
 * if it comes later in the log than the tombstone <em>and</em> carries a higher version than the view that was
 * removed: a replayed old view must not resurrect a merged-away person. Offsets of different partitions are not
 * comparable (the topic's partition count may have changed), so there only versions decide.
 */
final class WriteGuard {

    record Position(int partition, long offset) {
        boolean isLaterInSamePartitionThan(Position other) {
            return partition == other.partition && offset > other.offset;
        }

        boolean samePartitionAs(Position other) {
            return partition == other.partition;
        }
    }

    /** What is stored for a live person. */
    record Live(long version, Position position) {
    }

    /** What is stored for a removed person; {@code lastVersion} is null when it was never stored live. */
    record Removed(Long lastVersion, Position position) {
    }

    private WriteGuard() {
    }

    static boolean viewApplies(long version, Position incoming, Optional<Live> live, Optional<Removed> removed) {
        if (live.isPresent()) {
            Live stored = live.get();
            if (version != stored.version()) {
                return version > stored.version();
            }
            return incoming.isLaterInSamePartitionThan(stored.position());
        }
        if (removed.isPresent()) {
            Removed gone = removed.get();
            boolean laterInLog = !incoming.samePartitionAs(gone.position())
                    || incoming.offset() > gone.position().offset();
            boolean newerVersion = gone.lastVersion() == null || version > gone.lastVersion();
            return laterInLog && newerVersion;
        }
        return true;
    }

    static boolean tombstoneApplies(Position incoming, Optional<Live> live, Optional<Removed> removed) {
        if (live.isPresent()) {
            Position stored = live.get().position();
            return !incoming.samePartitionAs(stored) || incoming.offset() > stored.offset();
        }
        return removed.map(gone -> !incoming.samePartitionAs(gone.position())
                || incoming.offset() > gone.position().offset()).orElse(true);
    }
}
