package org.careweave.processors.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

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
 * records and reviews. A pair whose question the persons' own links have answered is closed as settled, so that the
 * queue holds only questions ({@link #settlement}).
 */
final class IdentityProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(IdentityProcessor.class);
    /** "Are these the same person?": answered when the two records come onto one person. */
    static final String UNCERTAIN = "PROBABILISTIC_UNCERTAIN";
    /** "Should this NHS number keep these records together?": answered when they part. */
    static final String NHS_NUMBER_QUESTIONED = "NHS_NUMBER_DEMOGRAPHICS_DISAGREE";
    /** "Should these records stay together, now that one of them says it is someone else?": answered when they part. */
    static final String CHANGE_QUESTIONED = MasterPatientIndex.DEMOGRAPHICS_CHANGED;
    private static final Set<String> SETTLEABLE = Set.of(UNCERTAIN, NHS_NUMBER_QUESTIONED, CHANGE_QUESTIONED);
    static final String SETTLED = "SETTLED_SAME_PERSON";
    static final String SETTLED_APART = "SETTLED_DIFFERENT_PERSONS";

    private final MasterPatientIndex index;
    private final Counter linksCounter;
    private final Counter reviewsCounter;
    private final Counter decisionsAccepted;
    private final Counter decisionsRefused;
    private final Counter settledCounter;
    private final AtomicLong openReviews;
    private ProcessorContext<String, SpecificRecord> context;
    private StoreBackedMpiState state;
    private KeyValueStore<String, Long> reviews;
    private KeyValueStore<String, String> decided;
    private KeyValueStore<String, String> reviewPairs;
    private KeyValueStore<String, String> reviewRecords;

    /** @param openReviews the review queue's size, shared with the gauge that reports it */
    IdentityProcessor(MasterPatientIndex index, MeterRegistry metrics, AtomicLong openReviews) {
        this.openReviews = openReviews;
        this.index = index;
        this.linksCounter = metrics.counter("careweave.identity.links");
        this.reviewsCounter = metrics.counter("careweave.identity.reviews");
        this.decisionsAccepted = metrics.counter("careweave.identity.decisions", "outcome", "accepted");
        this.decisionsRefused = metrics.counter("careweave.identity.decisions", "outcome", "refused");
        this.settledCounter = metrics.counter("careweave.identity.reviews.settled");
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
        this.reviewPairs = context.getStateStore(StoreBackedMpiState.REVIEW_PAIRS);
        this.reviewRecords = context.getStateStore(StoreBackedMpiState.REVIEW_RECORDS);
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
            track(review);
        }
        reviewsCounter.increment(decisions.reviews().size());
        settle(record, decisions, event.getProvenance().getReceivedAt());
        for (IdentityDecisions.Answered answered : decisions.answered()) {
            settleAnswered(record, answered, event.getProvenance().getReceivedAt());
        }
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
        close(record, pairId, decision.getLeftIdentifier(), decision.getRightIdentifier(),
                "DECIDED_" + decision.getVerdict().name(), "decided by", decision.getDecidedBy(),
                decision.getDecidedAt());
        log.info("Identity review {} decided {}; {} links changed", pairId, decision.getVerdict(),
                outcome.decisions().links().size());
        decisionsAccepted.increment();
        // A merge decided on one pair can answer other open pairs between the same two persons.
        settle(record, outcome.decisions(), decision.getDecidedAt());
    }

    /**
     * Publishes the pair closed and never to be reopened: decided by a person, or settled by links. Its raised time is
     * kept; the evidence says who or what closed it.
     */
    private void close(Record<String, SpecificRecord> record, String pairId, String left, String right, String reason,
                       String closedBy, String by, Instant at) {
        decided.put(pairId, reason.startsWith("DECIDED_") ? reason.substring("DECIDED_".length()) : reason);
        Long raisedAt = reviews.get(pairId);
        if (raisedAt != null) {
            openReviews.decrementAndGet();
        }
        untrack(pairId);
        IdentityReview closed = IdentityReview.newBuilder()
                .setPairId(pairId)
                .setLeftIdentifier(left)
                .setRightIdentifier(right)
                .setLeftPersonId(MasterPatientIndex.reviewedPerson(left, state).orElse(null))
                .setRightPersonId(MasterPatientIndex.reviewedPerson(right, state).orElse(null))
                .setReason(reason)
                .setEvidence(List.of(MatchEvidence.newBuilder().setComparison(closedBy).setLevel(by).setWeight(0)
                        .build()))
                .setRaisedAt(raisedAt == null ? at : Instant.ofEpochMilli(raisedAt))
                .setOpen(false)
                .build();
        context.forward(record.withKey(pairId).withValue(closed));
    }

    /**
     * How an open pair is closed once its records are on these persons, if it is: an uncertain pair whose records
     * came onto one person (an NHS number, a merge, a decision on another pair) as the same person; a pair that asked
     * whether an NHS number rightly joined two records that disagree, once they have parted (the source corrected its
     * record's number, or a person separated them on another pair), as different persons. Conflicts ask about a
     * record's data and stay for a person. Pure.
     */
    static Optional<String> settlement(String reason, Optional<String> leftPerson, Optional<String> rightPerson) {
        if (leftPerson.isEmpty() || rightPerson.isEmpty()) {
            return Optional.empty();
        }
        boolean together = leftPerson.equals(rightPerson);
        if (UNCERTAIN.equals(reason) && together) {
            return Optional.of(SETTLED);
        }
        if ((NHS_NUMBER_QUESTIONED.equals(reason) || CHANGE_QUESTIONED.equals(reason)) && !together) {
            return Optional.of(SETTLED_APART);
        }
        return Optional.empty();
    }

    /** Remembers an open settleable pair under both its records, so that a link moving either can settle it. */
    private void track(IdentityReview review) {
        String pairId = review.getPairId();
        if (!SETTLEABLE.contains(review.getReason()) || reviewPairs.get(pairId) != null) {
            return;
        }
        reviewPairs.put(pairId, review.getLeftIdentifier() + "\n" + review.getRightIdentifier() + "\n"
                + review.getReason());
        for (String side : List.of(review.getLeftIdentifier(), review.getRightIdentifier())) {
            Set<String> pairs = pairsOf(side);
            pairs.add(pairId);
            reviewRecords.put(side, String.join("\n", pairs));
        }
    }

    private void untrack(String pairId) {
        String sides = reviewPairs.delete(pairId);
        if (sides == null) {
            return;
        }
        String[] tracked = sides.split("\n");
        for (String side : List.of(tracked[0], tracked[1])) {
            Set<String> pairs = pairsOf(side);
            pairs.remove(pairId);
            if (pairs.isEmpty()) {
                reviewRecords.delete(side);
            } else {
                reviewRecords.put(side, String.join("\n", pairs));
            }
        }
    }

    private Set<String> pairsOf(String sourceKey) {
        String pairs = reviewRecords.get(sourceKey);
        return pairs == null ? new LinkedHashSet<>()
                : Arrays.stream(pairs.split("\n")).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Closes the open pairs that these links have answered ({@link #settlement}). Pairs remembered before the reason
     * was kept with them (two lines) were all uncertain pairs.
     */
    private void settle(Record<String, SpecificRecord> record, IdentityDecisions decisions, Instant at) {
        Set<String> checked = new LinkedHashSet<>();
        for (IdentityLink link : decisions.links()) {
            String pairs = reviewRecords.get(link.getSourceIdentifier());
            if (pairs == null) {
                continue;
            }
            for (String pairId : pairs.split("\n")) {
                String sides = checked.add(pairId) && decided.get(pairId) == null ? reviewPairs.get(pairId) : null;
                if (sides == null) {
                    continue;
                }
                String[] tracked = sides.split("\n");
                String reason = tracked.length > 2 ? tracked[2] : UNCERTAIN;
                Optional<String> settled = settlement(reason, MasterPatientIndex.reviewedPerson(tracked[0], state),
                        MasterPatientIndex.reviewedPerson(tracked[1], state));
                if (settled.isPresent()) {
                    close(record, pairId, tracked[0], tracked[1], settled.get(), "settled by", link.getRule(), at);
                    settledCounter.increment();
                    log.info("Identity review {} settled as {} ({})", pairId, settled.get(), link.getRule());
                }
            }
        }
    }

    /** Closes an open pair that a source's own statement answered (its sender traced the number it had flagged). */
    private void settleAnswered(Record<String, SpecificRecord> record, IdentityDecisions.Answered pair, Instant at) {
        if (reviews.get(pair.pairId()) == null || decided.get(pair.pairId()) != null) {
            return; // never raised here, or closed already
        }
        close(record, pair.pairId(), pair.left(), pair.right(), SETTLED, "settled by", pair.by(), at);
        settledCounter.increment();
        log.info("Identity review {} settled as {} ({})", pair.pairId(), SETTLED, pair.by());
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
