package org.careweave.schemas.compat;

import org.apache.avro.Schema;

/**
 * Turns Avro's JSON-pointer locations ({@code /fields/3/type/fields/0/type}) into field paths a person reads
 * ({@code PatientEvent.provenance.sendingFacility}).
 */
final class FieldPaths {

    private FieldPaths() {}

    static String resolve(Schema root, String location) {
        StringBuilder path = new StringBuilder(root.getName());
        Schema current = root;
        String[] steps = location == null ? new String[0] : location.split("/");
        try {
            for (int i = 0; i < steps.length; i++) {
                String step = steps[i];
                switch (step) {
                    case "", "type", "name", "size", "symbols" -> { }
                    case "fields" -> {
                        Schema.Field field = current.getFields().get(Integer.parseInt(steps[++i]));
                        path.append('.').append(field.name());
                        current = field.schema();
                    }
                    case "items" -> {
                        path.append("[]");
                        current = current.getElementType();
                    }
                    case "values" -> {
                        path.append("{}");
                        current = current.getValueType();
                    }
                    default -> {
                        if (current.getType() == Schema.Type.UNION) {
                            current = current.getTypes().get(Integer.parseInt(step));
                        }
                    }
                }
            }
        } catch (RuntimeException unexpectedShape) {
            return path + " (" + location + ")";
        }
        return path.toString();
    }
}
