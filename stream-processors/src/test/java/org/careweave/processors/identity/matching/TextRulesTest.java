package org.careweave.processors.identity.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TextRulesTest {

    /**
     * Letters that Unicode does not decompose into a plain letter and a mark (ł, ø, ß, æ, đ, ı) are written as the
     * letters they stand for, not dropped: "Łukasz" was "ukasz", a different Soundex and no match with "Lukasz".
     */
    @Test
    void lettersWithoutADecompositionAreTransliteratedNotDropped() {
        assertThat(Text.letters("Łukasz")).isEqualTo("lukasz").isEqualTo(Text.letters("Lukasz"));
        assertThat(Text.letters("Søren")).isEqualTo("soren");
        assertThat(Text.letters("Strauß")).isEqualTo("strauss");
        assertThat(Text.letters("Ærøskøbing")).isEqualTo("aeroskobing");
        assertThat(Text.letters("Đorđević")).isEqualTo("dordevic");
        assertThat(Text.letters("Yıldız")).isEqualTo("yildiz");
        assertThat(Text.letters("Zoë")).isEqualTo("zoe");
    }

    @Test
    void placeholderGivenNamesAreNoGivenName() {
        for (String placeholder : List.of("Baby", "BABY BOY", "Twin 1", "twin-b", "Baby of Jane Testcot", "Unknown",
                "Infant Girl", "B/B")) {
            assertThat(Text.realGivenName(Text.letters(placeholder))).as(placeholder).isNull();
        }
        for (String name : List.of("Oliver", "Twinkle", "Babette", "Boyd", "Una")) {
            assertThat(Text.realGivenName(Text.letters(name))).as(name).isNotNull();
        }
    }

    @Test
    void placeholderFamilyNamesAreNoFamilyName() {
        for (String placeholder : List.of("Unknown", "UNKNOWN 3", "Unidentified", "Not Known", "N/K",
                "Major Incident 014", "Anonymous", "Unknown Male")) {
            assertThat(Text.realFamilyName(Text.letters(placeholder))).as(placeholder).isNull();
        }
        for (String name : List.of("Smith", "Unwin", "Known", "Majors", "Nunn", "Ankers")) {
            assertThat(Text.realFamilyName(Text.letters(name))).as(name).isNotNull();
        }
    }

    @Test
    void placeholderAddressesAndPseudoPostcodesAreNoAddress() {
        for (String none : List.of("No Fixed Abode", "NFA", "N.F.A.", "no fixed abode, Leeds", "Address Unknown",
                "UNKNOWN")) {
            assertThat(Text.realAddress(Text.address(none))).as(none).isNull();
        }
        assertThat(Text.realAddress(Text.address("12 Acacia Avenue"))).isEqualTo("12acaciaavenue");
        for (String pseudo : List.of("ZZ99 3VZ", "zz993wz", "ZZ99 3CZ")) {
            assertThat(Text.realPostcode(Text.alphanumeric(pseudo))).as(pseudo).isNull();
        }
        // What a form takes for "no postcode": no UK postcode is without a digit.
        for (String pseudo : List.of("NFA", "N/A", "NK", "UNKNOWN", "NONE", "n.k.", "Not known", "XX", "0000000",
                "00")) {
            assertThat(Text.realPostcode(Text.alphanumeric(pseudo))).as(pseudo).isNull();
        }
        assertThat(Text.realPostcode(Text.alphanumeric("LS1 1AA"))).isEqualTo("ls11aa");
        assertThat(Text.realPostcode(Text.alphanumeric("4123"))).as("a numeric postcode").isEqualTo("4123");
    }

    @Test
    void nicknamesAndFormalNamesAreVariants() {
        Nicknames nicknames = Nicknames.shipped();
        assertThat(nicknames.areVariants("Jon", "John")).isTrue();
        assertThat(nicknames.areVariants("JOHN", "Jonathan")).isTrue();
        assertThat(nicknames.areVariants("Bill", "William")).isTrue();
        assertThat(nicknames.areVariants("Bob", "Robert")).isTrue();
        assertThat(nicknames.areVariants("Liz", "Elizabeth")).isTrue();
        assertThat(nicknames.areVariants("Kate", "Katherine")).isTrue();
        assertThat(nicknames.areVariants("Peggy", "Margaret")).isTrue();
        assertThat(nicknames.areVariants("John", "Mary")).isFalse();
        assertThat(nicknames.areVariants("Ian", "John")).isFalse();
        assertThat(nicknames.areVariants("Mohammed", "Muhammad")).isTrue();
        assertThat(nicknames.areVariants("Muhammad", "Mohamed")).as("spellings of one name, any two").isTrue();
    }

    @Test
    void twoNamesOfTheirOwnAreNotVariants() {
        // Names that twins are given: two variants of one formal name (Molly and Polly of Mary), or a name of its
        // own listed as a variant of another (Emma of Emily), are not one name.
        Nicknames nicknames = Nicknames.shipped();
        for (String[] pair : new String[][] {{"Emma", "Emily"}, {"Molly", "Polly"}, {"Maria", "Marie"},
                {"Henry", "Harold"}, {"Nathan", "Jonathan"}, {"Jane", "Joan"}, {"Jane", "Janet"}, {"Joan", "Jean"},
                {"Natasha", "Natalie"}, {"Sarah", "Zara"}, {"Ann", "Hannah"}, {"Anna", "Hannah"}}) {
            assertThat(nicknames.areVariants(pair[0], pair[1])).as(pair[0] + "/" + pair[1]).isFalse();
        }
    }

    @Test
    void nicknameTableIsParsedFromLines() {
        Nicknames table = Nicknames.parse(List.of("# comment", "albert: al, bert", "alfred: al, alf",
                "mary: molly, polly", "mohammed = muhammad, mohamed"));
        assertThat(table.areVariants("Al", "Albert")).isTrue();
        assertThat(table.areVariants("Al", "Alfred")).isTrue();
        assertThat(table.areVariants("Albert", "Alfred")).isFalse();
        assertThat(table.areVariants("Molly", "Mary")).isTrue();
        assertThat(table.areVariants("Molly", "Polly")).as("two variants, neither the formal name").isFalse();
        assertThat(table.areVariants("Muhammad", "Mohamed")).as("'=': spellings, any two").isTrue();
    }

    @Test
    void oneEditCoversSubstitutionInsertionDeletionAndAdjacentSwap() {
        assertThat(EditDistance.withinOneEdit("19750615", "19750616")).isTrue();
        assertThat(EditDistance.withinOneEdit("19750615", "19570615")).isTrue();
        assertThat(EditDistance.withinOneEdit("ls62ab", "ls62b")).isTrue();
        assertThat(EditDistance.withinOneEdit("ls62ab", "ls612ab")).isTrue();
        assertThat(EditDistance.withinOneEdit("19750615", "19750615")).isTrue();
        assertThat(EditDistance.withinOneEdit("19750615", "19760616")).isFalse();
        assertThat(EditDistance.withinOneEdit("abc", "cba")).isFalse();
    }

    @Test
    void postcodeDistrictIsTheUkOutwardCodeOrAllButTheLastDigit() {
        assertThat(Postcodes.district("ls14ab")).isEqualTo("ls1");
        assertThat(Postcodes.district("sw1a1aa")).isEqualTo("sw1a");
        assertThat(Postcodes.district("m11ae")).isEqualTo("m1");
        assertThat(Postcodes.district("4123")).isEqualTo("412");
        assertThat(Postcodes.district("ls1")).isNull();
    }

    @Test
    void addressesAreComparedWithStreetWordsWrittenOut() {
        assertThat(Text.address("12 Acacia Ave.")).isEqualTo(Text.address("12, ACACIA AVENUE"));
        assertThat(Text.houseNumber("Flat 3, 12a Acacia Avenue")).isEqualTo("3");
        assertThat(Text.letters("O'Brien-Smith")).isEqualTo("obriensmith");
        assertThat(Text.letters("Zoë")).isEqualTo("zoe");
        assertThat(Text.letters(" - ")).isNull();
    }

    @Test
    void soundexGroupsSpellingVariants() {
        assertThat(Soundex.encode("robert")).isEqualTo("R163");
        assertThat(Soundex.encode("rupert")).isEqualTo("R163");
        assertThat(Soundex.encode("ashcraft")).isEqualTo("A261");
        assertThat(Soundex.encode("smith")).isEqualTo(Soundex.encode("smyth"));
    }
}
