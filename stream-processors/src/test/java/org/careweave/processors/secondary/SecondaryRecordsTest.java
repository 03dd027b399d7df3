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
    void textThatMayBeNarrativeIsDroppedButNumbersAreKept() {
        PersonView view = view(PERSON, NHS_NUMBER,
                result("cwr-tx", PERSON, "TX", "Sample from Zephyrine Quixwell, 17 Juniper Wynd", null),
                result("cwr-st-number", PERSON, "ST", " 5.4 ", 5.4),
                result("cwr-st-comparator", PERSON, "ST", ">90", null),
                result("cwr-st-text", PERSON, "ST", "see letter to Dr Quixwell", null),
                result("cwr-ce", PERSON, "CWE", "Positive", null),
                result("cwr-sn", PERSON, "SN", "<5", null));

        List<SecondaryResult> results = SecondaryRecords.of(view, PSEUDONYMISER).results();

        // A coded value is the text component when one was sent, and the event cannot say which it holds: dropped.
        assertThat(results).extracting(SecondaryResult::getValue)
                .containsExactly(null, "5.4", ">90", null, null, "<5");
    }

    @Test
    void aNumberTheSizeOfAnNhsOrPhoneNumberIsNotKept() {
        PersonView view = view(PERSON, NHS_NUMBER,
                result("cwr-nm-nhs", PERSON, "NM", "9990000018", 9990000018.0),
                result("cwr-st-phone", PERSON, "ST", "07700900123", 7700900123.0),
                result("cwr-sn-nhs", PERSON, "SN", ">9990000018", null),
                result("cwr-nm-large-count", PERSON, "NM", "170000000", 170000000.0));

        List<SecondaryResult> results = SecondaryRecords.of(view, PSEUDONYMISER).results();

        assertThat(results).extracting(SecondaryResult::getValue).containsExactly(null, null, null, "170000000");
        assertThat(results).extracting(SecondaryResult::getNumericValue)
                .containsExactly(null, null, null, 170000000.0);
    }

    @Test
    void aNumericTypeKeepsItsValueOnlyWhenItIsANumber() {
        PersonView view = view(PERSON, NHS_NUMBER,
                result("cwr-nm", PERSON, "NM", "4.2", 4.2),
                result("cwr-nm-negative", PERSON, "NM", "-1.5", -1.5),
                result("cwr-nm-point", PERSON, "NM", ".5", 0.5),
                // The mapper keeps an NM value that is not a number as sent, without a numeric value.
                result("cwr-nm-text", PERSON, "NM", "Haemolysed - Dr Quixwell phoned re Zephyrine", null),
                result("cwr-nm-number-and-text", PERSON, "NM", "4.2 Zephyrine", null));

        assertThat(SecondaryRecords.of(view, PSEUDONYMISER).results()).extracting(SecondaryResult::getValue)
                .containsExactly("4.2", "-1.5", ".5", null, null);
    }

    @Test
    void aStructuredNumericKeepsOnlyItsStructuredForms() {
        List<String> kept = List.of(">5", "<0.1", ">=10", "<=2.5", "=7", "<>3", "1:128", "2-5", "2+", "1/40",
                "5.4", "-3");
        List<String> dropped = List.of("Zephyrine", "Quixwell 5", "<Quixwell", "5 Juniper Wynd", "1:128 Zephyrine",
                "see letter", "5:", "-", ">", "2++");
        List<DeduplicatedResult> results = new ArrayList<>();
        for (String value : kept) {
            results.add(result("cwr-sn-kept-" + results.size(), PERSON, "SN", value, null));
        }
        for (String value : dropped) {
            results.add(result("cwr-sn-dropped-" + results.size(), PERSON, "SN", value, null));
        }

        PersonView view = view(PERSON, NHS_NUMBER, results.toArray(DeduplicatedResult[]::new));

        List<String> published = SecondaryRecords.of(view, PSEUDONYMISER).results().stream()
                .map(SecondaryResult::getValue).toList();

        assertThat(published.subList(0, kept.size())).containsExactlyElementsOf(kept);
        assertThat(published.subList(kept.size(), published.size())).containsOnlyNulls();
    }

    @Test
    void codedAndFormattedValuesAreDroppedSinceTheyMayBeTheirTextComponent() {
        PersonView view = view(PERSON, NHS_NUMBER,
                // CWE sent as text only (^Sample from ...): the mapper keeps the text.
                result("cwr-cwe-text", PERSON, "CWE", "Sample from Zephyrine Quixwell unlabelled", null),
                result("cwr-ce-text", PERSON, "CE", "Quixwell", null),
                result("cwr-cne-code", PERSON, "CNE", "260373001", null),
                result("cwr-cf", PERSON, "CF", "Zephyrine Quixwell, see attached", null));

        List<SecondaryResult> results = SecondaryRecords.of(view, PSEUDONYMISER).results();

        assertThat(results).hasSize(4).extracting(SecondaryResult::getValue).containsOnlyNulls();
        assertThat(results).extracting(r -> r.getCode().getCode()).containsOnly("4548-4");
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
