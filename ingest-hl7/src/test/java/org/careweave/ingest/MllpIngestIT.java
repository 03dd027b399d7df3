package org.careweave.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.careweave.events.EncounterEvent;
import org.careweave.events.ObservationEvent;
import org.careweave.events.PatientEvent;
import org.careweave.events.RawMessage;
import org.careweave.events.RejectedMessage;
import org.careweave.events.RejectionStage;
import org.careweave.ingest.mapping.MappingConfig;
import org.careweave.ingest.mapping.MappingService;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * ingest end to end on the real embedded platform, driven by HAPI's own MLLP client as an independent sender:
 * ACK codes, what lands on the raw, event and dead-letter topics, and resend idempotency.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class MllpIngestIT {

    private static final String PREFIX = "it-mllp.";
    private static final String FACILITY = "RHMX1";

    private static Platform platform;
    private static IngestService ingest;
    private static MappingService mapping;
    private static HapiContext hapi;
    private static Connection connection;
    private static SimpleMeterRegistry metrics;
    @TempDir
    static Path state;

    @BeforeAll
    static void start(Platform shared) throws Exception {
        platform = shared;
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 1, (short) 1);
        metrics = new SimpleMeterRegistry();
        ingest = IngestService.start(IngestConfig.defaults().withPort(0), platform.kafka(),
                platform.schemaRegistryUrl(), PREFIX, metrics);
        mapping = MappingService.start(MappingConfig.defaults().withApplicationId("it-mllp-mapping"),
                platform.kafka(), platform.schemaRegistryUrl(), PREFIX, (short) 1, state, metrics);
        hapi = new DefaultHapiContext();
        hapi.setModelClassFactory(new GenericModelClassFactory());
        hapi.setValidationContext(ValidationContextFactory.noValidation());
        connection = hapi.newClient("127.0.0.1", ingest.port(), false);
    }

    @AfterAll
    static void stop() throws Exception {
        connection.close();
        hapi.close();
        mapping.close();
        ingest.close();
    }

    @Test
    void admissionIsAcknowledgedArchivedAndMappedToPatientAndEncounterEvents() throws Exception {
        Message ack = send(SampleMessages.adtA01(FACILITY, "ADM-1", SampleMessages.NHS_A, "MRN100", "Testname",
                "Jo"));
        assertThat(ackCode(ack)).isEqualTo("AA");
        assertThat(new Terser(ack).get("/MSA-2")).isEqualTo("ADM-1");

        List<RawMessage> raw = TopicContents.await(platform, topic(Topics.HL7_RAW),
                (RawMessage r) -> r.getControlId().equals("ADM-1"), 1);
        assertThat(raw).hasSize(1);
        assertThat(raw.get(0).getSendingFacility()).isEqualTo(FACILITY);
        assertThat(raw.get(0).getCharset()).isEqualTo("UTF-8");
        assertThat(raw.get(0).getRemoteAddress()).startsWith("127.0.0.1:");

        List<PatientEvent> patients = TopicContents.await(platform, topic(Topics.PATIENT_EVENTS),
                (PatientEvent p) -> p.getProvenance().getControlId().equals("ADM-1"), 1);
        assertThat(patients).hasSize(1);
        PatientEvent patient = patients.get(0);
        assertThat(patient.getNhsNumber()).isEqualTo(SampleMessages.NHS_A);
        assertThat(patient.getName().getFamily()).isEqualTo("Testname");
        assertThat(patient.getProvenance().getRaw().getOffset()).isNotNull();

        List<EncounterEvent> encounters = TopicContents.await(platform, topic(Topics.ENCOUNTER_EVENTS),
                (EncounterEvent e) -> e.getProvenance().getControlId().equals("ADM-1"), 1);
        assertThat(encounters).singleElement().satisfies(e -> {
            assertThat(e.getPatientClass()).isEqualTo("I");
            assertThat(e.getStatus()).isEqualTo("in-progress");
        });
    }

    @Test
    void eachFeedsNhsNumberCompletenessIsCountedAsItsRecordsAreMapped() throws Exception {
        String feed = "RQDQ1";
        assertThat(ackCode(send(SampleMessages.adtA01(feed, "DQ-1", SampleMessages.NHS_A, "MRNDQ1", "Testdq",
                "Ann")))).isEqualTo("AA");
        // A mistyped NHS number (check digit 7 where 8 is right) is accepted, never used to link, and counted.
        assertThat(ackCode(send(SampleMessages.adtA01(feed, "DQ-2", "9990000017", "MRNDQ2", "Testdq", "Bea"))))
                .isEqualTo("AA");
        TopicContents.await(platform, topic(Topics.PATIENT_EVENTS),
                (PatientEvent p) -> p.getProvenance().getControlId().startsWith("DQ-"), 2);

        assertThat(metrics.counter("careweave.mapping.patients", "facility", feed, "nhs_number", "valid").count())
                .isEqualTo(1.0);
        assertThat(metrics.counter("careweave.mapping.patients", "facility", feed, "nhs_number", "invalid").count())
                .isEqualTo(1.0);
        assertThat(metrics.counter("careweave.mapping.patients.incomplete", "facility", feed, "field", "postcode")
                .count()).isZero();
        assertThat(metrics.counter("careweave.mapping.sender.time.ahead", "facility", feed).count()).isZero();
    }

    /** A feed whose clock is set a year ahead: its time is not read as when the event was recorded, and is counted. */
    @Test
    void aFeedWhoseClockIsAheadIsCounted() throws Exception {
        String feed = "RQCK1";
        int nextYear = java.time.Year.now(java.time.ZoneOffset.UTC).getValue() + 1;
        String ahead = SampleMessages.adtA01(feed, "CK-1", SampleMessages.NHS_A, "MRNCK1", "Testclock", "Cal")
                .replace("20240601", nextYear + "0601");
        assertThat(ackCode(send(ahead))).isEqualTo("AA");
        PatientEvent patient = TopicContents.await(platform, topic(Topics.PATIENT_EVENTS),
                (PatientEvent p) -> p.getProvenance().getControlId().equals("CK-1"), 1).get(0);

        assertThat(patient.getRecordedAt()).as("read in the order received instead").isNull();
        assertThat(metrics.counter("careweave.mapping.sender.time.ahead", "facility", feed).count()).isEqualTo(1.0);
    }

    @Test
    void resultIsMappedToOneObservationPerObx() throws Exception {
        Message ack = send(SampleMessages.oruR01(FACILITY, "ORU-1", SampleMessages.NHS_B, "MRN200"));
        assertThat(ackCode(ack)).isEqualTo("AA");
        List<ObservationEvent> observations = TopicContents.await(platform, topic(Topics.OBSERVATION_EVENTS),
                (ObservationEvent o) -> o.getProvenance().getControlId().equals("ORU-1"), 2);
        assertThat(observations).hasSize(2);
        ObservationEvent hba1c = observations.stream().filter(o -> o.getCode().getCode().equals("4548-4"))
                .findFirst().orElseThrow();
        assertThat(hba1c.getNumericValue()).isEqualTo(48.0);
        assertThat(hba1c.getUnits()).isEqualTo("mmol/mol");
        assertThat(hba1c.getFillerOrderNumber()).isEqualTo("FIORU-1");
        assertThat(hba1c.getNotes()).containsExactly("Sample slightly haemolysed");
        assertThat(hba1c.getCode().getSystem()).isEqualTo("http://loinc.org");
    }

    @Test
    void resultWithoutPatientIdentifierIsRefusedWithAeAndDeadLettered() throws Exception {
        Message ack = send(SampleMessages.oruWithoutPatientIdentifier(FACILITY, "BAD-PID-1"));
        assertThat(ackCode(ack)).isEqualTo("AE");
        assertThat(new Terser(ack).get("/ERR-2-1")).isEqualTo("PID");
        List<RejectedMessage> dead = TopicContents.await(platform, topic(Topics.HL7_DEADLETTER),
                (RejectedMessage r) -> "BAD-PID-1".equals(r.getControlId()), 1);
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(r.getReason()).contains("PID-3");
            assertThat(r.getStage()).isEqualTo(RejectionStage.VALIDATION);
            assertThat(r.getPayload().remaining()).isPositive();
        });
        assertThat(TopicContents.<RawMessage>values(platform, topic(Topics.HL7_RAW)))
                .noneMatch(r -> r.getControlId().equals("BAD-PID-1"));
    }

    @Test
    void unsupportedMessageTypeIsRejectedWithAr() throws Exception {
        Message ack = send(SampleMessages.unsupportedType(FACILITY, "SIU-1"));
        assertThat(ackCode(ack)).isEqualTo("AR");
        assertThat(TopicContents.await(platform, topic(Topics.HL7_DEADLETTER),
                (RejectedMessage r) -> "SIU-1".equals(r.getControlId()), 1)).hasSize(1);
    }

    @Test
    void verbatimResendIsAcknowledgedAgainButCreatesNoNewEvents() throws Exception {
        String message = SampleMessages.adtA01(FACILITY, "RESEND-1", SampleMessages.NHS_A, "MRN300", "Resent",
                "Robin");
        assertThat(ackCode(send(message))).isEqualTo("AA");
        assertThat(ackCode(send(message))).isEqualTo("AA");
        // Same facility, so same raw partition: once the marker's event exists, the resend has been processed too.
        assertThat(ackCode(send(SampleMessages.adtA01(FACILITY, "RESEND-MARKER", SampleMessages.NHS_A, "MRN300",
                "Resent", "Robin")))).isEqualTo("AA");
        TopicContents.await(platform, topic(Topics.PATIENT_EVENTS),
                (PatientEvent p) -> p.getProvenance().getControlId().equals("RESEND-MARKER"), 1);

        assertThat(TopicContents.<RawMessage>values(platform, topic(Topics.HL7_RAW)))
                .filteredOn(r -> r.getControlId().equals("RESEND-1")).hasSize(2);
        assertThat(TopicContents.<PatientEvent>values(platform, topic(Topics.PATIENT_EVENTS)))
                .filteredOn(p -> p.getProvenance().getControlId().equals("RESEND-1")).hasSize(1);
        assertThat(TopicContents.<EncounterEvent>values(platform, topic(Topics.ENCOUNTER_EVENTS)))
                .filteredOn(e -> e.getProvenance().getControlId().equals("RESEND-1")).hasSize(1);
    }

    @Test
    void acceptedMessageThatFailsMappingGoesToTheDeadLetterTopicWithItsReason() throws Exception {
        assertThat(ackCode(send(SampleMessages.oruObxBeforeObr(FACILITY, "MAPFAIL-1", "MRN400")))).isEqualTo("AA");
        List<RejectedMessage> dead = TopicContents.await(platform, topic(Topics.HL7_DEADLETTER),
                (RejectedMessage r) -> "MAPFAIL-1".equals(r.getControlId()), 1);
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(r.getStage()).isEqualTo(RejectionStage.MAPPING);
            assertThat(r.getReason()).contains("OBX before any OBR");
            assertThat(r.getRaw().getOffset()).isNotNull();
        });
    }

    private static Message send(String text) throws Exception {
        return connection.getInitiator().sendAndReceive(hapi.getPipeParser().parse(text));
    }

    private static String ackCode(Message ack) throws Exception {
        return new Terser(ack).get("/MSA-1");
    }

    private static String topic(org.careweave.schemas.topics.Topic<?> topic) {
        return topic.name(PREFIX);
    }
}
