package org.careweave.ingest.hl7;

/**
 * The field values of one segment as HAPI's generic model gives them: escape sequences decoded, {@code ""} (explicit
 * null) kept as two quotes, and "" (never null) for anything absent. Lets the validator ask the same questions of a
 * HAPI parse and of {@link LightMessage}.
 */
public interface Hl7Fields {

    /** Component 1, subcomponent 1 of the first repetition. */
    default String value(int field) {
        return value(field, 0, 1);
    }

    /** Subcomponent 1 of the given component of the given repetition (from 0). */
    String value(int field, int repetition, int component);

    int repetitions(int field);
}
