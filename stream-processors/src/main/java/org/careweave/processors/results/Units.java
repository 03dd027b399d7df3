package org.careweave.processors.results;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Unit spellings to their UCUM form, so that "mmol/l" from one lab and "mmol/L" from another are the same units.
 *
 * <p>Only spelling: a unit is never converted into another quantity (mg/dL stays mg/dL, it is not turned into
 * mmol/L), because that needs the analyte's molar mass and would change the value. A unit not in the table is kept
 * as sent (trimmed), so an unusual unit can still be compared with itself.
 */
public final class Units {

    /**
     * x10^9/l, 10^9/L, 10*9/L, 10E9/L, ×10⁹... all say "ten to the ninth per litre". The exponent is at most three
     * digits: no count per litre needs more, and a longer one (which may not fit an int) is kept as sent rather than
     * parsed, so one odd unit cannot fail the update of a person's view.
     */
    private static final Pattern POWER_OF_TEN =
            Pattern.compile("^(?:[x×*])?10(?:\\^|\\*\\*|\\*|e)([0-9]{1,3})/(l|ul|ml)$");

    // Lower-case spelling (after µ→u and without spaces) -> UCUM. Case matters in UCUM, but no lab sends
    // megamoles or petagrams, so folding case is safe for the units that occur in results.
    private static final Map<String, String> UCUM = Map.ofEntries(
            Map.entry("mmol/l", "mmol/L"),
            Map.entry("umol/l", "umol/L"),
            Map.entry("nmol/l", "nmol/L"),
            Map.entry("pmol/l", "pmol/L"),
            Map.entry("mol/l", "mol/L"),
            Map.entry("mmol/mol", "mmol/mol"),
            Map.entry("g/l", "g/L"),
            Map.entry("g/dl", "g/dL"),
            Map.entry("mg/l", "mg/L"),
            Map.entry("mg/dl", "mg/dL"),
            Map.entry("ug/l", "ug/L"),
            Map.entry("ng/l", "ng/L"),
            Map.entry("ng/ml", "ng/mL"),
            Map.entry("ug/ml", "ug/mL"),
            Map.entry("pg/ml", "pg/mL"),
            Map.entry("u/l", "U/L"),
            Map.entry("iu/l", "[IU]/L"),
            Map.entry("[iu]/l", "[IU]/L"),
            // TSH and other hormones: labs write mU/L and mIU/L for the same international milli-units
            Map.entry("mu/l", "m[IU]/L"),
            Map.entry("miu/l", "m[IU]/L"),
            Map.entry("m[iu]/l", "m[IU]/L"),
            Map.entry("iu/ml", "[IU]/mL"),
            Map.entry("miu/ml", "m[IU]/mL"),
            Map.entry("uiu/ml", "u[IU]/mL"),
            Map.entry("u[iu]/ml", "u[IU]/mL"),
            Map.entry("%", "%"),
            Map.entry("fl", "fL"),
            Map.entry("pg", "pg"),
            Map.entry("l/l", "L/L"),
            Map.entry("mm/h", "mm/h"),
            Map.entry("mm/hr", "mm/h"),
            Map.entry("ml/min", "mL/min"),
            Map.entry("ml/min/1.73m2", "mL/min/{1.73_m2}"),
            Map.entry("ml/min/1.73m^2", "mL/min/{1.73_m2}"),
            Map.entry("ml/min/{1.73_m2}", "mL/min/{1.73_m2}"),
            Map.entry("mosm/kg", "mosm/kg"),
            Map.entry("ratio", "{ratio}"),
            Map.entry("{ratio}", "{ratio}"));

    private static final Map<String, String> VOLUME = Map.of("l", "L", "ul", "uL", "ml", "mL");

    private Units() {
    }

    /** The UCUM spelling of a unit, the trimmed unit when it is not a known spelling, null when there is none. */
    public static String normalise(String units) {
        if (units == null || units.isBlank()) {
            return null;
        }
        String folded = units.strip()
                .replace('\u00b5', 'u') // micro sign
                .replace('\u03bc', 'u') // Greek mu
                .replace("\u2079", "^9") // superscript nine in x10⁹/L
                .replaceAll("\\s+", "")
                .toLowerCase(Locale.ROOT);
        Matcher power = POWER_OF_TEN.matcher(folded);
        if (power.matches()) {
            return "10*" + Integer.parseInt(power.group(1)) + "/" + VOLUME.get(power.group(2));
        }
        String ucum = UCUM.get(folded);
        return ucum != null ? ucum : units.strip();
    }
}
