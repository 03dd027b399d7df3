package org.careweave.processors.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.careweave.events.Coding;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.HumanName;
import org.careweave.events.PersonGolden;
import org.careweave.events.PersonView;
import org.careweave.events.StatedTime;
import org.careweave.internal.PersonState;
import org.junit.jupiter.api.Test;

class PersonViewsTest {

    private static final Instant NOW = Instant.parse("2026-11-28T02:00:00Z");

    @Test
    void aPersonWhoDiedIsShownSoAndOneWhoIsAliveIsNot() {
        Instant died = Instant.parse("2026-11-27T12:30:00Z");
        PersonView deceased = PersonViews.of(state(golden().setDeceasedAt(died)), List.of(), NOW);
        PersonView alive = PersonViews.of(state(golden()), List.of(), NOW);

        assertThat(deceased.getDeceasedAt()).isEqualTo(died);
        assertThat(alive.getDeceasedAt()).isNull();
        assertThat(new ViewDigests().of(deceased)).as("a death changes what the view shows, so it is published")
                .isNotEqualTo(new ViewDigests().of(alive));
    }

    @Test
    void aDeathWithoutItsDateIsShownAndPublished() {
        PersonView dateUnknown = PersonViews.of(state(golden().setDeceased(true)), List.of(), NOW);
        PersonView alive = PersonViews.of(state(golden()), List.of(), NOW);

        assertThat(dateUnknown.getDeceased()).isTrue();
        assertThat(dateUnknown.getDeceasedAt()).isNull();
        assertThat(alive.getDeceased()).isFalse();
        assertThat(new ViewDigests().of(dateUnknown)).isNotEqualTo(new ViewDigests().of(alive));
    }

    @Test
    void resultsCollectedTogetherReadAsTheirReportsDid() {
        StatedTime morning = StatedTime.newBuilder().setInstant(Instant.parse("2026-11-27T08:30:00Z"))
                .setOffsetSeconds(0).build();
        StatedTime evening = StatedTime.newBuilder().setInstant(Instant.parse("2026-11-27T18:00:00Z"))
                .setOffsetSeconds(0).build();
        List<DeduplicatedResult> results = List.of(
                result("cwr-a", "UE", 3, morning), result("cwr-b", "FBC", 1, morning),
                result("cwr-c", "UE", 1, morning), result("cwr-d", null, 1, morning),
                result("cwr-e", "UE", 2, morning), result("cwr-f", "CRP", 1, evening));

        PersonView view = PersonViews.of(state(golden()), results, NOW);

        assertThat(view.getResults()).extracting(DeduplicatedResult::getResultId)
                .as("latest first; then by order, each in its report's sequence; without an order last")
                .containsExactly("cwr-f", "cwr-b", "cwr-c", "cwr-e", "cwr-a", "cwr-d");
    }

    private static DeduplicatedResult result(String id, String order, int setId, StatedTime collected) {
        return DeduplicatedResult.newBuilder().setResultId(id).setPersonId("cwp-1")
                .setCode(Coding.newBuilder().setCode(id).build()).setValueType("NM").setStatus("F")
                .setCollectedAt(collected).setUpdatedAt(NOW).setSetId(setId)
                .setOrderCode(order == null ? null : Coding.newBuilder().setSystem("RHMX1").setCode(order).build())
                .build();
    }

    private static PersonGolden.Builder golden() {
        return PersonGolden.newBuilder().setPersonId("cwp-1").setVersion(2)
                .setName(HumanName.newBuilder().setFamily("Invented").setGiven(List.of("Orla")).build())
                .setUpdatedAt(NOW);
    }

    private static PersonState state(PersonGolden.Builder golden) {
        return PersonState.newBuilder().setPersonId("cwp-1").setGolden(golden.build()).build();
    }
}
