package org.careweave.store.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.careweave.store.views.WriteGuard.Live;
import org.careweave.store.views.WriteGuard.Position;
import org.careweave.store.views.WriteGuard.Removed;
import org.junit.jupiter.api.Test;

class WriteGuardTest {

    private static final Optional<Live> NONE = Optional.empty();
    private static final Optional<Removed> NOT_REMOVED = Optional.empty();

    private static Optional<Live> live(long version, int partition, long offset) {
        return Optional.of(new Live(version, new Position(partition, offset)));
    }

    private static Optional<Removed> removed(Long version, int partition, long offset) {
        return Optional.of(new Removed(version, new Position(partition, offset)));
    }

    @Test
    void aFirstViewApplies() {
        assertThat(WriteGuard.viewApplies(1, new Position(0, 5), NONE, NOT_REMOVED)).isTrue();
    }

    @Test
    void aHigherVersionReplacesALowerOne() {
        assertThat(WriteGuard.viewApplies(4, new Position(0, 9), live(3, 0, 5), NOT_REMOVED)).isTrue();
    }

    @Test
    void anOlderVersionNeverRegressesTheRowWhereverItComesFrom() {
        assertThat(WriteGuard.viewApplies(2, new Position(0, 9), live(3, 0, 5), NOT_REMOVED)).isFalse();
        assertThat(WriteGuard.viewApplies(2, new Position(1, 900), live(3, 0, 5), NOT_REMOVED)).isFalse();
    }

    @Test
    void theSameRecordDeliveredAgainChangesNothing() {
        assertThat(WriteGuard.viewApplies(3, new Position(0, 5), live(3, 0, 5), NOT_REMOVED)).isFalse();
    }

    @Test
    void theSameVersionLaterInThePartitionApplies() {
        assertThat(WriteGuard.viewApplies(3, new Position(0, 6), live(3, 0, 5), NOT_REMOVED)).isTrue();
        assertThat(WriteGuard.viewApplies(3, new Position(0, 4), live(3, 0, 5), NOT_REMOVED)).isFalse();
    }

    @Test
    void aViewOlderThanTheTombstoneDoesNotBringThePersonBack() {
        assertThat(WriteGuard.viewApplies(7, new Position(0, 4), NONE, removed(3L, 0, 5))).isFalse();
    }

    @Test
    void anOldVersionReplayedAfterTheTombstoneDoesNotBringThePersonBack() {
        assertThat(WriteGuard.viewApplies(3, new Position(0, 6), NONE, removed(3L, 0, 5))).isFalse();
        assertThat(WriteGuard.viewApplies(1, new Position(0, 6), NONE, removed(3L, 0, 5))).isFalse();
    }

    @Test
    void aNewerVersionAfterTheTombstoneBringsThePersonBack() {
        assertThat(WriteGuard.viewApplies(4, new Position(0, 6), NONE, removed(3L, 0, 5))).isTrue();
    }

    @Test
    void fromAnotherPartitionOnlyAHigherVersionBringsThePersonBack() {
        assertThat(WriteGuard.viewApplies(3, new Position(2, 60), NONE, removed(3L, 0, 5))).isFalse();
        assertThat(WriteGuard.viewApplies(4, new Position(2, 60), NONE, removed(3L, 0, 5))).isTrue();
        assertThat(WriteGuard.viewApplies(1, new Position(2, 60), NONE, removed(null, 0, 5))).isTrue();
    }

    @Test
    void aTombstoneRemovesWhatCameBeforeItButNotWhatCameAfter() {
        assertThat(WriteGuard.tombstoneApplies(new Position(0, 6), live(3, 0, 5), NOT_REMOVED)).isTrue();
        assertThat(WriteGuard.tombstoneApplies(new Position(0, 4), live(3, 0, 5), NOT_REMOVED)).isFalse();
        assertThat(WriteGuard.tombstoneApplies(new Position(0, 5), live(3, 0, 5), NOT_REMOVED)).isFalse();
    }

    @Test
    void aTombstoneForAnUnknownPersonIsRemembered() {
        assertThat(WriteGuard.tombstoneApplies(new Position(0, 6), NONE, NOT_REMOVED)).isTrue();
        assertThat(WriteGuard.tombstoneApplies(new Position(0, 6), NONE, removed(2L, 0, 6))).isFalse();
    }
}
