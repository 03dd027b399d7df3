package org.careweave.benchmarks.febrl;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.careweave.processors.identity.matching.Demographics;

/** One row of a FEBRL file. rec_id is only for scoring: the matcher never sees it. */
record FebrlRecord(String recId, String givenName, String surname, String streetNumber, String address1,
                   String address2, String suburb, String postcode, String state, String dateOfBirth,
                   String socSecId) {

    /** The N of rec-N-org / rec-N-dup-K: records with the same N are one person. */
    int entity() {
        int first = recId.indexOf('-');
        int second = recId.indexOf('-', first + 1);
        return Integer.parseInt(recId.substring(first + 1, second));
    }

    /**
     * addressLine is street number, address_1 and address_2 (as a UK address line would run); city is the
     * suburb; sex is unknown (FEBRL has none). A date of birth that is not a calendar date (FEBRL corrupts some
     * into, say, 19658630) is missing, as a source's invalid PID-7 would be.
     */
    Demographics demographics(boolean withIdentifier) {
        String addressLine = Stream.of(streetNumber, address1, address2).filter(Objects::nonNull)
                .collect(Collectors.joining(" "));
        Demographics d = new Demographics(givenName, surname, birthDate(), null, postcode,
                addressLine.isEmpty() ? null : addressLine, suburb);
        return withIdentifier ? d.withIdentifier(socSecId) : d;
    }

    LocalDate birthDate() {
        if (dateOfBirth == null || dateOfBirth.length() != 8) {
            return null;
        }
        try {
            return LocalDate.of(Integer.parseInt(dateOfBirth.substring(0, 4)),
                    Integer.parseInt(dateOfBirth.substring(4, 6)), Integer.parseInt(dateOfBirth.substring(6, 8)));
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "FebrlRecord[" + recId + "]";
    }
}
