package org.careweave.schemas.compat;

import java.util.function.Supplier;
import org.apache.avro.SchemaValidator;
import org.apache.avro.SchemaValidatorBuilder;

/**
 * The schema registry's compatibility modes, as Avro validators. "Transitive" modes check every earlier version,
 * the others only the latest one.
 */
public enum CompatibilityMode {
    /** New readers read data written with the latest version: consumers upgrade first. */
    BACKWARD(() -> new SchemaValidatorBuilder().canReadStrategy().validateLatest(), true, false),
    BACKWARD_TRANSITIVE(() -> new SchemaValidatorBuilder().canReadStrategy().validateAll(), true, false),
    /** Readers of the latest version read new data: producers upgrade first. */
    FORWARD(() -> new SchemaValidatorBuilder().canBeReadStrategy().validateLatest(), false, true),
    FORWARD_TRANSITIVE(() -> new SchemaValidatorBuilder().canBeReadStrategy().validateAll(), false, true),
    FULL(() -> new SchemaValidatorBuilder().mutualReadStrategy().validateLatest(), true, true),
    FULL_TRANSITIVE(() -> new SchemaValidatorBuilder().mutualReadStrategy().validateAll(), true, true),
    NONE(() -> (toValidate, existing) -> { }, false, false);

    private final Supplier<SchemaValidator> validator;
    private final boolean newReadsOld;
    private final boolean oldReadsNew;

    CompatibilityMode(Supplier<SchemaValidator> validator, boolean newReadsOld, boolean oldReadsNew) {
        this.validator = validator;
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
    }

    /** Avro's validator for this mode; it expects the existing versions newest first. */
    public SchemaValidator validator() {
        return validator.get();
    }

    public boolean isTransitive() {
        return name().endsWith("_TRANSITIVE");
    }

    /** Whether the new schema must read data written with earlier versions. */
    boolean newReadsOld() {
        return newReadsOld;
    }

    /** Whether readers of earlier versions must read data written with the new schema. */
    boolean oldReadsNew() {
        return oldReadsNew;
    }
}
