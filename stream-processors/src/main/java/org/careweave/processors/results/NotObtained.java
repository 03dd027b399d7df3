package org.careweave.processors.results;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a result says the laboratory could not obtain a value: the test was requested and a sample taken, but
 * there is nothing to read. Such a result is no reason not to test again; counted as a test done, it would tell a
 * clinician that a retake of a haemolysed potassium is an unnecessary repeat.
 *
 * <p>OBX-11 X ("results cannot be obtained for this observation") says so in HL7's terms. Many laboratories say it in
 * words instead, with a final status: a value such as "Sample haemolysed" or "Insufficient sample" where a number
 * would be, or no value and a note saying why. Those words are read only where there is no number: a potassium of 5.9
 * with the note "slightly haemolysed" is a value, to be read with the note. Words that report a finding ("Not
 * detected", "No growth", "Negative") are values too, and none of the phrases below is one of them.
 */
final class NotObtained {

    /**
     * What laboratories write when there is no value to report, as the subject of the text: at its start, or after
     * naming the sample, specimen, test or result ("Sample haemolysed", "Specimen: insufficient", "Test not
     * performed"). Whole words and phrases, any case, none of which reports a finding ("not detected" is a finding,
     * "not done" is not). Only at the start: further on, the same words say what was not done besides a finding
     * ("Escherichia coli >10^5 cfu/mL. Sensitivities not performed", "No growth. Microscopy not done"), and
     * "Non-haemolysed trace" or "Haemolysed trace" (blood on a urine dipstick) are findings, not a spoiled sample.
     */
    private static final Pattern NO_VALUE = Pattern.compile("^(?:(?:the\\s+)?(?:sample|specimen|test|result)\\b"
            + "[\\s:,\\-\u2013]*(?:(?:was|is|has been|were)\\s+)?)?(?:"
            + "ha?emolysed(?!\\s*(?:trace|small|moderate|large|[0-9+]))"
            + "|insufficient|unsuitable|clotted|leaked|leaking|unlabell?ed|mislabell?ed"
            + "|incorrectly labell?ed|cancell?ed|not received|not processed|not performed|not done|not tested"
            + "|not analysed|not analyzed|unable to (?:process|analyse|analyze|perform|report|test)"
            + "|could not be (?:processed|analysed|analyzed|performed|tested)"
            + "|cannot be (?:processed|analysed|analyzed|performed|tested|obtained)|no sample"
            + "|sample (?:lost|too old|expired|contaminated)|wrong (?:sample|tube|container)|too old to"
            + ")\\b");

    private NotObtained() {
    }

    /**
     * @param status       OBX-11 of the result's current version
     * @param value        the value shown, null or blank when none
     * @param numericValue the value as a number, when it is one
     * @param notes        the laboratory's notes on the value shown
     */
    static boolean of(String status, String value, Double numericValue, List<String> notes) {
        if (ResultStatus.cannotBeObtained(status)) {
            return true;
        }
        if (numericValue != null) {
            return false;
        }
        if (value != null && !value.isBlank()) {
            return saysNoValue(value);
        }
        return notes.stream().anyMatch(NotObtained::saysNoValue);
    }

    /** Whether the text (a value, or one note line) is about there being no value: see {@link #NO_VALUE}. */
    static boolean saysNoValue(String text) {
        return NO_VALUE.matcher(text.strip().toLowerCase(Locale.ROOT)).find();
    }
}
