package org.careweave.benchmarks.views;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.careweave.events.Coding;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.Identifier;
import org.careweave.events.ObservationEvent;
import org.careweave.events.PersonView;
import org.careweave.events.Provenance;
import org.careweave.events.RawMessageRef;
import org.careweave.events.StatedTime;
import org.careweave.internal.PersonState;
import org.careweave.processors.results.PersonResults;
import org.careweave.processors.results.ResultsConfig;
import org.careweave.processors.state.StateSerde;
import org.careweave.processors.views.PersonViews;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one new result costs the views processor for a person who already has N results: folding it into the
 * person's results, building the view, and writing the results state back (the state store's serialisation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ViewUpdateBenchmark {

    private static final String PERSON = "cwp-benchmark";
    private static final String[] CODES = {"4548-4", "2345-7", "718-7", "2093-3", "3016-3", "2160-0", "6690-2",
        "777-3", "1742-6", "2885-2"};

    @Param({"10", "100", "1000", "3000", "10000"})
    public int resultsPerPerson;

    /**
     * Whether the person also has two blood cultures of one laboratory whose interim reports say the same: results
     * that must stay two, so grouping skips a content link between them, and each fold regroups the person's results
     * (twenty-ninth session).
     */
    @Param({"false"})
    public boolean twoCulturesTogether;

    private PersonResults state;
    private PersonState personState;
    private ObservationEvent next;
    private final ResultsConfig config = ResultsConfig.defaults();
    private final StateSerde<PersonResults> serde = new StateSerde<>(PersonResults.class);
    private int sequence;

    @Setup(Level.Trial)
    public void fill() {
        state = PersonResults.empty(PERSON);
        for (int i = 0; i < resultsPerPerson; i++) {
            state = state.apply(observation(i), PERSON, config).newState();
        }
        if (twoCulturesTogether) {
            for (String filler : List.of("CA", "CB")) {
                state = state.apply(culture(filler), PERSON, config).newState();
            }
        }
        personState = PersonState.newBuilder().setPersonId(PERSON).build();
        sequence = resultsPerPerson;
    }

    @Setup(Level.Invocation)
    public void nextObservation() {
        next = observation(sequence++);
        // The processor folds into the state its last fold made, whose grouping each stream thread remembers
        // (ResultGroups keeps its last four). Folding the same state again and again, as this benchmark does, pushed
        // that grouping out every few invocations, and a full regrouping of every result (40% of the fold's time at
        // 10,000) was measured as if each fold paid it. Grouping it here, outside the timing, measures what the
        // processor pays (fifteenth session; figures before it include the regrouping).
        state.resultIds();
    }

    /** Fold one more result in and build the view, as the processor does for each input. */
    @Benchmark
    public PersonView foldAndBuildView() {
        PersonResults.Outcome outcome = state.apply(next, PERSON, config);
        List<DeduplicatedResult> results = outcome.newState().results();
        return PersonViews.of(personState, results, Instant.EPOCH);
    }

    /** Fold one more result in only: what the results state costs per input, without building the view. */
    @Benchmark
    public PersonResults.Outcome fold() {
        return state.apply(next, PERSON, config);
    }

    /** Write the person's results state, as the state store does after each input. */
    @Benchmark
    public byte[] serialiseState() {
        return serde.serializer().serialize("person-results", state);
    }

    /** Read the person's results state, as the processor does before each input. */
    @Benchmark
    public PersonResults deserialiseState() {
        return serde.deserializer().deserialize("person-results", serde.serializer().serialize("x", state));
    }

    private static ObservationEvent culture(String filler) {
        Instant collected = Instant.parse("2019-06-01T09:00:00Z");
        return ObservationEvent.newBuilder()
                .setProvenance(Provenance.newBuilder().setSendingFacility("RBENCH").setMessageType("ORU^R01")
                        .setControlId("C" + filler).setReceivedAt(collected.plusSeconds(7_200))
                        .setRaw(RawMessageRef.newBuilder().setMessageId("c" + filler).build()).build())
                .setPatientIdentifiers(List.of(Identifier.newBuilder().setSystem("RBENCH").setValue("MRN1").build()))
                .setFillerOrderNumber(filler)
                .setSetId(1)
                .setCode(Coding.newBuilder().setSystem("http://loinc.org").setCode("600-7").build())
                .setValueType("TX")
                .setValue("Culture in progress")
                .setStatus("P")
                .setCollectedAt(StatedTime.newBuilder().setInstant(collected).setOffsetSeconds(0).build())
                .build();
    }

    private static ObservationEvent observation(int i) {
        String code = CODES[i % CODES.length];
        Instant collected = Instant.parse("2020-01-01T09:00:00Z").plusSeconds(3_600L * 24 * (i / CODES.length));
        return ObservationEvent.newBuilder()
                .setProvenance(Provenance.newBuilder().setSendingFacility("RBENCH").setMessageType("ORU^R01")
                        .setControlId("B" + i).setReceivedAt(collected.plusSeconds(7_200))
                        .setRaw(RawMessageRef.newBuilder().setMessageId("m" + i).build()).build())
                .setPatientIdentifiers(List.of(Identifier.newBuilder().setSystem("RBENCH").setValue("MRN1").build()))
                .setFillerOrderNumber("F" + i)
                .setSetId(1)
                .setCode(Coding.newBuilder().setSystem("http://loinc.org").setCode(code).build())
                .setValueType("NM")
                .setValue(Integer.toString(40 + i % 20))
                .setNumericValue((double) (40 + i % 20))
                .setUnits("mmol/L")
                .setStatus("F")
                .setCollectedAt(StatedTime.newBuilder().setInstant(collected).setOffsetSeconds(0).build())
                .build();
    }
}
