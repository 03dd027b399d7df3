package org.careweave.benchmarks.jmh;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.careweave.benchmarks.load.GeneratedMessage;
import org.careweave.benchmarks.load.InventedPeople;
import org.careweave.benchmarks.load.MessageFactory;
import org.careweave.benchmarks.load.MessageKind;
import org.careweave.benchmarks.stream.RawRecords;
import org.careweave.events.RawMessage;
import org.careweave.events.RawMessageRef;
import org.careweave.ingest.ack.AckBuilder;
import org.careweave.ingest.hl7.MshHeader;
import org.careweave.ingest.intake.Ingestor;
import org.careweave.ingest.intake.MessageIds;
import org.careweave.ingest.mapping.MappedEvents;
import org.careweave.ingest.mapping.RawMessageMapper;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.ingest.validation.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.GenericModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * Per message type: careweave's intake CPU path without Kafka (validate, message id, ACK, ACK bytes: what the listener
 * does per message besides the Avro record and the producer), careweave's validation (decode, MSH, light reader or
 * HAPI parse, the checks behind AA/AE/AR) and mapping (raw record to Avro events), against HAPI's PipeParser parse
 * alone with the generic model and no validation, which is the least any HL7-aware receiver does. Average time per
 * message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ParsingBenchmark {

    /** ADT_A08, ADT_A31, ORU_R01 (with 20 OBX). */
    @Param({"ADT_A08", "ADT_A31", "ORU_R01"})
    public String type;

    private byte[] payload;
    private String text;
    private RawMessage raw;
    private RawMessageRef ref;
    private MessageValidator validator;
    private RawMessageMapper mapper;
    private PipeParser hapi;
    private AckBuilder acks;

    @Setup(Level.Trial)
    public void setUp() {
        MessageKind kind = MessageKind.valueOf(type);
        InventedPeople people = InventedPeople.of(100, 7);
        GeneratedMessage message = new MessageFactory(people, 7, 0).create(kind, people.get(3), "JMH0001", -1, 20);
        payload = message.bytes();
        text = new String(payload, StandardCharsets.ISO_8859_1);
        raw = RawRecords.of(message, Instant.parse("2026-11-26T09:00:00Z"));
        ref = RawMessageRef.newBuilder().setMessageId(raw.getMessageId()).setTopic("careweave.hl7.raw")
                .setPartition(0).setOffset(1L).build();
        validator = new MessageValidator(MessageValidator.Rules.defaults());
        acks = new AckBuilder("CAREWEAVE", "CW", ZoneId.of("Europe/London"));
        mapper = new RawMessageMapper(ZoneId.of("Europe/London"), Map.of());
        HapiContext context = new DefaultHapiContext();
        context.setModelClassFactory(new GenericModelClassFactory());
        context.setValidationContext(ValidationContextFactory.noValidation());
        hapi = context.getPipeParser();
        Verdict verdict = validator.validate(payload);
        if (!verdict.accepted() || verdict.ackCode() != org.careweave.events.AckCode.AA) {
            throw new IllegalStateException(type + " is not accepted: " + verdict.issues());
        }
    }

    @Benchmark
    public Verdict careweaveValidate() {
        return validator.validate(payload);
    }

    @Benchmark
    public void careweaveIntake(Blackhole blackhole) {
        Verdict verdict = validator.validate(payload);
        MshHeader msh = verdict.msh();
        blackhole.consume(MessageIds.of(msh.sendingFacility(), msh.controlId(), payload));
        blackhole.consume(new Ingestor.Reply(verdict.ackCode(), acks.build(verdict, verdict.ackCode(),
                verdict.issues()), verdict.charset()).bytes());
    }

    @Benchmark
    public MappedEvents careweaveMap() {
        return mapper.map(raw, ref);
    }

    @Benchmark
    public Message hapiParse() throws HL7Exception {
        return hapi.parse(text);
    }
}
