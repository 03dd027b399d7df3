package org.careweave.processors.secondary;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.careweave.events.Address;
import org.careweave.events.Identifier;
import org.careweave.events.PersonView;

/** What the secondary-use stream keeps of a view while it decides whether the person may be published; pure. */
final class SecondaryCandidates {

    static final String NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";

    private SecondaryCandidates() {
    }

    /**
     * The view with only what {@link SecondaryRecords} and {@link Admission} read: the stream's state then holds
     * no names, address lines, phone numbers, local identifiers or encounters.
     */
    static PersonView minimise(PersonView view) {
        List<Identifier> nhsIdentifiers = view.getIdentifiers().stream()
                .filter(i -> NHS_SYSTEM.equals(i.getSystem()))
                .toList();
        Address postcodeOnly = view.getAddress() == null || view.getAddress().getPostcode() == null ? null
                : Address.newBuilder().setPostcode(view.getAddress().getPostcode()).build();
        return PersonView.newBuilder()
                .setPersonId(view.getPersonId())
                .setVersion(view.getVersion())
                .setIdentifiers(nhsIdentifiers)
                .setNhsNumber(view.getNhsNumber())
                .setBirthDate(view.getBirthDate())
                .setSex(view.getSex())
                .setAddress(postcodeOnly)
                .setResults(view.getResults())
                .setUpdatedAt(view.getUpdatedAt())
                .setDeceasedAt(yearOnly(view.getDeceasedAt()))
                .setDeceased(view.getDeceased())
                .build();
    }

    /** The stream publishes the year of death only, so its state keeps no more: the year's first instant (UTC). */
    private static Instant yearOnly(Instant deceasedAt) {
        return deceasedAt == null ? null
                : LocalDate.of(deceasedAt.atZone(ZoneOffset.UTC).getYear(), 1, 1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
    }

    /** Every NHS number the view carries: the golden one and any other a source stated (e.g. after a merge). */
    static Set<String> nhsNumbers(PersonView view) {
        Set<String> numbers = new TreeSet<>();
        if (view.getNhsNumber() != null) {
            numbers.add(view.getNhsNumber());
        }
        for (Identifier identifier : view.getIdentifiers()) {
            if (NHS_SYSTEM.equals(identifier.getSystem())) {
                numbers.add(identifier.getValue());
            }
        }
        return numbers;
    }
}
