package org.careweave.processors.secondary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careweave.processors.secondary.Views.view;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.careweave.events.PersonView;
import org.careweave.processors.state.RecordingStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claims are stamped with the time they are made, so that the task looking them up in the opt-out list reads every
 * opt-out loaded before them first (it takes the older buffered record first). {@link SecondaryFirstStartIT} shows
 * it on the broker.
 */
class NhsClaimsProcessorTest {

    private static final Instant NOW = Instant.parse("2026-11-20T09:00:00Z");
    private static final Instant VIEW_OF_OCTOBER = Instant.parse("2026-10-03T14:00:00Z");

    private final MockProcessorContext<String, NhsClaim> context = new MockProcessorContext<>();
    private final NhsClaimsProcessor processor = new NhsClaimsProcessor();

    @BeforeEach
    void setUp() {
        context.addStateStore(new RecordingStore<String>(NhsClaimsProcessor.STORE));
        context.setCurrentSystemTimeMs(NOW.toEpochMilli());
        processor.init(context);
    }

    @Test
    void aClaimFromAnOlderViewIsStampedWhenItIsMadeNotWithTheViewsTime() {
        processor.process(new Record<>("cwp-1", view("cwp-1", "9990000573"), VIEW_OF_OCTOBER.toEpochMilli()));

        assertThat(context.forwarded()).hasSize(1);
        Record<? extends String, ? extends NhsClaim> claim = context.forwarded().get(0).record();
        assertThat(claim.value()).isEqualTo(new NhsClaim("cwp-1", "9990000573"));
        assertThat(Instant.ofEpochMilli(claim.timestamp())).isEqualTo(NOW);
    }

    @Test
    void aWithdrawnClaimIsStampedWhenItIsWithdrawn() {
        processor.process(new Record<>("cwp-1", view("cwp-1", "9990000573"), VIEW_OF_OCTOBER.toEpochMilli()));
        context.resetForwards();
        Instant later = NOW.plus(Duration.ofHours(2));
        context.setCurrentSystemTimeMs(later.toEpochMilli());
        PersonView renumbered = view("cwp-1", "9990000581");

        processor.process(new Record<>("cwp-1", renumbered, VIEW_OF_OCTOBER.toEpochMilli()));

        List<CapturedForward<? extends String, ? extends NhsClaim>> forwarded = context.forwarded();
        assertThat(forwarded).<String>extracting(f -> f.record().key())
                .containsExactly(new NhsClaim("cwp-1", "9990000573").key(), new NhsClaim("cwp-1", "9990000581").key());
        assertThat(forwarded.get(0).record().value()).isNull();
        assertThat(forwarded).allSatisfy(f -> assertThat(Instant.ofEpochMilli(f.record().timestamp()))
                .isEqualTo(later));
    }

    @Test
    void aViewStampedAheadOfTheStreamsClockKeepsItsTime() {
        Instant ahead = NOW.plusSeconds(5); // another host's clock
        processor.process(new Record<>("cwp-1", view("cwp-1", "9990000573"), ahead.toEpochMilli()));

        assertThat(Instant.ofEpochMilli(context.forwarded().get(0).record().timestamp())).isEqualTo(ahead);
    }
}
