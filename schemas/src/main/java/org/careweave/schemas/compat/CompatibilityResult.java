package org.careweave.schemas.compat;

import java.util.List;

/**
 * The verdict of a compatibility check.
 *
 * @param problems one line per incompatibility, naming the version and the field; empty when compatible
 */
public record CompatibilityResult(String schemaName, CompatibilityMode mode, boolean compatible,
        List<String> problems) {

    public CompatibilityResult {
        problems = List.copyOf(problems);
    }

    /** A paragraph a person can act on. */
    public String explanation() {
        if (compatible) {
            return schemaName + " is " + mode + " compatible";
        }
        return schemaName + " is not " + mode + " compatible:\n  - " + String.join("\n  - ", problems);
    }
}
