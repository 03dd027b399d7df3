package org.careweave.processors.identity.matching;

/** The Demographics fields a comparison or blocking key can read, by the names the model file uses. */
enum Field {
    GIVEN_NAME("givenName"),
    FAMILY_NAME("familyName"),
    BIRTH_DATE("birthDate"),
    SEX("sex"),
    POSTCODE("postcode"),
    ADDRESS_LINE("addressLine"),
    CITY("city"),
    IDENTIFIER("identifier");

    static final int COUNT = values().length;

    private final String modelName;

    Field(String modelName) {
        this.modelName = modelName;
    }

    String modelName() {
        return modelName;
    }

    static Field named(String name) {
        for (Field f : values()) {
            if (f.modelName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("Unknown field '" + name + "'; known: " + java.util.Arrays.toString(
                java.util.Arrays.stream(values()).map(Field::modelName).toArray()));
    }
}
