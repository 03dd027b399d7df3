package org.careweave.benchmarks.febrl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.careweave.benchmarks.common.Options;
import org.careweave.events.PatientEvent;
import org.careweave.ingest.mapping.MappedEvents;
import org.careweave.processors.identity.InMemoryMpiState;
import org.careweave.processors.identity.MasterPatientIndex;
import org.careweave.processors.identity.matching.Matcher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Identity's decisions alone: {@link MasterPatientIndex#apply} for each of FEBRL4's 10,000 records (the same mapped
 * ADT^A28 patient events as {@link IdentityThroughputBenchmark}, in the same order) on a fresh in-memory state, so
 * without Kafka, RocksDB, changelogs or Avro outputs. One operation links all 10,000; JMH reports µs per record.
 * What this measures is the part of the identity topology's cost that the index's own code decides, and it is far
 * less noisy than the topology on a shared broker.
 *
 * <p>Command: {@code java -cp $CP org.careweave.benchmarks.febrl.IdentityDecisionsBenchmark [--data DIR] [--forks 1
 * --warmups 5 --iterations 5 --seconds 2]}. Prints the score; the model is estimated by EM on the records, as in the
 * other FEBRL benchmarks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IdentityDecisionsBenchmark {

    private static final int RECORDS = 10_000;

    @Param("../shared/benchmarks/febrl")
    public String data;

    private List<PatientEvent> events;
    private Matcher matcher;

    @Setup
    public void read() throws IOException {
        Febrl4 febrl = Febrl4.read(Path.of(data));
        events = IdentityThroughputBenchmark.patientEvents(febrl).stream().map(MappedEvents.Keyed::event).toList();
        if (events.size() != RECORDS) {
            throw new IllegalStateException("FEBRL4 gave " + events.size() + " events, not " + RECORDS);
        }
        matcher = new Matcher(febrl.estimatedModel());
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void linkAll(Blackhole sink) {
        MasterPatientIndex index = new MasterPatientIndex(matcher);
        InMemoryMpiState state = new InMemoryMpiState();
        for (PatientEvent event : events) {
            sink.consume(index.apply(event, state));
        }
    }

    public static void main(String[] args) throws RunnerException {
        Options options = Options.parse(args, Set.of());
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(IdentityDecisionsBenchmark.class.getName())
                .param("data", Febrl4.dataDir(options).toAbsolutePath().toString())
                .forks(options.integer("forks", 1))
                .warmupIterations(options.integer("warmups", 5))
                .warmupTime(TimeValue.seconds(options.integer("seconds", 2)))
                .measurementIterations(options.integer("iterations", 5))
                .measurementTime(TimeValue.seconds(options.integer("seconds", 2)))
                .jvmArgs("-Xms1g", "-Xmx1g")
                .build()).run();
        for (RunResult r : results) {
            System.out.printf(Locale.ROOT, "identity decisions: %.2f ± %.2f µs per record (%,.0f records/s)%n",
                    r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                    1e6 / r.getPrimaryResult().getScore());
        }
    }
}
