package org.careweave.ingest.intake;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.careweave.events.AckCode;
import org.careweave.events.RawMessage;
import org.careweave.events.RejectedMessage;
import org.careweave.events.RejectionStage;
import org.careweave.events.ValidationIssue;
import org.careweave.ingest.ack.AckBuilder;
import org.careweave.ingest.archive.MessageArchive;
import org.careweave.ingest.hl7.MshHeader;
import org.careweave.ingest.validation.Issue;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.ingest.validation.Verdict;
import org.careweave.platform.KafkaRefusals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Write, then acknowledge. For every received payload: validate, write it to exactly one of the raw topic (accepted)
 * or the dead-letter topic (refused), and only when Kafka has acknowledged that write, answer AA, AE or AR. If the
 * write fails (Kafka unreachable), the answer is AE "application internal error" and the message is in neither
 * topic: the sender still has it and resends it, so nothing acknowledged is ever lost.
 *
 * <p>Transport-neutral: the MLLP server and the batch intake both call {@link #receive}.
 */
public final class Ingestor {

    private static final Logger log = LoggerFactory.getLogger(Ingestor.class);
    /** Of a message Kafka refused as too large, what the dead-letter topic keeps: its MSH and more. */
    static final int KEPT_OF_TOO_LARGE = 64 * 1024;

    private final MessageValidator validator;
    private final MessageArchive archive;
    private final AckBuilder acks;
    private final FacilityAllowlist allowlist;
    private final MeterRegistry metrics;
    private final Timer ackLatency;
    private final Counter storeFailures;
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();
    private final WriteGate gate;

    public Ingestor(MessageValidator validator, MessageArchive archive, AckBuilder acks, FacilityAllowlist allowlist,
                    MeterRegistry metrics) {
        this(validator, archive, acks, allowlist, metrics, WriteGate.OPEN);
    }

    public Ingestor(MessageValidator validator, MessageArchive archive, AckBuilder acks, FacilityAllowlist allowlist,
                    MeterRegistry metrics, WriteGate gate) {
        this.gate = gate;
        this.validator = validator;
        this.archive = archive;
        this.acks = acks;
        this.allowlist = allowlist;
        this.metrics = metrics;
        this.ackLatency = Timer.builder("careweave.ingest.ack.latency")
                .description("From a message fully received to its ACK ready to send")
                .publishPercentileHistogram()
                .register(metrics);
        this.storeFailures = Counter.builder("careweave.ingest.store.failures")
                .description("Messages answered AE because Kafka did not acknowledge the write")
                .register(metrics);
    }

    /** The outcome of one message: the ACK to send back, and its code. */
    public record Reply(AckCode code, String ack, Charset charset) {
        public byte[] bytes() {
            ByteBuffer b = charset.encode(ack);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }
    }

    public CompletableFuture<Reply> receive(byte[] payload, Origin origin) {
        long start = System.nanoTime();
        Instant receivedAt = Instant.now();
        Verdict verdict = authorise(validator.validate(payload), origin);
        MshHeader msh = verdict.msh();
        String facility = msh == null ? "" : msh.sendingFacility();
        String controlId = msh == null ? "" : msh.controlId();
        String messageId = MessageIds.of(facility, controlId, payload);
        Charset charset = verdict.charset() == null ? StandardCharsets.ISO_8859_1 : verdict.charset();
        Optional<String> closed = gate.closedBecause();
        if (closed.isPresent()) {
            storeFailures.increment();
            count("failed", verdict, facility);
            ackLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return CompletableFuture.completedFuture(new Reply(AckCode.AE, acks.build(verdict, AckCode.AE,
                    List.of(Issue.error(Issue.ErrorCode.APPLICATION_INTERNAL_ERROR, "", "message not stored: "
                            + closed.get() + "; it was not accepted, please resend"))), charset));
        }
        CompletableFuture<?> written = verdict.accepted()
                ? archive.archive(raw(messageId, payload, verdict, origin, receivedAt))
                : archive.deadLetter(rejected(messageId, payload, verdict, origin, receivedAt),
                        facility.isEmpty() ? String.valueOf(origin.remoteAddress()) : facility);
        // Built here, while Kafka writes, on the receiving thread: the write completes on the producer's one network
        // thread, which every connection's completion passes through. Sent only once the write succeeded.
        Reply whenWritten = new Reply(verdict.ackCode(), acks.build(verdict, verdict.ackCode(), verdict.issues()),
                charset);
        return written.handle((ok, error) -> {
            if (error == null) {
                count(verdict.accepted() ? "accepted" : "refused", verdict, facility);
                return CompletableFuture.completedFuture(whenWritten);
            }
            if (KafkaRefusals.tooLarge(error)) {
                return refuseTooLarge(payload, verdict, origin, receivedAt, messageId, charset);
            }
            storeFailures.increment();
            log.warn("Could not store message control id {} from {}: {}; answering AE so the sender resends",
                    controlId, facility, error.getClass().getSimpleName());
            count("failed", verdict, facility);
            return CompletableFuture.completedFuture(notStored(verdict, charset));
        }).thenCompose(reply -> reply).whenComplete((reply, error) ->
                ackLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }

    /** AE 207: the message is in neither topic, only the sender still has it, so it must send it again. */
    private Reply notStored(Verdict verdict, Charset charset) {
        return new Reply(AckCode.AE, acks.build(verdict, AckCode.AE, List.of(Issue.error(
                Issue.ErrorCode.APPLICATION_INTERNAL_ERROR, "",
                "message could not be stored; it was not accepted, please resend"))), charset);
    }

    /**
     * Kafka refused the record as larger than the topic takes: a resend would be refused again, and an AE would have
     * the sender resend it for ever, holding up its feed. So the answer is AR, and the dead-letter topic keeps the
     * reason with the message's first {@value #KEPT_OF_TOO_LARGE} bytes (its MSH and what follows); the sender still
     * has the whole message. Happens only where the cluster's topics take less than the listener (careweave creates
     * and raises hl7.raw and hl7.deadletter to 16 MiB where it may; docs/operations.md).
     *
     * <p>The AR holds only once the dead-letter topic has the refusal. If that write fails too, the message is in
     * neither topic, and an AR would tell the sender to drop what nobody kept: the answer is then AE 207, as for any
     * write that failed.
     */
    private CompletableFuture<Reply> refuseTooLarge(byte[] payload, Verdict verdict, Origin origin, Instant receivedAt,
                                                    String messageId, Charset charset) {
        MshHeader msh = verdict.msh();
        String facility = msh == null ? "" : msh.sendingFacility();
        String reason = "message of " + payload.length + " bytes is larger than Kafka's topics take; not stored, do"
                + " not resend as it is (the first " + Math.min(payload.length, KEPT_OF_TOO_LARGE)
                + " bytes are kept with this reason)";
        Verdict refused = new Verdict(AckCode.AR, RejectionStage.VALIDATION, List.of(Issue.error(
                Issue.ErrorCode.APPLICATION_INTERNAL_ERROR, "", reason)), msh, verdict.charset(), false);
        byte[] kept = Arrays.copyOf(payload, Math.min(payload.length, KEPT_OF_TOO_LARGE));
        log.warn("Message control id {} from {} ({} bytes) is larger than Kafka's topics take; answering AR",
                msh == null ? "" : msh.controlId(), facility, payload.length);
        Reply reply = new Reply(AckCode.AR, acks.build(refused, AckCode.AR, refused.issues()), charset);
        return archive.deadLetter(rejected(messageId, kept, refused, origin, receivedAt),
                        facility.isEmpty() ? String.valueOf(origin.remoteAddress()) : facility)
                .handle((ok, error) -> {
                    if (error != null) {
                        storeFailures.increment();
                        log.warn("Could not dead-letter the too-large message control id {} from {}: {}; answering"
                                + " AE so the sender resends", msh == null ? "" : msh.controlId(), facility,
                                error.getClass().getSimpleName());
                        count("failed", verdict, facility);
                        return notStored(verdict, charset);
                    }
                    count("refused", refused, facility);
                    return reply;
                });
    }


    /**
     * A payload that never became a complete message (bytes outside an MLLP frame, an oversize frame): kept in the
     * dead-letter topic with the reason, answered AR when the connection still allows an answer.
     */
    public CompletableFuture<Reply> refuseUnframed(byte[] keptBytes, Origin origin, String reason) {
        Verdict verdict = new Verdict(AckCode.AR, RejectionStage.FRAMING, List.of(Issue.error(
                Issue.ErrorCode.SEGMENT_SEQUENCE_ERROR, "", reason)),
                org.careweave.ingest.hl7.MshReader.read(new String(keptBytes, 0, Math.min(keptBytes.length, 4096),
                        StandardCharsets.ISO_8859_1)).orElse(null), StandardCharsets.ISO_8859_1, false);
        MshHeader msh = verdict.msh();
        String facility = msh == null ? "" : msh.sendingFacility();
        String messageId = MessageIds.of(facility, msh == null ? "" : msh.controlId(), keptBytes);
        return archive.deadLetter(rejected(messageId, keptBytes, verdict, origin, Instant.now()),
                        facility.isEmpty() ? String.valueOf(origin.remoteAddress()) : facility)
                .handle((ok, error) -> {
                    count(error == null ? "refused" : "failed", verdict, facility);
                    if (error != null) {
                        storeFailures.increment();
                        log.warn("Could not dead-letter an unframed payload from {}: {}", origin.remoteAddress(),
                                error.getClass().getSimpleName());
                    }
                    return new Reply(AckCode.AR, acks.build(verdict, AckCode.AR, verdict.issues()),
                            StandardCharsets.ISO_8859_1);
                });
    }

    private Verdict authorise(Verdict verdict, Origin origin) {
        if (origin.tlsPeer() == null || allowlist == null || verdict.msh() == null) {
            return verdict;
        }
        if (allowlist.allows(origin.tlsPeer(), verdict.msh().sendingFacility())) {
            return verdict;
        }
        return new Verdict(AckCode.AR, RejectionStage.AUTHORISATION, List.of(Issue.error(
                Issue.ErrorCode.UNKNOWN_KEY_IDENTIFIER, "MSH-4",
                "this client certificate may not send for facility " + verdict.msh().sendingFacility())),
                verdict.msh(), verdict.charset(), false);
    }

    private void count(String outcome, Verdict verdict, String facility) {
        CounterKey key = new CounterKey(outcome, verdict.ackCode().name(), facility.isEmpty() ? "unknown" : facility,
                verdict.msh() == null ? "unknown" : verdict.msh().messageType());
        counters.computeIfAbsent(key, k -> metrics.counter("careweave.ingest.messages", "outcome", k.outcome(),
                "ack", k.ack(), "facility", k.facility(), "type", k.type())).increment();
    }

    /** The tags of one message counter; looking a counter up by tags in the registry costs more than counting. */
    private record CounterKey(String outcome, String ack, String facility, String type) {
    }

    private static RawMessage raw(String messageId, byte[] payload, Verdict verdict, Origin origin, Instant at) {
        MshHeader msh = verdict.msh();
        return RawMessage.newBuilder()
                .setMessageId(messageId)
                .setSendingFacility(msh.sendingFacility())
                .setSendingApplication(emptyToNull(msh.sendingApplication()))
                .setMessageType(msh.messageType())
                .setControlId(msh.controlId())
                .setHl7Version(emptyToNull(msh.version()))
                .setReceivedAt(at)
                .setPayload(ByteBuffer.wrap(payload))
                .setCharset(verdict.charset().name())
                .setTransport(origin.transport())
                .setRemoteAddress(origin.remoteAddress())
                .setTlsPeer(origin.tlsPeer())
                .setReceivedBy(origin.receivedBy())
                .setBatchFile(origin.batchFile())
                .setAckCode(verdict.ackCode())
                .setIssues(issues(verdict))
                .build();
    }

    private static RejectedMessage rejected(String messageId, byte[] payload, Verdict verdict, Origin origin,
                                            Instant at) {
        MshHeader msh = verdict.msh();
        return RejectedMessage.newBuilder()
                .setMessageId(messageId)
                .setRejectedAt(Instant.now())
                .setStage(verdict.stage() == null ? RejectionStage.VALIDATION : verdict.stage())
                .setAckCode(verdict.ackCode())
                .setReason(verdict.reason())
                .setIssues(issues(verdict))
                .setSendingFacility(msh == null ? null : emptyToNull(msh.sendingFacility()))
                .setSendingApplication(msh == null ? null : emptyToNull(msh.sendingApplication()))
                .setMessageType(msh == null ? null : emptyToNull(msh.messageType()))
                .setControlId(msh == null ? null : emptyToNull(msh.controlId()))
                .setReceivedAt(at)
                .setPayload(ByteBuffer.wrap(payload))
                .setCharset(verdict.charset() == null ? null : verdict.charset().name())
                .setTransport(origin.transport())
                .setRemoteAddress(origin.remoteAddress())
                .setTlsPeer(origin.tlsPeer())
                .build();
    }

    private static List<ValidationIssue> issues(Verdict verdict) {
        return verdict.issues().stream().map(i -> ValidationIssue.newBuilder()
                .setCode(i.code())
                .setSeverity(i.severity().name())
                .setLocation(emptyToNull(i.location()))
                .setText(i.text())
                .build()).toList();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
