package org.careweave.schemas.topics;

import java.time.Duration;
import java.util.List;

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
import org.careweave.schemas.topics.Topic.Cleanup;

/**
 * Every topic careweave reads or writes, declared once: no topic name or value type is spelled anywhere else.
 * docs/topics.md describes the same list for people; {@code TopicsDocumentationTest} keeps the two in step.
 */
public final class Topics {

    /** The default name prefix; deployments may choose another (configuration key {@code topic.prefix}). */
    public static final String DEFAULT_PREFIX = "careweave.";

    /**
     * The largest record careweave writes where a record grows with a person's history (a view, the processors'
     * state of a person): 16 MiB, room for tens of thousands of results, where Kafka's default of 1 MiB held a
     * few thousand. The processors' default setting {@code processors.max.record.bytes} matches it. Also the most
     * a raw message may take with its envelope (hl7.raw, hl7.deadletter).
     */
    public static final int LARGE_RECORD_BYTES = 16 * 1024 * 1024;

    public static final Topic<RawMessage> HL7_RAW = new Topic<>("hl7.raw", RawMessage.class, Cleanup.DELETE, null,
            "sending facility (MSH-4): one feed's messages stay in order",
            "Every accepted HL7 message, verbatim, with how and when it arrived. The archive that replay starts from.",
            // Room for what the listener may be set to take (mllp.max.message.bytes, 1 MiB by default): a result
            // with an embedded report (OBX-5 of type ED) is larger than Kafka's default.
            null, LARGE_RECORD_BYTES);
    public static final Topic<RejectedMessage> HL7_DEADLETTER = new Topic<>("hl7.deadletter", RejectedMessage.class,
            Cleanup.DELETE, null, "sending facility when readable, otherwise the remote address",
            "Every refused message, with its bytes and the reason it was refused.", null, LARGE_RECORD_BYTES);
    public static final Topic<PatientEvent> PATIENT_EVENTS = new Topic<>("patient.events", PatientEvent.class,
            Cleanup.DELETE, null, "the patient's source identifier (system|value of the first valid local identifier"
                    + " in PID-3, else of the NHS number)",
            "Demographics, identifiers, merges, and senders' links and unlinks (A24, A37), as each source stated"
                    + " them.",
            // Identity reads every patient event in one ordered stream (one task); with one partition it reads this
            // topic as it is, instead of copying it to a repartition topic first (an exactly-once hop). Events take
            // what their message may (a large text result is one observation event).
            1, LARGE_RECORD_BYTES);
    public static final Topic<EncounterEvent> ENCOUNTER_EVENTS = new Topic<>("encounter.events",
            EncounterEvent.class, Cleanup.DELETE, null, "the patient's source identifier",
            "Admissions, transfers, discharges, leave, their cancellations and visit updates.", null,
            LARGE_RECORD_BYTES);
    public static final Topic<ObservationEvent> OBSERVATION_EVENTS = new Topic<>("observation.events",
            ObservationEvent.class, Cleanup.DELETE, null, "the patient's source identifier",
            "One event per OBX of a result message, with its OBR context.", null, LARGE_RECORD_BYTES);
    public static final Topic<IdentityLink> IDENTITY_LINKS = new Topic<>("identity.links", IdentityLink.class,
            Cleanup.COMPACT, null, "the source identifier (system|value)",
            "Which person each source identifier belongs to, with the rule or score that decided it.");
    public static final Topic<PersonGolden> PERSON_GOLDEN = new Topic<>("person.golden", PersonGolden.class,
            Cleanup.COMPACT, null, "person id", "The golden record of each person, with per-field provenance.");
    public static final Topic<IdentityReview> IDENTITY_REVIEW = new Topic<>("identity.review",
            IdentityReview.class, Cleanup.COMPACT, null, "pair id",
            "Uncertain or conflicting pairs of records for a person to decide.");
    public static final Topic<ReviewDecision> IDENTITY_DECISIONS = new Topic<>("identity.decisions",
            ReviewDecision.class, Cleanup.DELETE, null, "pair id",
            "People's decisions on review pairs (same person or not), and separations and links of two records no"
                    + " review named, for identity to apply; kept for ever.",
            // Identity applies decisions in the same one task as patient events, which one partition gives.
            1, null);
    public static final Topic<DeduplicatedResult> RESULTS_CURRENT = new Topic<>("results.current",
            DeduplicatedResult.class, Cleanup.COMPACT, null, "result id",
            "Each lab result once, at its current version, with all the sources that sent it.");
    public static final Topic<RepeatTestAlert> ALERTS_REPEAT_TESTS = new Topic<>("alerts.repeat-tests",
            RepeatTestAlert.class, Cleanup.DELETE, Duration.ofDays(400), "person id",
            "A test repeated within its minimum retest interval.");
    public static final Topic<PersonView> PERSON_VIEWS = new Topic<>("person.views", PersonView.class,
            Cleanup.COMPACT, null, "person id",
            "One view per person; a merged-away person's view is removed with a tombstone.", null,
            // A view carries every current result of its person: about 300 bytes each, so Kafka's default 1 MiB is
            // reached by a person with a few thousand results (years of a GP's bloods).
            LARGE_RECORD_BYTES);
    public static final Topic<OptOut> OPTOUT = new Topic<>("optout", OptOut.class, Cleanup.COMPACT, null,
            "NHS number", "The national data opt-out list; a tombstone re-admits a person.");
    /**
     * How long a record the secondary-use stream retracted (a person who opted out, a withdrawn result) or replaced
     * stays readable in its topic, where analysts may read it: the broker rolls the segment and the cleaner removes
     * it within this. Left to the cluster's defaults, a superseded record stays until its segment reaches 1 GiB or 7
     * days and half the topic is superseded: months on a large, mostly stable topic. A day, the cadence the list is
     * refreshed at (operations.md, "Runbook: opt-out refresh"): an opt-out leaves the topics before the next list
     * arrives, while the analyst tables delete at once. Hours would cost more cleaning for little. The cost of a day:
     * a segment per partition a day, which the cleaner merges, and a daily cleaning pass that rewrites the log.
     */
    public static final Duration SECONDARY_MAX_COMPACTION_LAG = Duration.ofDays(1);

    public static final Topic<SecondaryPerson> SECONDARY_PERSONS = new Topic<>("secondary.persons",
            SecondaryPerson.class, Cleanup.COMPACT, null, "pseudonym",
            "Pseudonymised persons for secondary use, without opted-out people; a tombstone retracts.", null, null,
            SECONDARY_MAX_COMPACTION_LAG);
    public static final Topic<SecondaryResult> SECONDARY_RESULTS = new Topic<>("secondary.results",
            SecondaryResult.class, Cleanup.COMPACT, null, "pseudonymised result key",
            "Pseudonymised results for secondary use, without opted-out people; a tombstone retracts.", null, null,
            SECONDARY_MAX_COMPACTION_LAG);

    private static final List<Topic<?>> ALL = List.of(HL7_RAW, HL7_DEADLETTER, PATIENT_EVENTS, ENCOUNTER_EVENTS,
            OBSERVATION_EVENTS, IDENTITY_LINKS, PERSON_GOLDEN, IDENTITY_REVIEW, IDENTITY_DECISIONS, RESULTS_CURRENT,
            ALERTS_REPEAT_TESTS,
            PERSON_VIEWS, OPTOUT, SECONDARY_PERSONS, SECONDARY_RESULTS);

    private Topics() {
    }

    public static List<Topic<?>> all() {
        return ALL;
    }
}
