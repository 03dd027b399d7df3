package org.careweave.processors.identity.matching;

import java.util.List;
import java.util.Set;

/**
 * The parts a blocking rule's key is built from, by the names the model file uses. Parts that yield several values
 * (one per name) make the rule emit several keys, so a typo in one name or names swapped still share a key.
 */
enum BlockingKey {
    FAMILY_NAME_SOUNDEX("familyNameSoundex", Set.of(Field.FAMILY_NAME)),
    GIVEN_NAME_SOUNDEX("givenNameSoundex", Set.of(Field.GIVEN_NAME)),
    /** Soundex of given and of family name, each a key of its own. */
    NAME_SOUNDEXES("nameSoundexes", Set.of(Field.GIVEN_NAME, Field.FAMILY_NAME)),
    /** Soundex of given and family name in alphabetical order: the same key when the names are swapped. */
    NAME_SOUNDEX_PAIR("nameSoundexPair", Set.of(Field.GIVEN_NAME, Field.FAMILY_NAME)),
    /** First letter of given and of family name, each a key of its own. */
    NAME_INITIALS("nameInitials", Set.of(Field.GIVEN_NAME, Field.FAMILY_NAME)),
    FAMILY_NAME_PREFIX("familyNamePrefix3", Set.of(Field.FAMILY_NAME)),
    BIRTH_DATE("birthDate", Set.of(Field.BIRTH_DATE)),
    BIRTH_YEAR("birthYear", Set.of(Field.BIRTH_DATE)),
    POSTCODE("postcode", Set.of(Field.POSTCODE)),
    POSTCODE_DISTRICT("postcodeDistrict", Set.of(Field.POSTCODE)),
    HOUSE_NUMBER("houseNumber", Set.of(Field.ADDRESS_LINE)),
    IDENTIFIER("identifier", Set.of(Field.IDENTIFIER));

    private final String modelName;
    private final Set<Field> fields;

    BlockingKey(String modelName, Set<Field> fields) {
        this.modelName = modelName;
        this.fields = fields;
    }

    String modelName() {
        return modelName;
    }

    /** Fields whose comparisons a pair sharing this key is biased on (left out when EM trains on such pairs). */
    Set<Field> fields() {
        return fields;
    }

    List<String> values(PreparedDemographics d) {
        return switch (this) {
            case FAMILY_NAME_SOUNDEX -> one(d.familySoundex);
            case GIVEN_NAME_SOUNDEX -> one(d.givenSoundex);
            case NAME_SOUNDEXES -> two(d.givenSoundex, d.familySoundex);
            case NAME_SOUNDEX_PAIR -> one(pair(d.givenSoundex, d.familySoundex));
            case NAME_INITIALS -> two(initial(d.text(Field.GIVEN_NAME)), initial(d.text(Field.FAMILY_NAME)));
            case FAMILY_NAME_PREFIX -> one(prefix(d.text(Field.FAMILY_NAME), 3));
            case BIRTH_DATE -> one(d.text(Field.BIRTH_DATE));
            case BIRTH_YEAR -> one(d.text(Field.BIRTH_DATE) == null ? null : Integer.toString(d.year));
            case POSTCODE -> one(d.text(Field.POSTCODE));
            case POSTCODE_DISTRICT -> one(d.postcodeDistrict);
            case HOUSE_NUMBER -> one(d.houseNumber);
            case IDENTIFIER -> one(d.text(Field.IDENTIFIER));
        };
    }

    static BlockingKey named(String name) {
        for (BlockingKey k : values()) {
            if (k.modelName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("Unknown blocking key part '" + name + "'");
    }

    private static List<String> one(String value) {
        return value == null ? List.of() : List.of(value);
    }

    private static List<String> two(String a, String b) {
        if (a == null) {
            return one(b);
        }
        if (b == null || a.equals(b)) {
            return List.of(a);
        }
        return List.of(a, b);
    }

    private static String pair(String a, String b) {
        if (a == null || b == null) {
            return null;
        }
        return a.compareTo(b) <= 0 ? a + b : b + a;
    }

    private static String initial(String letters) {
        return letters == null ? null : letters.substring(0, 1);
    }

    private static String prefix(String letters, int length) {
        return letters == null ? null : letters.substring(0, Math.min(length, letters.length()));
    }
}
