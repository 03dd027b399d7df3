package org.careweave.schemas.compat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaValidationException;

/**
 * Checks a schema against earlier versions the way the schema registry does, and says why it fails in terms of
 * fields: Avro's {@link org.apache.avro.SchemaValidator} decides, and
 * {@link org.apache.avro.SchemaCompatibility#checkReaderWriterCompatibility} explains.
 */
public final class SchemaCompatibility {

    private SchemaCompatibility() {}

    /**
     * Whether {@code candidate} may follow {@code versions} under {@code mode}.
     *
     * @param versions the earlier versions, oldest first (v1, v2, ...)
     */
    public static CompatibilityResult check(Schema candidate, List<Schema> versions, CompatibilityMode mode) {
        List<Schema> newestFirst = new ArrayList<>(versions);
        java.util.Collections.reverse(newestFirst);
        boolean validatorAccepts;
        try {
            mode.validator().validate(candidate, newestFirst);
            validatorAccepts = true;
        } catch (SchemaValidationException e) {
            validatorAccepts = false;
        }
        // Avro's validator builds a resolving grammar, which accepts an enum symbol the reader lacks (reading such a
        // record fails only at run time); checkReaderWriterCompatibility, as registries use, refuses it. Both must
        // accept.
        List<String> problems = problems(candidate, versions, mode);
        if (validatorAccepts && problems.isEmpty()) {
            return new CompatibilityResult(candidate.getFullName(), mode, true, List.of());
        }
        return new CompatibilityResult(candidate.getFullName(), mode, false, problems.isEmpty()
                ? List.of("refused by Avro's validator without a field-level explanation") : problems);
    }

    /**
     * Why {@code reader} cannot read data written with {@code writer}, one line per problem naming the field; empty
     * when it can.
     */
    public static List<String> whyCannotRead(Schema reader, Schema writer) {
        org.apache.avro.SchemaCompatibility.SchemaPairCompatibility pair =
                org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (pair.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (Incompatibility incompatibility : pair.getResult().getIncompatibilities()) {
            problems.add(describe(reader, incompatibility));
        }
        return problems;
    }

    private static List<String> problems(Schema candidate, List<Schema> versions, CompatibilityMode mode) {
        List<String> problems = new ArrayList<>();
        if (mode == CompatibilityMode.NONE) {
            return problems;
        }
        int newest = versions.size();
        int oldestChecked = mode.isTransitive() ? 1 : newest;
        for (int version = newest; version >= oldestChecked; version--) {
            Schema earlier = versions.get(version - 1);
            String label = "v" + version;
            if (mode.newReadsOld()) {
                whyCannotRead(candidate, earlier).forEach(p -> problems.add("cannot read data written with " + label + ": " + p));
            }
            if (mode.oldReadsNew()) {
                whyCannotRead(earlier, candidate).forEach(p -> problems.add(label + " cannot read new data: " + p));
            }
        }
        return problems;
    }

    private static String describe(Schema reader, Incompatibility incompatibility) {
        String field = FieldPaths.resolve(reader, incompatibility.getLocation());
        return switch (incompatibility.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE -> "field '" + field + "' has no default value, and data written "
                    + "without it cannot be read: give it a default (or make it optional with default null)";
            case TYPE_MISMATCH -> "field '" + field + "' changed type: " + incompatibility.getMessage();
            case MISSING_ENUM_SYMBOLS -> "enum at '" + field + "' lost symbols " + incompatibility.getMessage()
                    + ": add them back or give the enum a default symbol";
            case MISSING_UNION_BRANCH -> "union at '" + field + "' lost a branch: " + incompatibility.getMessage();
            case NAME_MISMATCH -> "type at '" + field + "' was renamed: " + incompatibility.getMessage()
                    + " (add the old name as an alias)";
            default -> incompatibility.getType() + " at '" + field + "': " + incompatibility.getMessage();
        };
    }
}
