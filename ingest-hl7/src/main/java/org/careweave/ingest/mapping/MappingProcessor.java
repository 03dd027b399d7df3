package org.careweave.ingest.mapping;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.careweave.events.RawMessage;
import org.careweave.events.RawMessageRef;
import org.careweave.events.RejectedMessage;
import org.careweave.events.RejectionStage;
import org.careweave.events.ValidationIssue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Maps each raw message once: a verbatim resend (same message id) seen within the resend window produces nothing,
 * and a message that fails mapping goes to the dead-letter topic with its reason instead of vanishing.
 */
final class MappingProcessor implements Processor<String, RawMessage, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(MappingProcessor.class);

    private final RawMessageMapper mapper;
    private final Duration resendWindow;
    private final Predicate<RawMessage> selected;
    private final Counter skipped;
    private final Counter resends;
    private final Counter mapped;
    private final Counter deadLettered;
    private final FeedQuality quality;
    private ProcessorContext<String, Object> context;
    private WindowStore<String, Long> seen;

    MappingProcessor(RawMessageMapper mapper, Duration resendWindow, Predicate<RawMessage> selected,
                     MeterRegistry metrics) {
        this.mapper = mapper;
        this.resendWindow = resendWindow;
        this.selected = selected;
        this.skipped = metrics.counter("careweave.mapping.skipped");
        this.resends = metrics.counter("careweave.mapping.resends");
        this.mapped = metrics.counter("careweave.mapping.messages");
        this.deadLettered = metrics.counter("careweave.mapping.deadlettered");
        this.quality = new FeedQuality(metrics);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.seen = context.getStateStore(MappingTopology.SEEN_STORE);
    }

    @Override
    public void process(Record<String, RawMessage> record) {
        RawMessage raw = record.value();
        if (raw == null) {
            return;
        }
        if (!selected.test(raw)) {
            skipped.increment();
            return;
        }
        long at = record.timestamp();
        if (alreadySeen(raw.getMessageId(), at)) {
            resends.increment();
            return;
        }
        RawMessageRef ref = reference(raw);
        MappedEvents events;
        try {
            events = mapper.map(raw, ref);
        } catch (RuntimeException e) {
            deadLettered.increment();
            // The reason is built to name fields, never values, so it may be logged.
            String reason = e instanceof MappingException ? e.getMessage() : "mapping failed: "
                    + e.getClass().getSimpleName();
            log.warn("Message control id {} from {} could not be mapped: {}", raw.getControlId(),
                    raw.getSendingFacility(), reason);
            context.forward(record.withKey(raw.getSendingFacility()).withValue(rejected(raw, ref, reason)),
                    MappingTopology.DEAD_LETTERS);
            return;
        }
        // Only a mapped message counts as seen: a resend of one that failed (after a mapping fix) is mapped again.
        seen.put(raw.getMessageId(), at, at);
        mapped.increment();
        if (events.senderTimeAhead()) {
            quality.countSenderTimeAhead(raw.getSendingFacility());
        }
        events.patients().forEach(p -> {
            quality.count(p.event());
            context.forward(record.withKey(p.key()).withValue(p.event()), MappingTopology.PATIENTS);
        });
        events.encounters().forEach(e -> context.forward(record.withKey(e.key()).withValue(e.event()),
                MappingTopology.ENCOUNTERS));
        events.observations().forEach(o -> context.forward(record.withKey(o.key()).withValue(o.event()),
                MappingTopology.OBSERVATIONS));
    }

    private boolean alreadySeen(String messageId, long at) {
        long from = Math.max(0, at - resendWindow.toMillis());
        try (WindowStoreIterator<Long> it = seen.fetch(messageId, Instant.ofEpochMilli(from),
                Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
            return it.hasNext();
        }
    }

    private RawMessageRef reference(RawMessage raw) {
        RawMessageRef.Builder ref = RawMessageRef.newBuilder().setMessageId(raw.getMessageId());
        context.recordMetadata().ifPresent((RecordMetadata m) -> ref.setTopic(m.topic())
                .setPartition(m.partition()).setOffset(m.offset()));
        return ref.build();
    }

    private static RejectedMessage rejected(RawMessage raw, RawMessageRef ref, String reason) {
        ByteBuffer payload = raw.getPayload().duplicate();
        return RejectedMessage.newBuilder()
                .setMessageId(raw.getMessageId())
                .setRejectedAt(Instant.now())
                .setStage(RejectionStage.MAPPING)
                .setAckCode(null)
                .setReason(reason)
                .setIssues(List.of(ValidationIssue.newBuilder().setCode("207").setSeverity("ERROR")
                        .setText(reason).build()))
                .setSendingFacility(raw.getSendingFacility())
                .setSendingApplication(raw.getSendingApplication())
                .setMessageType(raw.getMessageType())
                .setControlId(raw.getControlId())
                .setReceivedAt(raw.getReceivedAt())
                .setPayload(payload)
                .setCharset(raw.getCharset())
                .setTransport(raw.getTransport())
                .setRemoteAddress(raw.getRemoteAddress())
                .setTlsPeer(raw.getTlsPeer())
                .setRaw(ref)
                .build();
    }
}
