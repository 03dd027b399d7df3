package org.careweave.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build's guard on event contracts: a change to events-v1.avdl that breaks a released version fails here, long
 * before the registry would refuse it in production. Release a new version with the command in
 * {@link ReleasedSchemas}.
 */
class ReleasedSchemasCompatibilityTest {

    private static final ReleasedSchemas RELEASED = ReleasedSchemas.onClasspath();

    static Stream<Class<? extends SpecificRecord>> topLevelEvents() {
        return TopLevelEvents.CLASSES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topLevelEvents")
    void everyTopLevelEventHasBeenReleased(Class<? extends SpecificRecord> event) {
        assertThat(RELEASED.versions(event.getName()))
                .as("released versions of %s: run the release command in ReleasedSchemas' javadoc", event.getName())
                .isNotEmpty()
                .allSatisfy(version -> assertThat(version.getFullName()).isEqualTo(event.getName()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topLevelEvents")
    void currentSchemaReadsAndIsReadByEveryReleasedVersion(Class<? extends SpecificRecord> event) {
        Schema current = TopLevelEvents.schemaOf(event);
        List<Schema> released = RELEASED.versions(event.getName());

        // Both ways: consumers on the new schema read everything ever written, and consumers still on a released
        // version (a downstream subscriber, an instance not yet upgraded in a rolling upgrade, a rollback) read what
        // the new schema writes.
        CompatibilityResult result = SchemaCompatibility.check(current, released, CompatibilityMode.FULL_TRANSITIVE);

        assertThat(result.compatible()).as(result.explanation()).isTrue();
    }
}
