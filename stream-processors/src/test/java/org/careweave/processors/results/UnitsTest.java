package org.careweave.processors.results;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "mmol/l; mmol/L",
            "MMOL/L; mmol/L",
            " mmol / L ; mmol/L",
            "g/l; g/L",
            "10^9/L; 10*9/L",
            "x10^9/l; 10*9/L",
            "X10*9/L; 10*9/L",
            "10*9/L; 10*9/L",
            "10e9/L; 10*9/L",
            "×10⁹/L; 10*9/L",
            "10^12/L; 10*12/L",
            "umol/L; umol/L",
            "µmol/L; umol/L",
            "μmol/l; umol/L",
            "mU/L; m[IU]/L",
            "mIU/L; m[IU]/L",
            "%; %",
            "mmol/mol; mmol/mol",
            "U/L; U/L",
            "mm/hr; mm/h",
            "mL/min/1.73m2; mL/min/{1.73_m2}",
    })
    void spellingsOfTheSameUnitBecomeTheUcumSpelling(String sent, String ucum) {
        assertThat(Units.normalise(sent)).isEqualTo(ucum);
    }

    @Test
    void differentQuantitiesAreNeverConverted() {
        assertThat(Units.normalise("mg/dL")).isEqualTo("mg/dL");
        assertThat(Units.normalise("mg/dL")).isNotEqualTo(Units.normalise("mmol/L"));
        assertThat(Units.normalise("g/dL")).isNotEqualTo(Units.normalise("g/L"));
        // enzyme units (ALT in U/L) are not international units
        assertThat(Units.normalise("U/L")).isNotEqualTo(Units.normalise("IU/L"));
    }

    @Test
    void unknownUnitsAreKeptAsSentAndBlankIsNone() {
        assertThat(Units.normalise(" copies/mL ")).isEqualTo("copies/mL");
        assertThat(Units.normalise("  ")).isNull();
        assertThat(Units.normalise(null)).isNull();
    }

    @Test
    void anExponentTooLargeForAnyLabIsKeptAsSentInsteadOfFailing() {
        // a number that does not fit an int used to throw out of the view update, crash-looping the partition
        assertThat(Units.normalise("x10^9999999999/L")).isEqualTo("x10^9999999999/L");
        assertThat(Units.normalise("10^99999999999999999999/L")).isEqualTo("10^99999999999999999999/L");
        assertThat(Units.normalise("10^1234/L")).isEqualTo("10^1234/L");
        assertThat(Units.normalise("10^999/L")).isEqualTo("10*999/L");
    }
}
