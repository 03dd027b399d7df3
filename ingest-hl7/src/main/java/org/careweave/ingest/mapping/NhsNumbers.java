package org.careweave.ingest.mapping;

import java.util.Optional;

/** NHS numbers: ten digits, the last a Modulus 11 check digit. */
public final class NhsNumbers {

    public static final String SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    /** The OID of the NHS number as an HL7 assigning authority. */
    public static final String OID = "2.16.840.1.113883.2.1.4.1";

    private NhsNumbers() {
    }

    /** Spaces and dashes removed, as NHS numbers are often written 999 123 4567. */
    public static String normalise(String value) {
        return value.replace(" ", "").replace("-", "");
    }

    /** Empty when valid; otherwise why not (never the number itself, which must not reach logs). */
    public static Optional<String> problem(String value) {
        String n = normalise(value);
        if (n.length() != 10) {
            return Optional.of("an NHS number has 10 digits");
        }
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            char c = n.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.of("an NHS number has only digits");
            }
            if (i < 9) {
                sum += (c - '0') * (10 - i);
            }
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        if (check == 10 || check != n.charAt(9) - '0') {
            return Optional.of("check digit does not match (Modulus 11)");
        }
        if (n.chars().allMatch(c -> c == n.charAt(0))) {
            // 0000000000 to 9999999999 all pass Modulus 11, and are what systems send for "not known": taken as an
            // NHS number, one would link every patient sent with it into one person.
            return Optional.of("a placeholder, not an NHS number (every digit the same)");
        }
        return Optional.empty();
    }

    public static boolean isValid(String value) {
        return problem(value).isEmpty();
    }
}
