package org.careweave.ingest.hl7;

/**
 * The field values of one segment as HAPI's generic model gives them: escape sequences decoded, {@code ""} (explicit
 * null) kept as two quotes, and "" (never null) for anything absent. Lets the validator ask the same questions of a
 * HAPI parse and of {@link LightMessage}, and the mapper read either.
 */
public interface Hl7Fields {

    /** The segment's name (PID, OBX, ...). */
    String name();

    /** Component 1, subcomponent 1 of the first repetition. */
    default String value(int field) {
        return value(field, 0, 1);
    }

    /** Subcomponent 1 of the given component of the given repetition (from 0). */
    default String value(int field, int repetition, int component) {
        return value(field, repetition, component, 1);
    }

    /** The given subcomponent (from 1) of the given component (from 1) of the given repetition (from 0). */
    String value(int field, int repetition, int component, int subcomponent);

    int repetitions(int field);
}
