package org.careweave.store.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.careweave.store.health.HealthCheck;
import org.careweave.store.views.SinkService.LoopState;
import org.junit.jupiter.api.Test;

class SinkHealthTest {

    private static final LoopState GOING = new LoopState(null, Duration.ofMillis(400));

    @Test
    void loopsGoingRoundWithinTheAllowedLagAreUp() {
        assertThat(SinkService.health(GOING, GOING, 12, 10_000)).isEqualTo(HealthCheck.Status.up("lag 12 records"));
        assertThat(SinkService.health(GOING, GOING, -1, 10_000).up()).isTrue();
        assertThat(SinkService.health(GOING, GOING, 10_001, 10_000).up()).isFalse();
    }

    @Test
    void aLoopBlockedInAWriteIsDownThoughNothingFailedAndItsLastLagWasSmall() {
        // A write waiting on a black-holed connection: no exception (problem null), the lag frozen where it was.
        LoopState blocked = new LoopState(null, SinkService.MAX_ROUND.plusSeconds(1));

        HealthCheck.Status views = SinkService.health(blocked, GOING, 3, 10_000);
        assertThat(views.up()).isFalse();
        assertThat(views.detail()).startsWith("stuck: no round finished for " + SinkService.MAX_ROUND.plusSeconds(1)
                .toSeconds() + " s");
        HealthCheck.Status reviews = SinkService.health(GOING, blocked, 3, 10_000);
        assertThat(reviews.up()).isFalse();
        assertThat(reviews.detail()).startsWith("review queue: stuck");
    }

    @Test
    void aRoundTakingAFewSecondsIsNoTrouble() {
        LoopState busy = new LoopState(null, SinkService.MAX_ROUND.minusSeconds(1));
        assertThat(SinkService.health(busy, busy, 3, 10_000).up()).isTrue();
    }

    @Test
    void aProblemIsReportedAsItIs() {
        LoopState failing = new LoopState("batch not written: 08006", Duration.ofSeconds(5));
        assertThat(SinkService.health(failing, GOING, 0, 10_000))
                .isEqualTo(HealthCheck.Status.down("batch not written: 08006"));
    }
}
