package org.careweave.benchmarks.load;

/**
 * NHS numbers for invented people: ten digits starting 999 (a range that is never issued), with a check digit that
 * is valid by Modulus 11, so that careweave treats them as real NHS numbers.
 */
public final class TestNhsNumbers {

    private static final long FIRST = 999_000_000L;
    private static final long LAST = 999_999_999L;

    private TestNhsNumbers() {
    }

    /**
     * The check digit of nine digits by Modulus 11: weights 10 down to 2, 11 minus the remainder, 11 becomes 0;
     * -1 when the result is 10, for which no NHS number exists.
     */
    public static int checkDigit(long nineDigits) {
        int sum = 0;
        long rest = nineDigits;
        for (int weight = 2; weight <= 10; weight++) {
            sum += (int) (rest % 10) * weight;
            rest /= 10;
        }
        int check = 11 - sum % 11;
        if (check == 11) {
            return 0;
        }
        return check == 10 ? -1 : check;
    }

    public static boolean isValid(String nhsNumber) {
        if (nhsNumber == null || !nhsNumber.matches("\\d{10}")) {
            return false;
        }
        int check = checkDigit(Long.parseLong(nhsNumber.substring(0, 9)));
        return check >= 0 && check == nhsNumber.charAt(9) - '0';
    }

    /**
     * The first {@code count} valid numbers of a fixed sequence in the 999 range: the same count always gives the
     * same numbers, all different. The stems are spread by an odd multiplier modulo 10^6 (a permutation of the last
     * six digits) so that they do not look sequential; about one stem in eleven has no valid check digit and is
     * stepped over.
     */
    public static String[] first(int count) {
        if (count > 900_000) {
            throw new IllegalArgumentException("only about 909,000 valid NHS numbers in the 999 range");
        }
        String[] out = new String[count];
        int found = 0;
        for (long i = 0; found < count && FIRST + i <= LAST; i++) {
            long stem = FIRST + (i * 7_919L) % 1_000_000L;
            int check = checkDigit(stem);
            if (check >= 0) {
                out[found++] = Long.toString(stem) + check;
            }
        }
        return out;
    }
}
