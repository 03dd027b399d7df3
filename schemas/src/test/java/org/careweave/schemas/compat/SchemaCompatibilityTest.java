package org.careweave.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.careweave.events.ObservationEvent;
import org.careweave.events.PatientEvent;
import org.junit.jupiter.api.Test;

class SchemaCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Schema patientV1 = PatientEvent.getClassSchema();

    @Test
    void newFieldWithoutDefaultIsRefusedNamingTheField() {
        Schema changed = edit(patientV1, root -> fields(root).addObject().put("name", "consentCode").put("type", "string"));

        CompatibilityResult result = SchemaCompatibility.check(changed, List.of(patientV1),
                CompatibilityMode.BACKWARD_TRANSITIVE);

        assertThat(result.compatible()).isFalse();
        assertThat(result.explanation())
                .contains("PatientEvent.consentCode")
                .contains("no default value")
                .contains("v1");
    }

    @Test
    void changedFieldTypeIsRefusedNamingTheField() {
        Schema observationV1 = ObservationEvent.getClassSchema();
        Schema changed = edit(observationV1, root -> field(root, "setId").put("type", "string"));

        CompatibilityResult result = SchemaCompatibility.check(changed, List.of(observationV1),
                CompatibilityMode.BACKWARD_TRANSITIVE);

        assertThat(result.compatible()).isFalse();
        assertThat(result.explanation()).contains("ObservationEvent.setId").contains("changed type");
    }

    @Test
    void changeInsideANestedRecordNamesTheWholePath() {
        Schema changed = edit(patientV1, root -> {
            ObjectNode provenance = (ObjectNode) field(root, "provenance").get("type");
            field(provenance, "controlId").put("type", "int");
        });

        List<String> problems = SchemaCompatibility.whyCannotRead(changed, patientV1);

        assertThat(problems).singleElement().asString().contains("PatientEvent.provenance.controlId");
    }

    @Test
    void newOptionalFieldWithDefaultIsAccepted() {
        Schema changed = edit(patientV1, root -> {
            ObjectNode field = fields(root).addObject().put("name", "preferredLanguage");
            field.putArray("type").add("null").add("string");
            field.putNull("default");
        });

        CompatibilityResult result = SchemaCompatibility.check(changed, List.of(patientV1),
                CompatibilityMode.BACKWARD_TRANSITIVE);

        assertThat(result.compatible()).as(result.explanation()).isTrue();
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void transitiveModesCheckEveryVersionNotOnlyTheLatest() {
        Schema v1 = record("{\"name\":\"a\",\"type\":\"int\"}");
        Schema v2 = record("{\"name\":\"a\",\"type\":\"int\"}, {\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}");
        Schema v3 = record("{\"name\":\"a\",\"type\":\"int\"}, {\"name\":\"b\",\"type\":\"string\"}");

        assertThat(SchemaCompatibility.check(v3, List.of(v1, v2), CompatibilityMode.BACKWARD).compatible()).isTrue();
        CompatibilityResult transitive = SchemaCompatibility.check(v3, List.of(v1, v2),
                CompatibilityMode.BACKWARD_TRANSITIVE);
        assertThat(transitive.compatible()).isFalse();
        assertThat(transitive.explanation()).contains("written with v1").contains("Reading.b");
    }

    @Test
    void forwardRefusesRemovingAFieldOldReadersNeed() {
        Schema v1 = record("{\"name\":\"a\",\"type\":\"int\"}, {\"name\":\"b\",\"type\":\"string\"}");
        Schema v2 = record("{\"name\":\"a\",\"type\":\"int\"}");

        assertThat(SchemaCompatibility.check(v2, List.of(v1), CompatibilityMode.BACKWARD).compatible()).isTrue();
        CompatibilityResult forward = SchemaCompatibility.check(v2, List.of(v1), CompatibilityMode.FORWARD);
        assertThat(forward.compatible()).isFalse();
        assertThat(forward.explanation()).contains("v1 cannot read new data").contains("Reading.b");
        assertThat(SchemaCompatibility.check(v2, List.of(v1), CompatibilityMode.FULL).compatible()).isFalse();
    }

    /**
     * A new enum symbol is new data old readers cannot read: without a default symbol in their enum they refuse every
     * record written with the new schema (the whole writer schema, not only records that use the symbol).
     */
    @Test
    void aNewEnumSymbolIsRefusedForOldReadersUnlessTheirEnumHasADefault() {
        Schema v1 = record("{\"name\":\"kind\",\"type\":{\"type\":\"enum\",\"name\":\"Kind\","
                + "\"symbols\":[\"A\",\"B\"]}}");
        Schema v2 = record("{\"name\":\"kind\",\"type\":{\"type\":\"enum\",\"name\":\"Kind\","
                + "\"symbols\":[\"A\",\"B\",\"C\"]}}");
        Schema v1WithDefault = record("{\"name\":\"kind\",\"type\":{\"type\":\"enum\",\"name\":\"Kind\","
                + "\"symbols\":[\"A\",\"B\"],\"default\":\"A\"}}");
        Schema v2WithDefault = record("{\"name\":\"kind\",\"type\":{\"type\":\"enum\",\"name\":\"Kind\","
                + "\"symbols\":[\"A\",\"B\",\"C\"],\"default\":\"A\"}}");

        assertThat(SchemaCompatibility.check(v2, List.of(v1), CompatibilityMode.BACKWARD).compatible()).isTrue();
        CompatibilityResult full = SchemaCompatibility.check(v2, List.of(v1), CompatibilityMode.FULL_TRANSITIVE);
        assertThat(full.compatible()).isFalse();
        assertThat(full.explanation()).contains("v1 cannot read new data");
        assertThat(SchemaCompatibility.check(v2WithDefault, List.of(v1WithDefault),
                CompatibilityMode.FULL_TRANSITIVE).compatible()).isTrue();
    }

    @Test
    void aFirstVersionIsCompatibleWithNothing() {
        assertThat(SchemaCompatibility.check(patientV1, List.of(), CompatibilityMode.FULL_TRANSITIVE).compatible())
                .isTrue();
    }

    private static Schema record(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"test\",\"fields\":["
                + fields + "]}");
    }

    /** The schema's JSON with {@code change} applied: how a person would edit the .avdl, without generating code. */
    private static Schema edit(Schema schema, Consumer<ObjectNode> change) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(schema.toString());
            change.accept(root);
            return new Schema.Parser().parse(JSON.writeValueAsString(root));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode fields(ObjectNode record) {
        return (ArrayNode) record.get("fields");
    }

    private static ObjectNode field(ObjectNode record, String name) {
        for (var field : fields(record)) {
            if (field.get("name").asText().equals(name)) {
                return (ObjectNode) field;
            }
        }
        throw new IllegalArgumentException("no field " + name);
    }
}
