package org.careweave.processors.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.careweave.events.HumanName;
import org.careweave.events.PersonGolden;
import org.careweave.events.PersonView;
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

    private static PersonGolden.Builder golden() {
        return PersonGolden.newBuilder().setPersonId("cwp-1").setVersion(2)
                .setName(HumanName.newBuilder().setFamily("Invented").setGiven(List.of("Orla")).build())
                .setUpdatedAt(NOW);
    }

    private static PersonState state(PersonGolden.Builder golden) {
        return PersonState.newBuilder().setPersonId("cwp-1").setGolden(golden.build()).build();
    }
}
