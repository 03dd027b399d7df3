package org.careweave.store.api;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.careweave.store.views.NameParts;

/**
 * A search for a patient by who they are rather than by a number: FHIR Patient's {@code family}, {@code birthdate},
 * and optionally {@code given} and {@code address-postalcode}. Family name and birth date are both required, so that
 * the API finds a patient a clinician has in front of them and cannot be used to list people by surname or age.
 *
 * @param families the family name asked and, when it has several parts (Smith-Jones), each part; each without
 *                 punctuation ({@link #withoutPunctuation})
 * @param given    a prefix of any given name, as typed ("Alex" finds Alexandra)
 * @param postcode without spaces, upper case
 */
record DemographicSearch(List<String> families, LocalDate birthDate, Optional<String> given,
                         Optional<String> postcode) {

    DemographicSearch {
        families = List.copyOf(families);
    }

    static final String FAMILY = "family";
    static final String BIRTH_DATE = "birthdate";
    static final String GIVEN = "given";
    static final String POSTCODE = "address-postalcode";

    /**
     * The most parts (as {@link NameParts} counts them) a family name asked may have. Each part is searched as a
     * surname of its own, so without a limit "Smith Jones Williams ..." would list everyone born on a day; real names
     * rarely have more than five (Ruiz de la Torre Garcia).
     */
    static final int MAX_FAMILY_PARTS = 5;

    /** Whether the query asks for a demographic search at all (as opposed to one by identifier). */
    static boolean asked(String family, String birthDate, String given, String postcode) {
        return present(family) || present(birthDate) || present(given) || present(postcode);
    }

    static DemographicSearch parse(String family, String birthDate, String given, String postcode) {
        if (!present(family) || !present(birthDate)) {
            throw new ApiProblem(Problem.badRequest("A search by demographics needs both family and birthdate"
                    + " (YYYY-MM-DD); given and address-postalcode narrow it. Or search by identifier."));
        }
        LocalDate born = null;
        try {
            born = LocalDate.parse(birthDate.strip());
        } catch (DateTimeParseException e) {
            // answered below
        }
        // java.time reads years PostgreSQL's dates do not hold (-4714, +300000): no one was born then.
        if (born == null || !TimeBound.withinYears(born.getYear())) {
            throw new ApiProblem(Problem.badRequest("birthdate must be a date, YYYY-MM-DD."));
        }
        if (withoutPunctuation(family).isEmpty()) {
            throw new ApiProblem(Problem.badRequest("family must have a letter in it."));
        }
        if (NameParts.parts(family).size() > MAX_FAMILY_PARTS) {
            throw new ApiProblem(Problem.badRequest("family may have at most " + MAX_FAMILY_PARTS + " parts (separated"
                    + " by spaces or hyphens): each part is searched as a surname of its own. Search by the name as"
                    + " recorded, or by identifier."));
        }
        List<String> families = NameParts.withParts(family.strip()).stream()
                .map(DemographicSearch::withoutPunctuation).distinct().toList();
        return new DemographicSearch(families, born,
                present(given) ? Optional.of(withoutPunctuation(given)).filter(g -> !g.isEmpty()) : Optional.empty(),
                present(postcode) ? Optional.of(normalisePostcode(postcode)) : Optional.empty());
    }

    /**
     * What a name search compares: the name without spaces, apostrophes, hyphens and full stops, so that O'Brien finds
     * OBrien and O BRIEN, and Smith-Jones finds Smith Jones. {@link PersonReads} strips the stored names of the same
     * characters ({@link #NAME_PUNCTUATION_SQL}); case is compared aside there, by the database's own rules.
     */
    static String withoutPunctuation(String name) {
        return name.replaceAll("[\\s'\u2018\u2019.\\-]", "");
    }

    /** {@link #withoutPunctuation}'s characters as a PostgreSQL regular expression. */
    static final String NAME_PUNCTUATION_SQL = "[[:space:]'\u2018\u2019.-]";

    static String normalisePostcode(String postcode) {
        return postcode.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
    }

    private static boolean present(String text) {
        return text != null && !text.isBlank();
    }
}
