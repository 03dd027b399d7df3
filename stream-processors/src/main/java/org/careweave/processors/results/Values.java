package org.careweave.processors.results;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

/** A result value in the one form used to compare it: "5.40", "5.4" and "05.4" are the same number. */
final class Values {

    /** HL7 NM: optional sign, digits, at most one decimal point (no exponents, no NaN). */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)");

    private Values() {
    }

    /**
     * The canonical form of a value: a plain decimal without trailing zeros when it is a number (whatever OBX-2
     * said: a GP extract may send a number as ST), otherwise the text with white space collapsed and case folded.
     * Null when there is no value.
     */
    static String canonical(String value, Double numericValue) {
        String text = value == null ? "" : value.strip();
        if (DECIMAL.matcher(text).matches()) {
            return plain(new BigDecimal(text));
        }
        if (numericValue != null && !numericValue.isNaN() && !numericValue.isInfinite()) {
            return plain(BigDecimal.valueOf(numericValue));
        }
        if (text.isEmpty()) {
            return null;
        }
        return text.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static String plain(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        return stripped.signum() == 0 ? "0" : stripped.toPlainString();
    }
}
