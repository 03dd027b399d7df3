package org.careweave.processors.identity.matching;

import java.util.EnumSet;
import java.util.Set;

/**
 * The vocabulary a comparison level's {@code rule} is written in. A comparison tries its levels in order and the
 * pair falls into the first whose rule holds; {@code else} always holds. Pairs where either value is missing fall
 * into no level and weigh nothing.
 */
enum LevelRule {
    /** Normalised values equal. */
    EXACT("exact", false, null),
    /** Given names in one nickname group (Bill and William). */
    NICKNAME("nickname", false, EnumSet.of(Field.GIVEN_NAME)),
    /**
     * One name is a proper part of the other as written (Jones and Smith-Jones; Sarah and Sarah Jane): a
     * double-barrelled or compound name recorded whole in one record and in part in the other.
     */
    NAME_PART("namePart", false, EnumSet.of(Field.GIVEN_NAME, Field.FAMILY_NAME)),
    /** Jaro–Winkler similarity of the normalised values at least {@code threshold}. */
    JARO_WINKLER("jaroWinkler", true, EnumSet.of(Field.GIVEN_NAME, Field.FAMILY_NAME, Field.CITY,
            Field.ADDRESS_LINE, Field.POSTCODE, Field.IDENTIFIER)),
    /** Given and family name entered the wrong way round: each agrees with the other's opposite name. */
    SWAPPED_NAMES("swappedNames", true, EnumSet.of(Field.GIVEN_NAME, Field.FAMILY_NAME)),
    /** One side is only an initial, and it is the other's first letter. */
    INITIAL("initial", false, EnumSet.of(Field.GIVEN_NAME, Field.FAMILY_NAME)),
    /** Same year, day and month the other way round (a US-style date read as a UK one). */
    DAY_MONTH_SWAPPED("dayMonthSwapped", false, EnumSet.of(Field.BIRTH_DATE)),
    /** At most one substitution, insertion, deletion or adjacent swap (dates compared as yyyymmdd). */
    ONE_EDIT("oneEdit", false, EnumSet.of(Field.BIRTH_DATE, Field.POSTCODE, Field.IDENTIFIER, Field.GIVEN_NAME,
            Field.FAMILY_NAME, Field.CITY)),
    /** Same year of birth. */
    SAME_YEAR("sameYear", false, EnumSet.of(Field.BIRTH_DATE)),
    /**
     * Years of birth at least {@code threshold} apart: a generation, as between a parent and a child who share a
     * name and a home, rather than a slip of the keyboard (one digit off is {@code oneEdit}).
     */
    YEARS_APART("yearsApart", true, EnumSet.of(Field.BIRTH_DATE)),
    /** Same postcode district: UK outward code, or all but the last digit of a numeric postcode. */
    POSTCODE_DISTRICT("postcodeDistrict", false, EnumSet.of(Field.POSTCODE)),
    /** Dice coefficient of character bigrams at least {@code threshold}; ignores spaces and word order. */
    BIGRAM_DICE("bigramDice", true, EnumSet.of(Field.ADDRESS_LINE, Field.CITY, Field.GIVEN_NAME,
            Field.FAMILY_NAME)),
    /** Same house number and bigram Dice of the whole line at least {@code threshold}. */
    SAME_HOUSE_NUMBER("sameHouseNumber", true, EnumSet.of(Field.ADDRESS_LINE)),
    /** Always holds: the last level of every comparison. */
    ELSE("else", false, null);

    private final String modelName;
    private final boolean needsThreshold;
    private final Set<Field> fields;

    LevelRule(String modelName, boolean needsThreshold, Set<Field> fields) {
        this.modelName = modelName;
        this.needsThreshold = needsThreshold;
        this.fields = fields;
    }

    String modelName() {
        return modelName;
    }

    boolean needsThreshold() {
        return needsThreshold;
    }

    boolean appliesTo(Field field) {
        return fields == null || fields.contains(field);
    }

    static LevelRule named(String name) {
        for (LevelRule r : values()) {
            if (r.modelName.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("Unknown level rule '" + name + "'");
    }
}
