package org.careweave.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NhsNumbersTest {

    /**
     * Modulus 11 written out independently of the code under test: weights 10..2 on the first nine digits,
     * check = 11 - (sum mod 11), 11 becomes 0, 10 means the nine digits can have no valid check digit.
     */
    private static int checkDigit(String nineDigits) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += Character.digit(nineDigits.charAt(i), 10) * (10 - i);
        }
        int check = 11 - sum % 11;
        return check == 11 ? 0 : check;
    }

    @Test
    void theTestNumbersUsedInFixturesAreValidByHand() {
        // 9,9,9,0,0,0,0,0,1 weighted 10..2: 90+81+72+2 = 245; 245 mod 11 = 3; 11-3 = 8.
        assertThat(checkDigit("999000001")).isEqualTo(8);
        assertThat(NhsNumbers.isValid("9990000018")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"9990000018", "9990000026", "9990000034", "9990000042", "9990000050", "9990000069",
        "9990000077", "9990000085", "9990000093", "9990000107", "9990000123", "9990000131", "9990000301"})
    void acceptsValidNumbersInTheTestRange(String number) {
        assertThat(checkDigit(number.substring(0, 9))).isEqualTo(number.charAt(9) - '0');
        assertThat(NhsNumbers.problem(number)).isEmpty();
        assertThat(NhsNumbers.isValid(number)).isTrue();
    }

    @Test
    void agreesWithModulus11OnEveryNumberOfARange() {
        for (int n = 0; n < 2_000; n++) {
            String nine = String.format("999%06d", n);
            int check = checkDigit(nine);
            for (int digit = 0; digit <= 9; digit++) {
                boolean expected = check != 10 && digit == check;
                assertThat(NhsNumbers.isValid(nine + digit)).as("%s%d", nine, digit).isEqualTo(expected);
            }
        }
    }

    @Test
    void refusesThePlaceholdersThatPassModulus11() {
        for (int digit = 0; digit <= 9; digit++) {
            String placeholder = String.valueOf(digit).repeat(10);
            assertThat(checkDigit(placeholder.substring(0, 9))).as("it passes the check digit").isEqualTo(digit);
            assertThat(NhsNumbers.problem(placeholder)).as(placeholder)
                    .contains("a placeholder, not an NHS number (every digit the same)");
        }
        assertThat(NhsNumbers.isValid("000 000 0000")).isFalse();
    }

    @Test
    void refusesAWrongCheckDigit() {
        assertThat(NhsNumbers.problem("9990000019")).contains("check digit does not match (Modulus 11)");
        assertThat(NhsNumbers.isValid("9990000017")).isFalse();
    }

    @Test
    void refusesNumbersWhoseCheckDigitWouldBe10() {
        // 999000000: 90+81+72 = 243; 243 mod 11 = 1; 11-1 = 10, so no tenth digit makes it valid.
        assertThat(checkDigit("999000000")).isEqualTo(10);
        for (int digit = 0; digit <= 9; digit++) {
            assertThat(NhsNumbers.isValid("999000000" + digit)).isFalse();
        }
    }

    @Test
    void refusesWrongLengthOrNonDigits() {
        assertThat(NhsNumbers.problem("999000001")).contains("an NHS number has 10 digits");
        assertThat(NhsNumbers.problem("99900000188")).contains("an NHS number has 10 digits");
        assertThat(NhsNumbers.problem("")).contains("an NHS number has 10 digits");
        assertThat(NhsNumbers.problem("99900000A8")).contains("an NHS number has only digits");
        assertThat(NhsNumbers.problem("999.000.01")).contains("an NHS number has only digits");
    }

    @Test
    void acceptsTheUsualWrittenForms() {
        assertThat(NhsNumbers.normalise("999 000 0018")).isEqualTo("9990000018");
        assertThat(NhsNumbers.normalise("999-000-0018")).isEqualTo("9990000018");
        assertThat(NhsNumbers.isValid("999 000 0018")).isTrue();
        assertThat(NhsNumbers.isValid("999-000-0018")).isTrue();
    }

    @Test
    void reasonsNeverQuoteTheNumber() {
        for (String bad : new String[] {"9990000019", "999000001", "99900000A8"}) {
            assertThat(NhsNumbers.problem(bad).orElseThrow()).doesNotContain(bad).doesNotContain("999");
        }
    }
}
