package org.careweave.processors.secondary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careweave.processors.secondary.Views.PSEUDONYMISER;
import static org.careweave.processors.secondary.Views.result;
import static org.careweave.processors.secondary.Views.view;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.careweave.events.Identifier;
import org.careweave.events.PersonView;
import org.careweave.processors.secondary.SecondaryPublication.Emission;
import org.careweave.processors.secondary.SecondaryPublication.Step;
import org.careweave.processors.secondary.SecondaryPublication.Target;
import org.junit.jupiter.api.Test;

class SecondaryPublicationTest {

    private static final String PERSON = "cwp-4411";
    private static final String NHS_NUMBER = "9990000026";
    private static final String OTHER_NHS_NUMBER = "9990000034";
    private static final String PSEUDONYM = PSEUDONYMISER.person(PERSON);

    private final PersonView view = SecondaryCandidates.minimise(view(PERSON, NHS_NUMBER,
            result("cwr-a", PERSON, "NM", "52", 52.0), result("cwr-b", PERSON, "NM", "7.1", 7.1)));

    @Test
    void holdsUntilTheOptOutStatusOfEveryNhsNumberIsKnown() {
        Step unknown = SecondaryPublication.next(view, null, null, PSEUDONYMISER);
        Step empty = SecondaryPublication.next(view, NhsStatuses.none(), null, PSEUDONYMISER);

        assertThat(unknown.emissions()).isEmpty();
        assertThat(unknown.after()).isNull();
        assertThat(empty.emissions()).isEmpty();
    }

    @Test
    void publishesThePersonAndEachResultOnceTheyAreKnownNotToHaveOptedOut() {
        Step step = SecondaryPublication.next(view, statuses(NHS_NUMBER, false), null, PSEUDONYMISER);

        assertThat(keys(step, Target.PERSONS)).containsExactly(PSEUDONYM);
        assertThat(keys(step, Target.RESULTS)).containsExactlyInAnyOrder(PSEUDONYMISER.result("cwr-a"),
                PSEUDONYMISER.result("cwr-b"));
        assertThat(step.emissions()).allSatisfy(e -> assertThat(e.value()).isNotNull());
        assertThat(step.after().pseudonym()).isEqualTo(PSEUDONYM);
    }

    @Test
    void aPersonWithoutAnNhsNumberIsPublishedAtOnce() {
        PersonView noNhs = PersonView.newBuilder(view).setNhsNumber(null).setIdentifiers(List.of()).build();

        Step step = SecondaryPublication.next(noNhs, null, null, PSEUDONYMISER);

        assertThat(keys(step, Target.PERSONS)).containsExactly(PSEUDONYM);
    }

    @Test
    void anOptedOutPersonIsNeverPublished() {
        Step step = SecondaryPublication.next(view, statuses(NHS_NUMBER, true), null, PSEUDONYMISER);

        assertThat(step.emissions()).isEmpty();
        assertThat(step.after()).isNull();
    }

    @Test
    void aLaterOptOutRetractsThePersonAndEveryResult() {
        Published before = SecondaryPublication.next(view, statuses(NHS_NUMBER, false), null, PSEUDONYMISER).after();

        Step step = SecondaryPublication.next(view, statuses(NHS_NUMBER, true), before, PSEUDONYMISER);

        assertThat(step.emissions()).allSatisfy(e -> assertThat(e.value()).as("tombstone").isNull());
        assertThat(keys(step, Target.PERSONS)).containsExactly(PSEUDONYM);
        assertThat(keys(step, Target.RESULTS)).containsExactlyInAnyOrder(PSEUDONYMISER.result("cwr-a"),
                PSEUDONYMISER.result("cwr-b"));
        assertThat(step.after()).isNull();
    }

    @Test
    void removalFromTheListReadmitsUnderTheSamePseudonym() {
        Published published = SecondaryPublication.next(view, statuses(NHS_NUMBER, false), null, PSEUDONYMISER)
                .after();
        Published retracted = SecondaryPublication.next(view, statuses(NHS_NUMBER, true), published, PSEUDONYMISER)
                .after();

        Step readmitted = SecondaryPublication.next(view, statuses(NHS_NUMBER, false), retracted, PSEUDONYMISER);

        assertThat(keys(readmitted, Target.PERSONS)).containsExactly(PSEUDONYM);
        assertThat(keys(readmitted, Target.RESULTS)).hasSize(2);
        assertThat(readmitted.after()).isEqualTo(published);
    }

    @Test
    void anOptOutUnderAnyOfThePersonsNhsNumbersCounts() {
        PersonView twoNumbers = PersonView.newBuilder(view).setIdentifiers(List.of(
                nhs(NHS_NUMBER), nhs(OTHER_NHS_NUMBER))).build();
        NhsStatuses onlyFirstKnown = statuses(NHS_NUMBER, false);

        assertThat(Admission.of(twoNumbers, onlyFirstKnown)).isEqualTo(Admission.HOLD);
        assertThat(Admission.of(twoNumbers, onlyFirstKnown.with(new NhsStatus(PERSON, OTHER_NHS_NUMBER, true))))
                .isEqualTo(Admission.RETRACT);
        assertThat(Admission.of(twoNumbers, onlyFirstKnown.with(new NhsStatus(PERSON, OTHER_NHS_NUMBER, false))))
                .isEqualTo(Admission.PUBLISH);
    }

    @Test
    void aRemovedViewIsRetracted() {
        Published before = SecondaryPublication.next(view, statuses(NHS_NUMBER, false), null, PSEUDONYMISER).after();

        Step step = SecondaryPublication.next(null, statuses(NHS_NUMBER, false), before, PSEUDONYMISER);

        assertThat(step.emissions()).hasSize(3).allSatisfy(e -> assertThat(e.value()).isNull());
        assertThat(step.after()).isNull();
    }

    @Test
    void aViewThatChangedOnlyInTimeRepublishesNothing() {
        Published before = SecondaryPublication.next(view, statuses(NHS_NUMBER, false), null, PSEUDONYMISER).after();
        PersonView later = PersonView.newBuilder(view).setVersion(9).setUpdatedAt(Instant.parse("2026-07-01T00:00:00Z"))
                .build();

        Step step = SecondaryPublication.next(later, statuses(NHS_NUMBER, false), before, PSEUDONYMISER);

        assertThat(step.emissions()).isEmpty();
    }

    @Test
    void aChangedResultIsRepublishedAndAVanishedOneTombstoned() {
        Published before = SecondaryPublication.next(view, statuses(NHS_NUMBER, false), null, PSEUDONYMISER).after();
        PersonView changed = PersonView.newBuilder(view).setResults(List.of(
                result("cwr-a", PERSON, "NM", "53", 53.0))).build();

        Step step = SecondaryPublication.next(changed, statuses(NHS_NUMBER, false), before, PSEUDONYMISER);

        assertThat(step.emissions()).extracting(Emission::key, e -> e.value() == null).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(PSEUDONYMISER.result("cwr-a"), false),
                org.assertj.core.groups.Tuple.tuple(PSEUDONYMISER.result("cwr-b"), true));
        assertThat(step.after().results()).containsOnlyKeys(PSEUDONYMISER.result("cwr-a"));
    }

    @Test
    void aNewKeyWithdrawsWhatWasPublishedUnderTheOldOne() {
        Published before = SecondaryPublication.next(view, statuses(NHS_NUMBER, false), null, PSEUDONYMISER).after();
        Pseudonymiser rotated = new Pseudonymiser(PseudonymKey.of("rotated-key-0123456789-0123456789-01"),
                BirthPrecision.YEAR);

        Step step = SecondaryPublication.next(view, statuses(NHS_NUMBER, false), before, rotated);

        assertThat(step.emissions().stream().filter(e -> e.value() == null).map(Emission::key))
                .containsExactlyInAnyOrder(PSEUDONYM, PSEUDONYMISER.result("cwr-a"), PSEUDONYMISER.result("cwr-b"));
        assertThat(step.emissions().stream().filter(e -> e.value() != null).map(Emission::key))
                .containsExactlyInAnyOrder(rotated.person(PERSON), rotated.result("cwr-a"), rotated.result("cwr-b"));
    }

    private static NhsStatuses statuses(String nhsNumber, boolean optedOut) {
        return new NhsStatuses(Map.of(nhsNumber, optedOut));
    }

    private static Identifier nhs(String number) {
        return Identifier.newBuilder().setSystem(SecondaryCandidates.NHS_SYSTEM).setValue(number).build();
    }

    private static List<String> keys(Step step, Target target) {
        return step.emissions().stream().filter(e -> e.target() == target).map(Emission::key).toList();
    }
}
