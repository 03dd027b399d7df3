package org.careweave.schemas.compat;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.EncounterEvent;
import org.careweave.events.IdentityLink;
import org.careweave.events.IdentityReview;
import org.careweave.events.ObservationEvent;
import org.careweave.events.OptOut;
import org.careweave.events.PatientEvent;
import org.careweave.events.PersonGolden;
import org.careweave.events.PersonView;
import org.careweave.events.RawMessage;
import org.careweave.events.RejectedMessage;
import org.careweave.events.RepeatTestAlert;
import org.careweave.events.ReviewDecision;
import org.careweave.events.SecondaryPerson;
import org.careweave.events.SecondaryResult;

/**
 * The events careweave publishes to topics: each is a subject in the registry and so has released versions.
 * Records only used inside these (Provenance, Identifier, ...) are released as part of them.
 */
public final class TopLevelEvents {

    /** Add a new top-level event here, then release its v1 (see {@link ReleasedSchemas}). */
    public static final List<Class<? extends SpecificRecord>> CLASSES = List.of(
            RawMessage.class,
            RejectedMessage.class,
            PatientEvent.class,
            EncounterEvent.class,
            ObservationEvent.class,
            IdentityLink.class,
            PersonGolden.class,
            IdentityReview.class,
            ReviewDecision.class,
            DeduplicatedResult.class,
            RepeatTestAlert.class,
            PersonView.class,
            OptOut.class,
            SecondaryPerson.class,
            SecondaryResult.class);

    private TopLevelEvents() {}

    /** The current (generated) schemas, in the order above. */
    public static List<Schema> schemas() {
        return CLASSES.stream().map(TopLevelEvents::schemaOf).toList();
    }

    public static Schema schemaOf(Class<? extends SpecificRecord> type) {
        return SpecificData.getForClass(type).getSchema(type);
    }

    /** The event with this simple name ({@code PatientEvent}) or full name ({@code org.careweave.events.PatientEvent}). */
    public static Optional<Schema> byName(String name) {
        return schemas().stream()
                .filter(s -> s.getFullName().equals(name) || s.getName().equals(name))
                .findFirst();
    }
}
