package org.careweave.processors.identity;

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
import org.careweave.events.PatientEvent;
import org.careweave.events.PersonGolden;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Applies the identity rules to each patient event and forwards links, golden records and reviews. */
final class IdentityProcessor implements Processor<String, PatientEvent, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(IdentityProcessor.class);

    private final MasterPatientIndex index;
    private final Counter linksCounter;
    private final Counter reviewsCounter;
    private final AtomicLong openReviews;
    private ProcessorContext<String, SpecificRecord> context;
    private StoreBackedMpiState state;
    private KeyValueStore<String, Long> reviews;

    /** @param openReviews the review queue's size, shared with the gauge that reports it */
    IdentityProcessor(MasterPatientIndex index, MeterRegistry metrics, AtomicLong openReviews) {
        this.openReviews = openReviews;
        this.index = index;
        this.linksCounter = metrics.counter("careweave.identity.links");
        this.reviewsCounter = metrics.counter("careweave.identity.reviews");
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.state = new StoreBackedMpiState(
                context.getStateStore(StoreBackedMpiState.SOURCE_RECORDS),
                context.getStateStore(StoreBackedMpiState.LINKS),
                context.getStateStore(StoreBackedMpiState.PERSONS),
                context.getStateStore(StoreBackedMpiState.BLOCKS),
                context.getStateStore(StoreBackedMpiState.COUNTERS));
        this.reviews = context.getStateStore(StoreBackedMpiState.REVIEWS);
        openReviews.set(reviews.approximateNumEntries());
    }

    @Override
    public void process(Record<String, PatientEvent> record) {
        PatientEvent event = record.value();
        if (event == null) {
            return;
        }
        IdentityDecisions decisions = index.apply(event, state);
        for (IdentityLink link : decisions.links()) {
            context.forward(record.withKey(link.getSourceIdentifier()).withValue(link));
        }
        for (String personId : decisions.changedPersons()) {
            Person person = state.person(personId).orElseThrow();
            List<SourceRecord> sources = new ArrayList<>();
            for (String sourceKey : person.sourceKeys()) {
                state.sourceRecord(sourceKey).ifPresent(sources::add);
            }
            PersonGolden golden = GoldenRecords.of(person, sources, event.getProvenance().getReceivedAt());
            context.forward(record.withKey(personId).withValue(golden));
        }
        for (IdentityReview review : decisions.reviews()) {
            log.info("Identity review {} raised ({}) by control id {}", review.getPairId(), review.getReason(),
                    event.getProvenance().getControlId());
            context.forward(record.withKey(review.getPairId()).withValue(review));
            if (reviews.get(review.getPairId()) == null) {
                reviews.put(review.getPairId(), review.getRaisedAt().toEpochMilli());
                openReviews.incrementAndGet();
            }
        }
        linksCounter.increment(decisions.links().size());
        reviewsCounter.increment(decisions.reviews().size());
    }
}
