package org.careweave.processors.identity.matching;

import java.time.LocalDate;

/**
 * What the matcher compares: raw values as sources sent them; the matcher normalises case, spaces and punctuation.
 * Any field may be null.
 *
 * @param identifier an extra identifier both sources share and that is not the NHS number (for example a local
 *                   authority or insurance number); compared only when both records have one. The seven-argument
 *                   constructor leaves it null.
 */
public record Demographics(String givenName, String familyName, LocalDate birthDate, String sex,
                           String postcode, String addressLine, String city, String identifier) {

    public Demographics(String givenName, String familyName, LocalDate birthDate, String sex,
                        String postcode, String addressLine, String city) {
        this(givenName, familyName, birthDate, sex, postcode, addressLine, city, null);
    }

    public Demographics withIdentifier(String newIdentifier) {
        return new Demographics(givenName, familyName, birthDate, sex, postcode, addressLine, city, newIdentifier);
    }

    /** Keeps names and addresses out of logs and exception messages. */
    @Override
    public String toString() {
        return "Demographics[redacted]";
    }
}
