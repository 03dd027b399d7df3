package org.careweave.processors.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.careweave.events.IdentityLink;
import org.careweave.events.IdentityReview;
import org.careweave.events.MatchEvidence;
import org.careweave.events.PatientEvent;
import org.careweave.events.PersonGolden;
import org.careweave.events.ReviewDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Applies the identity rules to each patient event, and people's decisions on review pairs, and forwards links, golden
 * records and reviews.
 */
final class IdentityProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(IdentityProcessor.class);

    private final MasterPatientIndex index;
    private final Counter linksCounter;
    private final Counter reviewsCounter;
    private final Counter decisionsAccepted;
    private final Counter decisionsRefused;
    private final AtomicLong openReviews;
    private ProcessorContext<String, SpecificRecord> context;
    private StoreBackedMpiState state;
    private KeyValueStore<String, Long> reviews;
    private KeyValueStore<String, String> decided;

    /** @param openReviews the review queue's size, shared with the gauge that reports it */
    IdentityProcessor(MasterPatientIndex index, MeterRegistry metrics, AtomicLong openReviews) {
        this.openReviews = openReviews;
        this.index = index;
        this.linksCounter = metrics.counter("careweave.identity.links");
        this.reviewsCounter = metrics.counter("careweave.identity.reviews");
        this.decisionsAccepted = metrics.counter("careweave.identity.decisions", "outcome", "accepted");
        this.decisionsRefused = metrics.counter("careweave.identity.decisions", "outcome", "refused");
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.state = new StoreBackedMpiState(
                context.getStateStore(StoreBackedMpiState.SOURCE_RECORDS),
                context.getStateStore(StoreBackedMpiState.LINKS),
                context.getStateStore(StoreBackedMpiState.PERSONS),
                context.getStateStore(StoreBackedMpiState.BLOCKS),
                context.getStateStore(StoreBackedMpiState.COUNTERS),
                context.getStateStore(StoreBackedMpiState.DIFFERENT));
        this.reviews = context.getStateStore(StoreBackedMpiState.REVIEWS);
        this.decided = context.getStateStore(StoreBackedMpiState.DECISIONS);
        // Pairs raised less pairs decided (a decision on a pair never raised here is refused, so each decided pair
        // was raised).
        openReviews.set(Math.max(0, reviews.approximateNumEntries() - decided.approximateNumEntries()));
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof PatientEvent event) {
            apply(record, event);
        } else if (record.value() instanceof ReviewDecision decision) {
            decide(record, decision);
        }
    }

    private void apply(Record<String, SpecificRecord> record, PatientEvent event) {
        IdentityDecisions decisions = index.apply(event, state);
        forward(record, decisions, event.getProvenance().getReceivedAt());
        for (IdentityReview review : decisions.reviews()) {
            if (decided.get(review.getPairId()) != null) {
                continue; // a person has decided this pair: it stays closed
            }
            log.info("Identity review {} raised ({}) by control id {}", review.getPairId(), review.getReason(),
                    event.getProvenance().getControlId());
            context.forward(record.withKey(review.getPairId()).withValue(review));
            if (reviews.get(review.getPairId()) == null) {
                reviews.put(review.getPairId(), review.getRaisedAt().toEpochMilli());
                openReviews.incrementAndGet();
            }
        }
        reviewsCounter.increment(decisions.reviews().size());
    }

    /**
     * A person's decision on a review pair. Accepted: its links and golden records go out, and the review is
     * published again, closed, naming the decision. Refused: the review stays as it was; the log says why (pair id
     * and reason only).
     */
    private void decide(Record<String, SpecificRecord> record, ReviewDecision decision) {
        String pairId = decision.getPairId();
        if (decided.get(pairId) != null) {
            log.info("Identity review {} was already decided; decision by {} ignored", pairId,
                    decision.getDecidedBy());
            decisionsRefused.increment();
            return;
        }
        MasterPatientIndex.Decided outcome = index.decide(decision, state);
        if (!outcome.accepted()) {
            log.warn("Identity review {}: decision {} refused ({})", pairId, decision.getVerdict(), outcome.refusal());
            decisionsRefused.increment();
            return;
        }
        forward(record, outcome.decisions(), decision.getDecidedAt());
        decided.put(pairId, decision.getVerdict().name());
        Long raisedAt = reviews.get(pairId);
        if (raisedAt != null) {
            openReviews.decrementAndGet();
        }
        IdentityReview closed = IdentityReview.newBuilder()
                .setPairId(pairId)
                .setLeftIdentifier(decision.getLeftIdentifier())
                .setRightIdentifier(decision.getRightIdentifier())
                .setLeftPersonId(MasterPatientIndex.reviewedPerson(decision.getLeftIdentifier(), state).orElse(null))
                .setRightPersonId(MasterPatientIndex.reviewedPerson(decision.getRightIdentifier(), state)
                        .orElse(null))
                .setReason("DECIDED_" + decision.getVerdict().name())
                .setEvidence(List.of(MatchEvidence.newBuilder().setComparison("decided by")
                        .setLevel(decision.getDecidedBy()).setWeight(0).build()))
                .setRaisedAt(raisedAt == null ? decision.getDecidedAt() : Instant.ofEpochMilli(raisedAt))
                .setOpen(false)
                .build();
        context.forward(record.withKey(pairId).withValue(closed));
        log.info("Identity review {} decided {}; {} links changed", pairId, decision.getVerdict(),
                outcome.decisions().links().size());
        decisionsAccepted.increment();
    }

    private void forward(Record<String, SpecificRecord> record, IdentityDecisions decisions, Instant at) {
        for (IdentityLink link : decisions.links()) {
            context.forward(record.withKey(link.getSourceIdentifier()).withValue(link));
        }
        for (String personId : decisions.changedPersons()) {
            Person person = state.person(personId).orElseThrow();
            List<SourceRecord> sources = new ArrayList<>();
            for (String sourceKey : person.sourceKeys()) {
                state.sourceRecord(sourceKey).ifPresent(sources::add);
            }
            PersonGolden golden = GoldenRecords.of(person, sources, at);
            context.forward(record.withKey(personId).withValue(golden));
        }
        linksCounter.increment(decisions.links().size());
    }
}
