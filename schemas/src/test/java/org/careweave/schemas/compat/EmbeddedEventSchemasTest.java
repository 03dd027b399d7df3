package org.careweave.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.Schema;
import org.careweave.events.CareweaveEvents;
import org.careweave.internal.CareweaveInternal;
import org.junit.jupiter.api.Test;

/**
 * The processors' internal records embed events (a person's state holds their {@code EncounterEvent}s), and the Avro
 * plugin regenerates a file's classes only when that file changed. A build without {@code clean} after a change to
 * events-v1.avdl then leaves internal classes with the old event schema, and the processors silently drop the new
 * fields from their state. This fails such a build instead.
 */
class EmbeddedEventSchemasTest {

    @Test
    void internalRecordsEmbedTheCurrentEventSchemas() {
        List<String> stale = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Schema type : CareweaveInternal.PROTOCOL.getTypes()) {
            collectStale(type, seen, stale);
        }

        assertThat(stale).as("events embedded in internal records differ from the events' own schemas: "
                + "build the schemas module with clean (mvn -pl schemas clean install)").isEmpty();
        assertThat(seen).as("the internal records do embed events").contains("org.careweave.events.EncounterEvent");
    }

    private static void collectStale(Schema schema, Set<String> seen, List<String> stale) {
        switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                Schema current = CareweaveEvents.PROTOCOL.getType(schema.getFullName());
                if (current != null && !current.equals(schema)) {
                    stale.add(schema.getFullName());
                }
                if (schema.getType() == Schema.Type.RECORD) {
                    schema.getFields().forEach(f -> collectStale(f.schema(), seen, stale));
                }
            }
            case ARRAY -> collectStale(schema.getElementType(), seen, stale);
            case MAP -> collectStale(schema.getValueType(), seen, stale);
            case UNION -> schema.getTypes().forEach(t -> collectStale(t, seen, stale));
            default -> {
            }
        }
    }
}
