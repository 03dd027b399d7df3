package org.careweave.processors.secondary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PseudonymiserTest {

    private static final PseudonymKey KEY_A = PseudonymKey.of("key-a-0123456789-0123456789-0123456789");
    private static final PseudonymKey KEY_B = PseudonymKey.of("key-b-0123456789-0123456789-0123456789");

    @Test
    void aPseudonymIsStableUnderOneKey() {
        Pseudonymiser once = new Pseudonymiser(KEY_A, BirthPrecision.YEAR);
        Pseudonymiser again = new Pseudonymiser(PseudonymKey.of(KEY_A.text()), BirthPrecision.MONTH);

        assertThat(once.person("cwp-000123")).isEqualTo(again.person("cwp-000123"))
                .matches("[0-9a-f]{64}")
                .doesNotContain("000123");
        assertThat(once.result("cwr-42")).isEqualTo(again.result("cwr-42"));
    }

    @Test
    void anotherKeyGivesOtherPseudonyms() {
        Pseudonymiser a = new Pseudonymiser(KEY_A, BirthPrecision.YEAR);
        Pseudonymiser b = new Pseudonymiser(KEY_B, BirthPrecision.YEAR);

        assertThat(a.person("cwp-000123")).isNotEqualTo(b.person("cwp-000123"));
        assertThat(a.result("cwr-42")).isNotEqualTo(b.result("cwr-42"));
    }

    @Test
    void differentIdsAndDomainsGiveDifferentPseudonyms() {
        Pseudonymiser a = new Pseudonymiser(KEY_A, BirthPrecision.YEAR);

        assertThat(a.person("cwp-000123")).isNotEqualTo(a.person("cwp-000124"));
        // A person id and a result id that happened to be equal must not share a pseudonym.
        assertThat(a.person("same-id")).isNotEqualTo(a.result("same-id"));
    }

    @Test
    void birthDateIsReducedToYearOrMonth() {
        LocalDate born = LocalDate.of(1984, 7, 23);

        assertThat(new Pseudonymiser(KEY_A, BirthPrecision.YEAR).birthPeriod(born)).isEqualTo("1984");
        assertThat(new Pseudonymiser(KEY_A, BirthPrecision.MONTH).birthPeriod(born)).isEqualTo("1984-07");
        assertThat(new Pseudonymiser(KEY_A, BirthPrecision.MONTH).birthPeriod(LocalDate.of(905, 1, 2)))
                .isEqualTo("0905-01");
        assertThat(new Pseudonymiser(KEY_A, BirthPrecision.YEAR).birthPeriod(null)).isNull();
    }

    @Test
    void birthPrecisionIsReadFromItsSetting() {
        assertThat(BirthPrecision.parse("year")).isEqualTo(BirthPrecision.YEAR);
        assertThat(BirthPrecision.parse(" Month ")).isEqualTo(BirthPrecision.MONTH);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "LS1 4AB, LS1",
            "ls14ab, LS1",
            "LS14 6AB, LS14",
            "EC1A 1BB, EC1A",
            "SW1A1AA, SW1A",
            "M1 1AE, M1",
            "B33 8TH, B33",
            "DN55 1PT, DN55",
            "' LS1  4AB ', LS1",
            "LS1, LS1",
            "12345, null",
            "not a postcode, null",
            "LS1 4AB X, null",
            "null, null"})
    void postcodeIsReducedToItsDistrict(String postcode, String district) {
        assertThat(Pseudonymiser.postcodeDistrict(postcode)).isEqualTo(district);
    }
}
