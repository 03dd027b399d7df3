package org.careweave.processors.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careweave.processors.results.Observations.local;
import static org.careweave.processors.results.Observations.loinc;

import org.careweave.events.ObservationEvent;
import org.careweave.events.StatedTime;
import org.junit.jupiter.api.Test;

/** Version identity and content identity. Invented patients only. */
class ResultKeysTest {

    private static final String PERSON = "cwp-test-person-1";
    private static final String COLLECTED = "2026-02-10T09:30:00Z";

    private static Observations hospital() {
        return Observations.at("RHMX1").patient("L100").filler("F7001").placer("P7001").code(loinc("4548-4"))
                .numeric("6.5", "%").collected(COLLECTED);
    }

    private static Observations gp() {
        return Observations.at("B86001").patient("GP55").placer("GPORD9").code(loinc("4548-4"))
                .numeric("6.5", "%").collected(COLLECTED);
    }

    private static String content(Observations o) {
        return ResultKeys.contentKey(PERSON, o.event()).orElseThrow();
    }

    @Test
    void numbersAreComparedAsNumbers() {
        assertThat(content(hospital().numeric("6.50", "%"))).isEqualTo(content(gp().numeric("6.5", "%")));
        assertThat(content(hospital().numeric("06.5", "%"))).isEqualTo(content(gp().numeric("6.500", "%")));
        assertThat(content(hospital().numeric("6.5", "%"))).isNotEqualTo(content(gp().numeric("6.6", "%")));
    }

    @Test
    void aNumberSentAsTextIsStillANumber() {
        assertThat(content(gp().text("ST", " 6.50 ").units("%"))).isEqualTo(content(hospital().numeric("6.5", "%")));
    }

    @Test
    void textValuesIgnoreCaseAndSpacing() {
        ObservationEvent a = hospital().text("ST", "Not  detected").units(null).event();
        ObservationEvent b = gp().text("ST", "NOT DETECTED").units(null).event();
        assertThat(ResultKeys.contentKey(PERSON, a)).isEqualTo(ResultKeys.contentKey(PERSON, b));
    }

    @Test
    void unitSpellingsOfTheSameQuantityMatchButOtherQuantitiesDoNot() {
        Observations chol = hospital().code(loinc("14647-2"));
        assertThat(content(chol.numeric("5.2", "mmol/l")))
                .isEqualTo(content(gp().code(loinc("14647-2")).numeric("5.2", "mmol/L")));
        assertThat(content(hospital().code(loinc("3016-3")).numeric("2.1", "mU/L")))
                .isEqualTo(content(gp().code(loinc("3016-3")).numeric("2.1", "mIU/L")));
        assertThat(content(hospital().code(loinc("14647-2")).numeric("5.2", "mmol/L")))
                .isNotEqualTo(content(gp().code(loinc("14647-2")).numeric("5.2", "mg/dL")));
    }

    @Test
    void localCodesAreComparedAfterMappingToLoinc() {
        ObservationEvent hospitalLocal = hospital().code(local("RHMX1", "HBA1C")).event();
        ObservationEvent gpLocal = gp().code(local("B86001", "GPHBA1C")).event();
        ObservationEvent loincAsSent = gp().event();
        assertThat(ResultKeys.contentKey(PERSON, hospitalLocal)).isEqualTo(ResultKeys.contentKey(PERSON, gpLocal))
                .isEqualTo(ResultKeys.contentKey(PERSON, loincAsSent));
        // a code nobody mapped is only ever equal to itself
        ObservationEvent unmapped = gp().code(local("B86001", "XYZ")).event();
        assertThat(ResultKeys.contentKey(PERSON, unmapped)).isNotEqualTo(ResultKeys.contentKey(PERSON, gpLocal));
        // a local code means something only at its own facility: RHMX1's HBA1C is not mapped for RAE01
        ObservationEvent elsewhere = Observations.at("RAE01").patient("B1").filler("X1").code(local("RAE01", "HBA1C"))
                .numeric("6.5", "%").collected(COLLECTED).event();
        assertThat(ResultKeys.contentKey(PERSON, elsewhere)).isNotEqualTo(ResultKeys.contentKey(PERSON, gpLocal));
    }

    @Test
    void theCollectionInstantCountsNotTheClockTime() {
        ObservationEvent utc = hospital().collected(Observations.utc("2025-07-14T08:00:00Z")).event();
        ObservationEvent londonSummer = gp().collected(Observations.londonClock("2025-07-14T09:00:00")).event();
        ObservationEvent londonClockSameDigits = gp().collected(Observations.londonClock("2025-07-14T08:00:00"))
                .event();
        assertThat(ResultKeys.contentKey(PERSON, utc)).isEqualTo(ResultKeys.contentKey(PERSON, londonSummer));
        assertThat(ResultKeys.contentKey(PERSON, utc)).isNotEqualTo(ResultKeys.contentKey(PERSON,
                londonClockSameDigits));
    }

    @Test
    void thePersonIsPartOfTheContentKey() {
        ObservationEvent e = hospital().event();
        assertThat(ResultKeys.contentKey(PERSON, e)).isNotEqualTo(ResultKeys.contentKey("cwp-test-person-2", e));
    }

    @Test
    void withoutValueCollectionTimeOrWithARetractionThereIsNoContentKey() {
        assertThat(ResultKeys.contentKey(PERSON, hospital().noValue().event())).isEmpty();
        assertThat(ResultKeys.contentKey(PERSON, hospital().collected((StatedTime) null)
                .event())).isEmpty();
        assertThat(ResultKeys.contentKey(PERSON, hospital().status("W").event())).isEmpty();
    }

    @Test
    void versionsOfOneResultShareTheVersionKey() {
        ObservationEvent p = hospital().status("P").reported("2026-02-10T10:00:00Z").event();
        ObservationEvent f = hospital().status("F").reported("2026-02-10T12:00:00Z").event();
        ObservationEvent c = hospital().status("C").numeric("6.9", "%").setId(3).event();
        assertThat(p.getProvenance().getControlId()).isNotEqualTo(f.getProvenance().getControlId());
        assertThat(ResultKeys.versionKey(p)).isEqualTo(ResultKeys.versionKey(f)).isEqualTo(ResultKeys.versionKey(c));
    }

    @Test
    void versionKeyUsesFillerThenPlacerAndTheSubId() {
        String withFiller = ResultKeys.versionKey(hospital().event());
        String placerOnly = ResultKeys.versionKey(hospital().filler(null).event());
        assertThat(withFiller).contains("F:F7001").doesNotContain("P7001");
        assertThat(placerOnly).contains("P:P7001");
        assertThat(ResultKeys.versionKey(hospital().subId("1").event()))
                .isNotEqualTo(ResultKeys.versionKey(hospital().subId("2").event()));
        assertThat(ResultKeys.versionKey(hospital().code(loinc("718-7")).event())).isNotEqualTo(withFiller);
        assertThat(ResultKeys.versionKey(Observations.at("RAE01").filler("F7001").code(loinc("4548-4")).event()))
                .isNotEqualTo(withFiller);
    }

    @Test
    void withoutOrderNumbersEachMessageIsItsOwnResult() {
        Observations noOrder = hospital().filler(null).placer(null);
        assertThat(ResultKeys.versionKey(noOrder.event())).isNotEqualTo(ResultKeys.versionKey(noOrder.event()));
    }

    @Test
    void aVerbatimResendHasTheSameMessageKey() {
        Observations message = hospital().controlId("MSG-1");
        ObservationEvent first = message.event();
        ObservationEvent resend = message.received("2026-03-02T12:00:00Z").event();
        assertThat(ResultKeys.messageKey(resend)).isEqualTo(ResultKeys.messageKey(first));
        assertThat(ResultKeys.messageKey(hospital().controlId("MSG-2").event()))
                .isNotEqualTo(ResultKeys.messageKey(first));
    }
}
