package org.careweave.processors.identity.matching;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A seeded generator of invented people and noisy copies of their records, for estimation and linking tests. */
final class InventedPeople {

    private static final String[] GIVEN = {"Aisha", "Ben", "Chloe", "Dev", "Erin", "Farid", "Gemma", "Hugo",
        "Isla", "Jonah", "Kiran", "Lola", "Milo", "Nadia", "Owen", "Poppy", "Quinn", "Rosa", "Sami", "Tilly",
        "Umar", "Vera", "Wes", "Yara", "Zak", "Amber", "Bryn", "Cora", "Dylan", "Elsie"};
    private static final String[] FAMILY = {"Testbrook", "Testcombe", "Testdale", "Testfield", "Testford",
        "Testgate", "Testham", "Testhill", "Testley", "Testmoor", "Testridge", "Teststead", "Testwell", "Testwood",
        "Sampleby", "Samplecott", "Sampleton", "Examplethorpe", "Exampleworth", "Fictionson"};
    private static final String[] STREETS = {"Acre Lane", "Birch Road", "Canal Street", "Dene Close", "Elm Grove",
        "Fold Court", "Gill Avenue", "Holly Drive", "Ing Way", "Jubilee Terrace"};

    private final SplittableRandom random;

    InventedPeople(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** One clean record per person. */
    List<Demographics> people(int count) {
        List<Demographics> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String district = "LS" + (1 + random.nextInt(9));
            out.add(new Demographics(pick(GIVEN), pick(FAMILY),
                    LocalDate.of(1930 + random.nextInt(80), 1 + random.nextInt(12), 1 + random.nextInt(28)),
                    random.nextBoolean() ? "F" : "M",
                    district + " " + (1 + random.nextInt(9)) + (char) ('A' + random.nextInt(26))
                            + (char) ('A' + random.nextInt(26)),
                    (1 + random.nextInt(120)) + " " + pick(STREETS), "Leeds"));
        }
        return out;
    }

    /** A copy with, on average, one field mistyped or left out. */
    Demographics noisyCopy(Demographics d) {
        String given = d.givenName();
        String family = d.familyName();
        LocalDate born = d.birthDate();
        String postcode = d.postcode();
        String address = d.addressLine();
        switch (random.nextInt(6)) {
            case 0 -> given = typo(given);
            case 1 -> family = typo(family);
            case 2 -> born = born.plusDays(1);
            case 3 -> postcode = null;
            case 4 -> address = address.replace("Lane", "Ln").replace("Road", "Rd");
            default -> {
                // An exact copy: most records of one person agree.
            }
        }
        return new Demographics(given, family, born, random.nextInt(10) == 0 ? null : d.sex(), postcode, address,
                d.city());
    }

    private String typo(String s) {
        int i = 1 + random.nextInt(s.length() - 2);
        return s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2);
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
