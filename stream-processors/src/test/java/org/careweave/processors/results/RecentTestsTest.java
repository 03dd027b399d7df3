package org.careweave.processors.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careweave.processors.results.Observations.local;
import static org.careweave.processors.results.Observations.loinc;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The "before you order" check. Invented patients only. */
class RecentTestsTest {

    private static final String PERSON = "cwp-test-dave";
    private final RecentTests recentTests = RecentTests.withDefaults();

    private final PersonResults state = PersonResults.empty()
            .apply(Observations.at("RHMX1").patient("L400").filler("A1").code(local("RHMX1", "HBA1C"))
                    .numeric("6.9", "%").collected("2026-01-10T09:00:00Z").event(), PERSON).newState()
            .apply(Observations.at("B86001").patient("GP400").placer("G1").code(loinc("4548-4"))
                    .numeric("7.2", "%").collected("2026-02-01T09:00:00Z").event(), PERSON).newState()
            .apply(Observations.at("RHMX1").patient("L400").filler("A2").code(local("RHMX1", "HB"))
                    .numeric("128", "g/L").collected("2026-02-01T09:00:00Z").event(), PERSON).newState();

    @Test
    void aTestWithinItsIntervalSaysWhenItWouldBeSensible() {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        assertThat(recentTests.check(state, loinc("4548-4"), now)).hasValueSatisfying(recent -> {
            assertThat(recent.lastResult().getValue()).isEqualTo("7.2");
            assertThat(recent.rule().id()).isEqualTo("hba1c");
            assertThat(recent.withinInterval()).isTrue();
            assertThat(recent.earliestSensible())
                    .isEqualTo(Instant.parse("2026-02-01T09:00:00Z").plus(Duration.ofDays(90)));
        });
    }

    @Test
    void aTestTheLaboratoryCouldNotDoIsNotTheLastTest() {
        PersonResults failed = state.apply(Observations.at("RHMX1").patient("L400").filler("A3")
                .code(loinc("4548-4")).text("ST", "Insufficient sample").collected("2026-02-20T09:00:00Z").event(),
                PERSON).newState();
        assertThat(recentTests.check(failed, loinc("4548-4"), Instant.parse("2026-03-01T10:00:00Z")))
                .hasValueSatisfying(recent -> {
                    assertThat(recent.lastResult().getValue()).as("the test done before it").isEqualTo("7.2");
                    assertThat(recent.earliestSensible())
                            .isEqualTo(Instant.parse("2026-02-01T09:00:00Z").plus(Duration.ofDays(90)));
                });
    }

    @Test
    void afterTheIntervalTheTestIsNoLongerTooSoon() {
        assertThat(recentTests.check(state, loinc("59261-8"), Instant.parse("2026-06-01T10:00:00Z")))
                .hasValueSatisfying(recent -> {
                    assertThat(recent.lastResult().getValue()).isEqualTo("7.2");
                    assertThat(recent.withinInterval()).isFalse();
                });
    }

    @Test
    void aLocalCodeFindsTheRuleOfTheLoincItIsMappedTo() {
        assertThat(recentTests.check(state, local("RHMX1", "HBA1C"), Instant.parse("2026-03-01T10:00:00Z")))
                .hasValueSatisfying(recent -> {
                    assertThat(recent.rule().id()).isEqualTo("hba1c");
                    assertThat(recent.withinInterval()).isTrue();
                });
    }

    @Test
    void aTestWithoutARuleShowsTheLastResultOnly() {
        assertThat(recentTests.check(state, loinc("718-7"), Instant.parse("2026-03-01T10:00:00Z")))
                .hasValueSatisfying(recent -> {
                    assertThat(recent.lastResult().getValue()).isEqualTo("128");
                    assertThat(recent.rule()).isNull();
                    assertThat(recent.withinInterval()).isFalse();
                    assertThat(recent.earliestSensible()).isNull();
                });
    }

    @Test
    void noResultOfTheTestIsEmpty() {
        assertThat(recentTests.check(state, loinc("3016-3"), Instant.parse("2026-03-01T10:00:00Z"))).isEmpty();
        assertThat(recentTests.check(PersonResults.empty(), loinc("4548-4"), Instant.now())).isEmpty();
        // results collected after "now" are not yet history
        assertThat(recentTests.check(state, loinc("4548-4"), Instant.parse("2026-01-01T00:00:00Z"))).isEmpty();
    }
}
