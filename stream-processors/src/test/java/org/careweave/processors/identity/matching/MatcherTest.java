package org.careweave.processors.identity.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The shipped model on invented people. */
class MatcherTest {

    private final Matcher matcher = new Matcher(MatchModel.defaults());

    private static Demographics person(String given, String family, String born, String sex, String postcode,
                                       String address, String city) {
        return new Demographics(given, family, born == null ? null : LocalDate.parse(born), sex, postcode, address,
                city);
    }

    private static String level(MatchResult result, String comparison) {
        return result.evidence().stream().filter(e -> e.comparison().equals(comparison)).findFirst()
                .orElseThrow().level();
    }

    @Test
    void gpRecordWithSpellingVariantsIsLinked() {
        Demographics hospital = person("John", "Smith", "1975-06-15", null, "LS6 2AB", null, null);
        Demographics gp = person("Jonathon", "Smyth", "1975-06-15", null, "ls62ab", null, null);

        MatchResult result = matcher.compare(hospital, gp);

        assertThat(result.outcome()).isEqualTo(MatchOutcome.LINK);
        assertThat(result.guard()).isNull();
        assertThat(level(result, "givenName")).isEqualTo("nickname");
        assertThat(level(result, "familyName")).isEqualTo("similar");
        assertThat(level(result, "postcode")).isEqualTo("exact");
    }

    @Test
    void evidenceExplainsEveryComparisonAndAddsUpToTheScore() {
        MatchResult result = matcher.compare(
                person("Amira", "Testperson", "1990-02-03", "F", "BD7 1DP", "4 Mill Lane", "Bradford"),
                person("Amira", "Testperson", "1990-02-03", "female", "BD7 1DP", "4 Mill Ln", null));

        assertThat(result.evidence()).extracting(Evidence::comparison).containsExactly("prior", "givenName",
                "familyName", "birthDate", "sex", "postcode", "addressLine", "city", "identifier");
        assertThat(result.evidence().stream().mapToDouble(Evidence::weight).sum())
                .isCloseTo(result.score(), within(1e-9));
        assertThat(level(result, "addressLine")).isEqualTo("exact");
        assertThat(level(result, "city")).isEqualTo("missing");
        assertThat(result.evidence()).filteredOn(e -> e.level().equals("missing"))
                .allSatisfy(e -> assertThat(e.weight()).isZero());
    }

    @Test
    void birthDateLevels() {
        Demographics a = person("Tomas", "Testdate", "1980-03-04", null, null, null, null);
        assertThat(level(matcher.compare(a, person("Tomas", "Testdate", "1980-03-04", null, null, null, null)),
                "birthDate")).isEqualTo("exact");
        assertThat(level(matcher.compare(a, person("Tomas", "Testdate", "1980-04-03", null, null, null, null)),
                "birthDate")).isEqualTo("dayMonthSwapped");
        assertThat(level(matcher.compare(a, person("Tomas", "Testdate", "1980-03-05", null, null, null, null)),
                "birthDate")).isEqualTo("oneEdit");
        assertThat(level(matcher.compare(a, person("Tomas", "Testdate", "1908-03-04", null, null, null, null)),
                "birthDate")).isEqualTo("oneEdit");
        assertThat(level(matcher.compare(a, person("Tomas", "Testdate", "1980-11-27", null, null, null, null)),
                "birthDate")).isEqualTo("sameYear");
        assertThat(level(matcher.compare(a, person("Tomas", "Testdate", "1971-08-19", null, null, null, null)),
                "birthDate")).isEqualTo("different");
        assertThat(level(matcher.compare(a, person("Tomas", "Testdate", "1961-08-19", null, null, null, null)),
                "birthDate")).as("sixteen years or more: a generation").isEqualTo("generationApart");
        assertThat(level(matcher.compare(a, person("Tomas", "Testdate", null, null, null, null, null)),
                "birthDate")).isEqualTo("missing");
    }

    @Test
    void swappedGivenAndFamilyNamesAreRecognised() {
        MatchResult result = matcher.compare(
                person("Priya", "Testswap", "2001-09-09", null, "LS2 9JT", null, null),
                person("Testswap", "Priya", "2001-09-09", null, "LS2 9JT", null, null));
        assertThat(level(result, "givenName")).isEqualTo("swapped");
        assertThat(level(result, "familyName")).isEqualTo("swapped");
        assertThat(result.outcome()).isEqualTo(MatchOutcome.LINK);
    }

    @Test
    void aDoubleBarrelledOrCompoundNameRecordedInPartIsOneName() {
        MatchResult familyPart = matcher.compare(
                person("Imogen", "Testsmith-Testjones", "1984-05-06", "F", "LS8 1AB", "3 Example Road", "Leeds"),
                person("Imogen", "Testjones", "1984-05-06", "F", "LS8 1AB", "3 Example Road", "Leeds"));
        MatchResult givenPart = matcher.compare(
                person("Sarah-Jane", "Testpart", "1984-05-06", "F", "LS8 1AB", "3 Example Road", "Leeds"),
                person("Sarah", "Testpart", "1984-05-06", "F", "LS8 1AB", "3 Example Road", "Leeds"));
        MatchResult spacedAndHyphenated = matcher.compare(
                person("Imogen", "Testsmith Testjones", "1984-05-06", "F", null, null, null),
                person("Imogen", "Testsmith-Testjones", "1984-05-06", "F", null, null, null));

        assertThat(level(familyPart, "familyName")).isEqualTo("part");
        assertThat(familyPart.outcome()).isEqualTo(MatchOutcome.LINK);
        assertThat(level(givenPart, "givenName")).isEqualTo("part");
        assertThat(givenPart.outcome()).as("not twins: a name and a name written in full").isEqualTo(MatchOutcome.LINK);
        assertThat(givenPart.guard()).isNull();
        assertThat(level(spacedAndHyphenated, "familyName")).isEqualTo("exact");
    }

    @Test
    void aFamilyNameRecordedInPartSharesABlockWithTheWholeName() {
        Set<String> whole = new HashSet<>(matcher.blockingKeys(
                person("Imogen", "Ashtest-Bytest", "1984-05-06", "F", "LS8 1AB", "3 Example Road", "Leeds")));
        Set<String> part = new HashSet<>(matcher.blockingKeys(
                person("Imogen", "Bytest", "1984-05-06", "F", "LS8 4ZZ", "40 Mill Lane", "Leeds")));
        Set<String> other = new HashSet<>(matcher.blockingKeys(
                person("Imogen", "Ashtest", "1984-05-06", "F", "BD7 1DP", "40 Mill Lane", "Bradford")));

        // Through the birth date and the given name's initial: no key needs the whole family name.
        assertThat(part).as("moved house and goes by one part").containsAnyElementsOf(whole);
        assertThat(other).as("the other part").containsAnyElementsOf(whole);
        MatchResult result = matcher.compare(
                person("Imogen", "Ashtest-Bytest", "1984-05-06", "F", "LS8 1AB", "3 Example Road", "Leeds"),
                person("Imogen", "Bytest", "1984-05-06", "F", "LS8 4ZZ", "40 Mill Lane", "Leeds"));
        assertThat(result.outcome()).as("moved within the district, and goes by one part of her name")
                .isEqualTo(MatchOutcome.LINK);
    }

    @Test
    void aNamePartIsNoPartialLetterMatchNorAnInitial() {
        assertThat(level(matcher.compare(
                person("Anna", "Testjones", "1984-05-06", "F", null, null, null),
                person("Anna", "Testjonesby", "1984-05-06", "F", null, null, null)), "familyName"))
                .as("a longer word is not a part").isNotEqualTo("part");
        assertThat(level(matcher.compare(
                person("J", "Testpart", "1984-05-06", "F", null, null, null),
                person("Jane Ann", "Testpart", "1984-05-06", "F", null, null, null)), "givenName"))
                .isEqualTo("initial");
        assertThat(level(matcher.compare(
                person("Mary Ann", "Testpart", "1984-05-06", "F", null, null, null),
                person("Ann Mary", "Testpart", "1984-05-06", "F", null, null, null)), "givenName"))
                .as("the same parts, neither a part of the other").isNotEqualTo("part");
    }

    @Test
    void aMotherAndADaughterNamedAfterHerAtOneAddressGoToReviewAtMost() {
        MatchResult result = matcher.compare(
                person("Mary", "Testfamily", "1960-03-03", "F", "LS6 2AB", "12 Acacia Avenue", "Leeds"),
                person("Mary-Ann", "Testfamily", "1990-07-07", "F", "LS6 2AB", "12 Acacia Avenue", "Leeds"));
        assertThat(result.outcome()).isNotEqualTo(MatchOutcome.LINK);
    }

    @Test
    void transliterationsOfOneNameAreOneName() {
        MatchResult result = matcher.compare(
                person("Mohammed", "Testkhan", "1979-01-02", "M", "BD7 1DP", "4 Mill Lane", "Bradford"),
                person("Muhammad", "Testkhan", "1979-01-02", "M", "BD7 1DP", "4 Mill Lane", "Bradford"));
        assertThat(level(result, "givenName")).isEqualTo("nickname");
        assertThat(result.outcome()).as("a spelling of one name, not twins").isEqualTo(MatchOutcome.LINK);
    }

    @Test
    void twinsOfDifferentSexAreNeverLinked() {
        MatchResult result = matcher.compare(
                person("Amelia", "Testtwin", "2015-04-04", "F", "LS2 3CD", "5 Twin Street", "Leeds"),
                person("Oliver", "Testtwin", "2015-04-04", "M", "LS2 3CD", "5 Twin Street", "Leeds"));
        assertThat(result.outcome()).isEqualTo(MatchOutcome.NO_LINK);
        assertThat(result.guard()).isEqualTo("possible twins (different sex)");
    }

    @Test
    void twinsOfDifferentSexWithFormsOfOneNameAreNotLinked() {
        // A boy and a girl given the male and female form of one name: to the given-name comparison a nickname, a
        // part or a close spelling, which the guard for different names did not cover (Harry and Harriet scored
        // +32.6 bits). Forms of one name could also be one person whose sex was keyed wrongly: a person decides.
        for (String[] twins : new String[][] {{"Harry", "Harriet", "2019-04-04"}, {"Charlie", "Charlotte",
                "2019-04-04"}, {"Sam", "Samantha", "2019-04-04"}, {"Alexander", "Alexandra", "1990-04-04"},
                {"Christian", "Christina", "1990-04-04"}, {"Louis", "Louise", "1990-04-04"},
                {"Daniel", "Danielle", "1990-04-04"}, {"Paul", "Paula", "1990-04-04"}}) {
            MatchResult result = matcher.compare(
                    person(twins[0], "Testtwin", twins[2], "M", "LS2 3CD", "5 Twin Street", "Leeds"),
                    person(twins[1], "Testtwin", twins[2], "F", "LS2 3CD", "5 Twin Street", "Leeds"));
            assertThat(result.outcome()).as(twins[0] + "/" + twins[1]).isEqualTo(MatchOutcome.REVIEW);
            assertThat(result.guard()).as(twins[0] + "/" + twins[1])
                    .isEqualTo("possible twins (different sex, forms of one name)");
        }
        // One person's records with the sex stated alike still link.
        assertThat(matcher.compare(
                person("Alexandra", "Testtwin", "1990-04-04", "F", "LS2 3CD", "5 Twin Street", "Leeds"),
                person("Alexandria", "Testtwin", "1990-04-04", "F", "LS2 3CD", "5 Twin Street", "Leeds"))
                .outcome()).isEqualTo(MatchOutcome.LINK);
    }

    @Test
    void twinsOfTheSameOrUnknownSexGoToReviewAtMost() {
        MatchResult sameSex = matcher.compare(
                person("Ella", "Testtwin", "2015-04-04", "F", "LS2 3CD", "5 Twin Street", "Leeds"),
                person("Emma", "Testtwin", "2015-04-04", "F", "LS2 3CD", "5 Twin Street", "Leeds"));
        MatchResult unknownSex = matcher.compare(
                person("Noah", "Testtwin", "2015-04-04", null, "LS2 3CD", "5 Twin Street", "Leeds"),
                person("Harry", "Testtwin", "2015-04-04", null, "LS2 3CD", "5 Twin Street", "Leeds"));
        assertThat(sameSex.outcome()).isEqualTo(MatchOutcome.REVIEW);
        assertThat(sameSex.guard()).isEqualTo("possible twins");
        assertThat(unknownSex.outcome()).isEqualTo(MatchOutcome.REVIEW);
        assertThat(unknownSex.guard()).isEqualTo("possible twins");
    }

    @Test
    void twinsGivenTwoVariantsOfOneNameOrANameOfItsOwnListedAsAVariantGoToReviewAtMost() {
        // Emma and Emily (emma listed under emily), Molly and Polly (both Mary), Henry and Harold (both Harry) were
        // one name to the nickname table, which the twins guard does not cover: +38.2 bits, a link.
        for (String[] twins : new String[][] {{"Emma", "Emily", "F"}, {"Molly", "Polly", "F"},
                {"Henry", "Harold", "M"}}) {
            MatchResult result = matcher.compare(
                    person(twins[0], "Testtwin", "1990-04-04", twins[2], "LS2 3CD", "5 Twin Street", "Leeds"),
                    person(twins[1], "Testtwin", "1990-04-04", twins[2], "LS2 3CD", "5 Twin Street", "Leeds"));
            assertThat(level(result, "givenName")).as(twins[0] + "/" + twins[1]).isNotEqualTo("nickname");
            assertThat(result.outcome()).as(twins[0] + "/" + twins[1]).isEqualTo(MatchOutcome.REVIEW);
            assertThat(result.guard()).as(twins[0] + "/" + twins[1]).isEqualTo("possible twins");
        }
        // A nickname and its formal name are still one name.
        MatchResult molly = matcher.compare(
                person("Molly", "Testtwin", "1990-04-04", "F", "LS2 3CD", "5 Twin Street", "Leeds"),
                person("Mary", "Testtwin", "1990-04-04", "F", "LS2 3CD", "5 Twin Street", "Leeds"));
        assertThat(level(molly, "givenName")).isEqualTo("nickname");
        assertThat(molly.outcome()).isEqualTo(MatchOutcome.LINK);
    }

    @Test
    void aParentAndAChildOfOneNameAtOneAddressGoToReviewAtMost() {
        MatchResult fatherAndSon = matcher.compare(
                person("John", "Testfamily", "1960-03-03", "M", "LS6 2AB", "12 Acacia Avenue", "Leeds"),
                person("John", "Testfamily", "1990-07-07", "M", "LS6 2AB", "12 Acacia Avenue", "Leeds"));
        assertThat(fatherAndSon.outcome()).isEqualTo(MatchOutcome.REVIEW);
        assertThat(fatherAndSon.guard()).isEqualTo("namesakes at one address");

        // A year keyed one digit wrong is a typo, not a generation.
        MatchResult typo = matcher.compare(
                person("John", "Testfamily", "1960-03-03", "M", "LS6 2AB", "12 Acacia Avenue", "Leeds"),
                person("John", "Testfamily", "1980-03-03", "M", "LS6 2AB", "12 Acacia Avenue", "Leeds"));
        assertThat(typo.outcome()).isEqualTo(MatchOutcome.LINK);
    }

    @Test
    void namesakesAtOneAddressWithClearlyDifferentBirthDatesGoToReviewAtMost() {
        // Two residents of one care home of one name: name and address outweighed birth dates six years apart
        // (+21.5 bits) or in one year (+25.3 bits).
        Demographics resident = person("Margaret", "Testjones", "1938-03-12", "F", "LS6 4QR", "Elm Court Care Home",
                "Leeds");
        for (String born : new String[] {"1944-07-22", "1938-09-30"}) {
            MatchResult result = matcher.compare(resident,
                    person("Margaret", "Testjones", born, "F", "LS6 4QR", "Elm Court Care Home", "Leeds"));
            assertThat(result.outcome()).as(born).isEqualTo(MatchOutcome.REVIEW);
            assertThat(result.guard()).as(born).isEqualTo("namesakes at one address");
        }
        assertThat(level(matcher.compare(resident, person("Margaret", "Testjones", "1944-07-22", "F", null, null,
                null)), "birthDate")).isEqualTo("different");
        assertThat(level(matcher.compare(resident, person("Margaret", "Testjones", "1938-09-30", "F", null, null,
                null)), "birthDate")).isEqualTo("sameYear");

        // A birth date keyed one digit wrong or day and month swapped is a typo: still one person.
        for (String born : new String[] {"1938-03-13", "1938-12-03"}) {
            assertThat(matcher.compare(resident,
                    person("Margaret", "Testjones", born, "F", "LS6 4QR", "Elm Court Care Home", "Leeds"))
                    .outcome()).as(born).isEqualTo(MatchOutcome.LINK);
        }
    }

    @Test
    void commonNameWithSameBirthDateButDifferentAddressIsNotLinked() {
        Demographics leeds = person("John", "Smith", "1960-01-01", "M", "LS1 1AA", "1 High Street", "Leeds");
        Demographics bristol = person("John", "Smith", "1960-01-01", "M", "BS8 4TR", "22 Park Road", "Bristol");

        assertThat(matcher.compare(leeds, bristol).outcome()).isNotEqualTo(MatchOutcome.LINK);

        // Even where the thresholds alone would link, the guard holds the pair back for review.
        Matcher eager = new Matcher(MatchModel.defaults().withThresholds(-10, -20));
        MatchResult result = eager.compare(leeds, bristol);
        assertThat(result.outcome()).isEqualTo(MatchOutcome.REVIEW);
        assertThat(result.guard()).isEqualTo("name and birth date only; no address agrees");
    }

    @Test
    void aCommonNameAndBirthDateWithoutAnAddressIsAReviewNotALink() {
        // Two records with a name, a birth date and a sex and nothing else: a laboratory's PID, an unidentified or
        // homeless patient's registration. At a region's scale common names share birth dates (several pairs of John
        // Smiths in three million people), and the NHS identifies a patient positively by three identifiers, not two.
        Demographics emergency = person("John", "Smith", "1961-02-03", "M", null, null, null);
        Demographics laboratory = person("John", "Smith", "1961-02-03", "M", null, null, null);
        Demographics registered = person("John", "Smith", "1961-02-03", "M", "LS1 1AA", "1 High Street", "Leeds");

        assertThat(matcher.compare(emergency, laboratory).outcome()).isEqualTo(MatchOutcome.REVIEW);
        MatchResult oneSideOnly = matcher.compare(emergency, registered);
        assertThat(oneSideOnly.outcome()).isEqualTo(MatchOutcome.REVIEW);
        assertThat(oneSideOnly.guard()).isEqualTo("name and birth date only; no address agrees");
        assertThat(matcher.compare(registered, person("John", "Smith", "1961-02-03", "M", "LS1 1AA", null, null))
                .outcome()).as("a postcode that agrees is the third identifier").isEqualTo(MatchOutcome.LINK);
        // A city is no address: two John Smiths born the same day in one city of 800,000 are not unlikely.
        MatchResult sameCity = new Matcher(MatchModel.defaults().withThresholds(-10, -20)).compare(registered,
                person("John", "Smith", "1961-02-03", "M", "LS17 8RT", "40 Moor Road", "Leeds"));
        assertThat(sameCity.outcome()).isEqualTo(MatchOutcome.REVIEW);
        assertThat(sameCity.guard()).isEqualTo("name and birth date only; no address agrees");
    }

    @Test
    void differentPeopleAreNotLinked() {
        MatchResult result = matcher.compare(
                person("Grace", "Testone", "1955-12-01", "F", "HD1 2QA", "7 Station Road", "Huddersfield"),
                person("Ravi", "Testtwo", "1983-07-30", "M", "WF1 3LB", "81 Church Lane", "Wakefield"));
        assertThat(result.outcome()).isEqualTo(MatchOutcome.NO_LINK);
        assertThat(result.guard()).isNull();
    }

    @Test
    void anExtraIdentifierAddsEvidenceOnlyWhenBothRecordsHaveOne() {
        Demographics a = person("Lena", "Testid", "1971-05-05", null, null, null, null);
        Demographics b = person("Lena", "Testid", "1971-05-05", null, null, null, null);
        double without = matcher.compare(a, b).score();
        double agreeing = matcher.compare(a.withIdentifier("X 123 456"), b.withIdentifier("x123456")).score();
        double oneSided = matcher.compare(a.withIdentifier("X123456"), b).score();
        assertThat(agreeing).isGreaterThan(without);
        assertThat(oneSided).isEqualTo(without);
    }

    @Test
    void fastPathAgreesWithTheExplainedResult() {
        PreparedDemographics a = matcher.prepare(
                person("Kate", "Testfast", "1999-01-31", "F", "LS6 1AA", "3 Oak Road", "Leeds"));
        PreparedDemographics b = matcher.prepare(
                person("Katherine", "Testfast", "1999-01-31", null, "LS6 1AB", "3 Oak Rd", "Leeds"));
        long vector = matcher.comparisonVector(a, b);
        MatchResult explained = matcher.compare(a, b);
        assertThat(matcher.score(vector)).isEqualTo(explained.score());
        assertThat(matcher.outcome(vector, matcher.score(vector))).isEqualTo(explained.outcome());
    }

    @Test
    void blockingKeysSurviveASingleTypoInTheSurname() {
        Demographics original = person("Hannah", "Testworth", "1988-10-12", null, "LS6 2AB", "9 Elm Street",
                "Leeds");
        Set<String> keys = matcher.blockingKeys(original);
        for (String typo : surnameTypos("Testworth")) {
            Demographics variant = person("Hannah", typo, "1988-10-12", null, "LS6 2AB", "9 Elm Street", "Leeds");
            Set<String> shared = new HashSet<>(matcher.blockingKeys(variant));
            shared.retainAll(keys);
            assertThat(shared).as("keys shared with surname %s", typo).isNotEmpty();
        }
    }

    @Test
    void blockingKeysSurviveATypoInSurnameAndOneOtherField() {
        Demographics original = person("Hannah", "Testworth", "1988-10-12", null, "LS6 2AB", "9 Elm Street",
                "Leeds");
        Set<String> keys = matcher.blockingKeys(original);
        Demographics[] variants = {
                person("Hannah", "Restworth", "1988-10-21", null, "LS6 2AB", "9 Elm Street", "Leeds"),
                person("Hannah", "Restworth", "1988-10-12", null, "LS6 2BA", "9 Elm Street", "Leeds"),
                person("Hanna", "Testwroth", "1988-10-12", null, "LS6 2AB", "9 Elm Street", "Leeds"),
                person("Testworth", "Hannah", "1998-10-12", null, "LS6 2AB", "9 Elm Street", "Leeds"),
        };
        for (Demographics variant : variants) {
            Set<String> shared = new HashSet<>(matcher.blockingKeys(variant));
            shared.retainAll(keys);
            assertThat(shared).isNotEmpty();
        }
    }

    /** Every substitution (by a neighbouring letter), deletion and adjacent swap, first letter included. */
    private static Set<String> surnameTypos(String name) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < name.length(); i++) {
            char c = Character.toLowerCase(name.charAt(i));
            char other = c == 'z' ? 'a' : (char) (c + 1);
            out.add(name.substring(0, i) + other + name.substring(i + 1));
            out.add(name.substring(0, i) + name.substring(i + 1));
            if (i + 1 < name.length()) {
                out.add(name.substring(0, i) + name.charAt(i + 1) + name.charAt(i) + name.substring(i + 2));
            }
        }
        out.remove(name);
        return out;
    }

    @Test
    void demographicsDoNotPrintPatientData() {
        assertThat(person("Secret", "Name", "2000-01-01", null, null, null, null).toString())
                .doesNotContain("Secret");
    }
}
