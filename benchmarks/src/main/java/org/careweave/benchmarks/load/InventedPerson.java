package org.careweave.benchmarks.load;

import java.time.LocalDate;

/**
 * One invented patient: registered at one hospital (local MRN) and one GP practice (local id), with an NHS number
 * in the never-issued 999 range.
 */
public record InventedPerson(int index, String nhsNumber, String familyName, String givenName, String sex,
                             LocalDate birthDate, String addressLine, String city, String postcode,
                             String hospital, String hospitalMrn, String practice, String practiceId,
                             String phone) {
}
