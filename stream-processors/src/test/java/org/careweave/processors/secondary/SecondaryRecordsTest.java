package org.careweave.processors.secondary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careweave.processors.secondary.Views.PSEUDONYMISER;
import static org.careweave.processors.secondary.Views.result;
import static org.careweave.processors.secondary.Views.view;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.generic.IndexedRecord;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.Identifier;
import org.careweave.events.PersonView;
import org.careweave.events.SecondaryPerson;
import org.careweave.events.SecondaryResult;
import org.junit.jupiter.api.Test;

class SecondaryRecordsTest {

    private static final String PERSON = "cwp-7d1e55";
    private static final String NHS_NUMBER = "9990000018";

    @Test
    void keepsOnlyReducedDemographicsUnderThePseudonym() {
        SecondaryPerson person = SecondaryRecords.of(view(PERSON, NHS_NUMBER), PSEUDONYMISER).person();

        assertThat(person.getPseudonym()).isEqualTo(PSEUDONYMISER.person(PERSON));
        assertThat(person.getBirthPeriod()).isEqualTo("1984");
        assertThat(person.getSex()).isEqualTo("F");
        assertThat(person.getPostcodeDistrict()).isEqualTo("LS1");
        assertThat(person.getDeathYear()).isNull();
    }

    @Test
    void monthPrecisionKeepsYearAndMonth() {
        Pseudonymiser monthly = new Pseudonymiser(Views.KEY, BirthPrecision.MONTH);

        assertThat(SecondaryRecords.of(view(PERSON, NHS_NUMBER), monthly).person().getBirthPeriod())
                .isEqualTo("1984-07");
    }

    @Test
    void resultsKeepTheTestAndValueUnderPseudonymisedKeys() {
        PersonView view = view(PERSON, NHS_NUMBER, result("cwr-1", PERSON, "NM", "52", 52.0));

        SecondaryResult r = SecondaryRecords.of(view, PSEUDONYMISER).results().get(0);

        assertThat(r.getPseudonym()).isEqualTo(PSEUDONYMISER.person(PERSON));
        assertThat(r.getResultKey()).isEqualTo(PSEUDONYMISER.result("cwr-1"));
        assertThat(r.getCode().getCode()).isEqualTo("4548-4");
        assertThat(r.getValue()).isEqualTo("52");
        assertThat(r.getNumericValue()).isEqualTo(52.0);
        assertThat(r.getUnits()).isEqualTo("mmol/mol");
        assertThat(r.getStatus()).isEqualTo("F");
        assertThat(r.getCollectedDate()).isEqualTo(LocalDate.of(2026, 5, 31));
        assertThat(r.getSendingFacility()).isEqualTo("RHMX1");
    }

    @Test
    void textThatMayBeNarrativeIsDroppedButNumbersAndCodesAreKept() {
        PersonView view = view(PERSON, NHS_NUMBER,
                result("cwr-tx", PERSON, "TX", "Sample from Zephyrine Quixwell, 17 Juniper Wynd", null),
                result("cwr-st-number", PERSON, "ST", " 5.4 ", 5.4),
                result("cwr-st-comparator", PERSON, "ST", ">90", null),
                result("cwr-st-text", PERSON, "ST", "see letter to Dr Quixwell", null),
                result("cwr-ce", PERSON, "CWE", "Positive", null),
                result("cwr-sn", PERSON, "SN", "<5", null));

        List<SecondaryResult> results = SecondaryRecords.of(view, PSEUDONYMISER).results();

        assertThat(results).extracting(SecondaryResult::getValue)
                .containsExactly(null, "5.4", ">90", null, "Positive", "<5");
    }

    @Test
    void retractedResultsAreLeftOut() {
        DeduplicatedResult withdrawn = DeduplicatedResult.newBuilder(result("cwr-w", PERSON, "NM", null, null))
                .setRetracted(true).setStatus("W").build();

        assertThat(SecondaryRecords.of(view(PERSON, NHS_NUMBER, withdrawn), PSEUDONYMISER).results()).isEmpty();
    }

    @Test
    void noDirectIdentifierSurvivesInAnyField() {
        PersonView view = view(PERSON, NHS_NUMBER, result("cwr-1", PERSON, "NM", "52", 52.0),
                result("cwr-2", PERSON, "TX", "Zephyrine Quixwell 01130000777 LS1 4AB", null));
        List<String> forbidden = new ArrayList<>(List.of(NHS_NUMBER, PERSON, "Quixwell", "Zephyrine",
                "17 Juniper Wynd", "Juniper", "LS1 4AB", "LS14AB", "01130000777", "1984-07-23", "19840723",
                "V7781", "cwr-1", "cwr-2", "LAB-CTRL-1", "GP-CTRL-2", "FIL-LAB-CTRL-1", "PL-LAB-CTRL-1",
                "msg-LAB-CTRL-1", "WARD7"));
        for (Identifier id : view.getIdentifiers()) {
            forbidden.add(id.getValue());
        }

        SecondaryRecords records = SecondaryRecords.of(view, PSEUDONYMISER);
        List<IndexedRecord> all = new ArrayList<>();
        all.add(records.person());
        all.addAll(records.results());

        assertThat(all).hasSize(3);
        for (IndexedRecord record : all) {
            assertThat(AvroFields.leaves(record)).hasSizeGreaterThan(4);
            for (AvroFields.Leaf leaf : AvroFields.leaves(record)) {
                for (String identifier : forbidden) {
                    assertThat(leaf.text()).as(leaf.path()).doesNotContainIgnoringCase(identifier);
                }
                assertThat(leaf.text()).as(leaf.path()).isNotEqualTo(LocalDate.of(1984, 7, 23).toString());
            }
        }
    }

    @Test
    void aDeathIsPublishedAsItsYearOnlyAndTheStreamKeepsNoMore() {
        PersonView view = PersonView.newBuilder(view(PERSON, NHS_NUMBER))
                .setDeceasedAt(Instant.parse("2026-03-04T10:15:00Z")).build();

        PersonView minimised = SecondaryCandidates.minimise(view);

        assertThat(minimised.getDeceasedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(SecondaryRecords.of(view, PSEUDONYMISER).person().getDeathYear()).isEqualTo(2026);
        assertThat(SecondaryRecords.of(minimised, PSEUDONYMISER)).isEqualTo(SecondaryRecords.of(view, PSEUDONYMISER));
        assertThat(SecondaryRecords.of(view(PERSON, NHS_NUMBER), PSEUDONYMISER).person().getDeathYear()).isNull();
        assertThat(SecondaryRecords.of(view, PSEUDONYMISER).person().getDeceased()).isTrue();
        assertThat(SecondaryRecords.of(view(PERSON, NHS_NUMBER), PSEUDONYMISER).person().getDeceased()).isFalse();
    }

    @Test
    void aDeathWithoutItsDateIsPublishedAsADeath() {
        PersonView view = PersonView.newBuilder(view(PERSON, NHS_NUMBER)).setDeceased(true).build();

        PersonView minimised = SecondaryCandidates.minimise(view);

        assertThat(SecondaryRecords.of(minimised, PSEUDONYMISER).person().getDeceased()).isTrue();
        assertThat(SecondaryRecords.of(minimised, PSEUDONYMISER).person().getDeathYear()).isNull();
        assertThat(SecondaryRecords.of(minimised, PSEUDONYMISER)).isEqualTo(SecondaryRecords.of(view, PSEUDONYMISER));
    }

    @Test
    void minimisedViewGivesTheSameRecordsAsTheFullView() {
        PersonView view = view(PERSON, NHS_NUMBER, result("cwr-1", PERSON, "NM", "52", 52.0));
        PersonView minimised = SecondaryCandidates.minimise(view);

        assertThat(SecondaryRecords.of(minimised, PSEUDONYMISER)).isEqualTo(SecondaryRecords.of(view, PSEUDONYMISER));
        assertThat(minimised.getName()).isNull();
        assertThat(minimised.getPhone()).isNull();
        assertThat(minimised.getEncounters()).isEmpty();
        assertThat(minimised.getAddress().getLines()).isEmpty();
        assertThat(minimised.getIdentifiers()).extracting(Identifier::getSystem)
                .containsOnly(SecondaryCandidates.NHS_SYSTEM);
    }
}
