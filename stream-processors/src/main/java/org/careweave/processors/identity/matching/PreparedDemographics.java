package org.careweave.processors.identity.matching;

import java.time.LocalDate;

/**
 * A record's normalised forms, computed once so that comparing two records only reads fields. Holds no reference
 * to the raw values. Made by {@link Matcher#prepare}.
 */
public final class PreparedDemographics {

    private final String[] text = new String[Field.COUNT];
    private final int[][] bigrams = new int[Field.COUNT][];
    final int year;
    final int month;
    final int day;
    final int[] nicknameGroups;
    /** The nickname groups the given name heads: see {@link Nicknames#areOneName}. */
    final int[] nicknameHeads;
    final String postcodeDistrict;
    final String houseNumber;
    final String givenSoundex;
    final String familySoundex;
    private final String[][] nameParts = new String[Field.COUNT][];

    PreparedDemographics(Demographics d, Nicknames nicknames) {
        String given = Text.realGivenName(Text.letters(d.givenName()));
        String family = Text.realFamilyName(Text.letters(d.familyName()));
        text[Field.GIVEN_NAME.ordinal()] = given;
        text[Field.FAMILY_NAME.ordinal()] = family;
        LocalDate born = d.birthDate();
        if (born != null && !isPlaceholderBirthDate(born) && born.getYear() <= 9999) {
            year = born.getYear();
            month = born.getMonthValue();
            day = born.getDayOfMonth();
            text[Field.BIRTH_DATE.ordinal()] = digits(year * 10_000 + month * 100 + day);
        } else {
            year = 0;
            month = 0;
            day = 0;
        }
        text[Field.SEX.ordinal()] = sex(d.sex());
        String postcode = Text.realPostcode(Text.alphanumeric(d.postcode()));
        text[Field.POSTCODE.ordinal()] = postcode;
        String addressLine = Text.realAddress(Text.address(d.addressLine()));
        text[Field.ADDRESS_LINE.ordinal()] = addressLine;
        text[Field.CITY.ordinal()] = Text.realAddress(Text.letters(d.city()));
        text[Field.IDENTIFIER.ordinal()] = Text.alphanumeric(d.identifier());
        for (Field f : Field.values()) {
            bigrams[f.ordinal()] = Bigrams.of(text[f.ordinal()]);
        }
        nicknameGroups = nicknames.groupsOf(given);
        nicknameHeads = nicknames.headedBy(given);
        postcodeDistrict = Postcodes.district(postcode);
        houseNumber = addressLine == null ? null : Text.houseNumber(d.addressLine());
        givenSoundex = Soundex.encode(given);
        familySoundex = Soundex.encode(family);
        nameParts[Field.GIVEN_NAME.ordinal()] = given == null ? null : Text.nameParts(d.givenName());
        nameParts[Field.FAMILY_NAME.ordinal()] = family == null ? null : Text.nameParts(d.familyName());
    }

    /**
     * A birth date recorded for "not known": 1 January 1900 and anything earlier (the zero dates of spreadsheets and
     * databases, 1899-12-30 and 1899-12-31, and 1800-01-01). An emergency department registers unidentified
     * patients with one; two such John Smiths would otherwise agree on their birth date as one man. Taken as no
     * birth date, so nobody alive is affected.
     */
    static boolean isPlaceholderBirthDate(LocalDate born) {
        return !born.isAfter(PLACEHOLDER_BIRTH_DATES_UNTIL);
    }

    private static final LocalDate PLACEHOLDER_BIRTH_DATES_UNTIL = LocalDate.of(1900, 1, 1);

    String text(Field field) {
        return text[field.ordinal()];
    }

    /** A name's parts as written ({@link Text#nameParts}); null for other fields and for no name. */
    String[] nameParts(Field field) {
        return nameParts[field.ordinal()];
    }

    int[] bigrams(Field field) {
        return bigrams[field.ordinal()];
    }

    /** yyyymmdd as eight digits. */
    private static String digits(int yyyymmdd) {
        char[] out = new char[8];
        int v = yyyymmdd;
        for (int i = 7; i >= 0; i--) {
            out[i] = (char) ('0' + v % 10);
            v /= 10;
        }
        return new String(out);
    }

    /** Administrative sex as "m" or "f"; unknown, other and not stated are left out of the comparison. */
    private static String sex(String raw) {
        String s = Text.letters(raw);
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "m", "male", "man" -> "m";
            case "f", "female", "woman" -> "f";
            default -> null;
        };
    }

    @Override
    public String toString() {
        return "PreparedDemographics[redacted]";
    }
}
