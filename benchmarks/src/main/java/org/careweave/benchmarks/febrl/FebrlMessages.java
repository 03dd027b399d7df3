package org.careweave.benchmarks.febrl;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Locale;

/**
 * A FEBRL record as the ADT^A28 (add person information) a registration system would send: no NHS number, the
 * facility's own number for the person (a counter, never rec_id), name, date of birth and address. FEBRL has no sex.
 * A date of birth that is not a calendar date is left out, as a sending system could not have stored it.
 */
final class FebrlMessages {

    /** Assigning authority of soc_sec_id when it is sent as an extra PID-3 identifier. */
    static final String SOC_SEC_AUTHORITY = "FEBRLSSN";

    private FebrlMessages() {
    }

    static byte[] registration(FebrlRecord r, String facility, int localId, boolean withSocSecId) {
        StringBuilder m = new StringBuilder(400);
        m.append("MSH|^~\\&|REG|").append(facility).append("|CAREWEAVE|CAREWEAVE|20261126090000+0000||ADT^A28^ADT_A05|")
                .append(facility).append('-').append(localId).append("|P|2.4\r");
        m.append("EVN|A28|20261126090000+0000\r");
        m.append("PID|1||").append(localId).append("^^^").append(facility).append("^PI");
        if (withSocSecId && r.socSecId() != null) {
            m.append('~').append(escape(r.socSecId())).append("^^^").append(SOC_SEC_AUTHORITY).append("^SS");
        }
        m.append("||").append(escape(r.surname())).append('^').append(escape(r.givenName()))
                .append("||").append(date(r.birthDate())).append("||||")
                .append(escape(join(r.streetNumber(), r.address1()))).append('^').append(escape(r.address2()))
                .append('^').append(escape(r.suburb())).append('^').append(escape(r.state())).append('^')
                .append(escape(r.postcode())).append("\r");
        m.append("PV1|1|N\r");
        return m.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String join(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + " " + b;
    }

    private static String date(LocalDate d) {
        return d == null ? "" : String.format(Locale.ROOT, "%04d%02d%02d", d.getYear(), d.getMonthValue(),
                d.getDayOfMonth());
    }

    /** HL7 escapes for the delimiters; FEBRL's values rarely need them. */
    static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> s.append("\\E\\");
                case '|' -> s.append("\\F\\");
                case '^' -> s.append("\\S\\");
                case '~' -> s.append("\\R\\");
                case '&' -> s.append("\\T\\");
                case '\r', '\n' -> s.append(' ');
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
