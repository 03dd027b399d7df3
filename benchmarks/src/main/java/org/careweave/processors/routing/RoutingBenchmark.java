package org.careweave.processors.routing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.careweave.events.Coding;
import org.careweave.events.IdentityLink;
import org.careweave.events.LinkStatus;
import org.careweave.events.ObservationEvent;
import org.careweave.events.Provenance;
import org.careweave.events.RawMessageRef;
import org.careweave.internal.PersonInput;
import org.careweave.internal.SourceHistory;
import org.careweave.platform.Directories;
import org.careweave.processors.state.WriteBehindStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What routing pays for one more observation from a source identifier that has already sent N, and for relinking
 * such an identifier: the real {@link SourceRoutingProcessor} with its real stores (write-behind over RocksDB, no
 * changelog), a commit (the stores' flush) after every message, as when a source sends one message per commit
 * interval. Values are written in Avro binary without the registry's 5-byte header; {@link #serialisedBytes} counts
 * what a commit hands to the store, which is what its changelog would receive.
 *
 * <p>In the processor's own package because the processor is package-private: so the same benchmark runs against an
 * earlier build's classes (swap the stream-processors jar on the classpath) for a before/after comparison. Stores the
 * earlier build does not know are registered but stay empty.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoutingBenchmark {

    static final String SOURCE = "RHMX1|T100001";
    static final LongAdder SERIALISED = new LongAdder();

    @Param({"10", "100", "1000", "3000"})
    public int observationsBefore;

    private Path stateDir;
    private MockProcessorContext<String, PersonInput> context;
    private KeyValueStore<String, SourceHistory> histories;
    private KeyValueStore<String, PersonInput> events;
    private SourceRoutingProcessor processor;
    private int sequence;
    private SourceHistory filled;

    /** Each iteration starts again from N, so that its invocations do not measure a longer history. */
    @Setup(Level.Iteration)
    public void fill() throws IOException {
        stateDir = Files.createTempDirectory("routing-benchmark");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "routing-benchmark");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9");
        context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
        histories = store(SourceRoutingProcessor.HISTORIES, SourceHistory.class, 20_000);
        events = store("source-events", PersonInput.class, 0);
        processor = new SourceRoutingProcessor();
        processor.init(context);
        process(link("cwp-benchmark-1"));
        for (int i = 0; i < observationsBefore; i++) {
            process(observation());
            if (i % 50 == 49) {
                commit();
            }
        }
        commit();
        context.resetForwards();
        filled = SourceHistory.newBuilder(histories.get(SOURCE)).build();
    }

    /**
     * Back to the identifier as it was after {@link #fill} (its person, and its N events; the next event takes the
     * same number again), outside the measured time: so that every invocation measures N, not a history that grows
     * by each invocation before it.
     */
    @Setup(Level.Invocation)
    public void restore() {
        histories.put(SOURCE, SourceHistory.newBuilder(filled).build());
        commit();
        context.resetForwards();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        histories.close();
        events.close();
        Directories.deleteRecursively(stateDir);
    }

    /** One more observation, routed to the linked person, then a commit. */
    @Benchmark
    public int observationAndCommit() {
        process(observation());
        commit();
        int forwarded = context.forwarded().size();
        context.resetForwards();
        return forwarded;
    }

    /** The identifier moves to another person (a merge): everything it sent is replayed there, then a commit. */
    @Benchmark
    public int relinkAndCommit() {
        process(link("cwp-benchmark-2"));
        commit();
        int forwarded = context.forwarded().size();
        context.resetForwards();
        return forwarded;
    }

    /** Bytes a commit hands to the stores for one more observation at N (outside JMH: RoutingRun prints it). */
    long serialisedBytes() {
        restore();
        long before = SERIALISED.sum();
        observationAndCommit();
        return SERIALISED.sum() - before;
    }

    void process(SpecificRecord value) {
        processor.process(new Record<>(SOURCE, value, 1_000L + sequence));
    }

    void commit() {
        ((WriteBehindStore<?, ?>) histories).flushCache();
        ((WriteBehindStore<?, ?>) events).flushCache();
    }

    /**
     * The write-behind layer over RocksDB without a changelog: the mock context cannot log changes, and the layer's
     * builder refuses to build one without (rightly, for the service), hence its constructor through reflection.
     */
    @SuppressWarnings("unchecked")
    private <V extends SpecificRecordBase> KeyValueStore<String, V> store(String name, Class<V> type, int cached) {
        KeyValueStore<String, V> rocksDb = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name),
                Serdes.String(), new AvroBinary<>(type)).withCachingDisabled().withLoggingDisabled().build();
        KeyValueStore<String, V> store;
        try {
            Constructor<?> layer = WriteBehindStore.class.getDeclaredConstructor(KeyValueStore.class, int.class);
            layer.setAccessible(true);
            store = (KeyValueStore<String, V>) layer.newInstance(rocksDb, cached);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("WriteBehindStore(KeyValueStore, int) not found", e);
        }
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private IdentityLink link(String personId) {
        return IdentityLink.newBuilder().setSourceIdentifier(SOURCE).setPersonId(personId)
                .setStatus(LinkStatus.LINKED).setRule("MERGE").setDecidedAt(Instant.EPOCH.plusSeconds(sequence++))
                .build();
    }

    /** An invented potassium result of the size a lab system sends (one OBX with its order and times). */
    private ObservationEvent observation() {
        int n = ++sequence;
        return ObservationEvent.newBuilder()
                .setProvenance(Provenance.newBuilder().setSendingFacility("RHMX1").setSendingApplication("WINPATH")
                        .setMessageType("ORU^R01").setControlId("LAB" + n).setReceivedAt(Instant.EPOCH.plusSeconds(n))
                        .setRaw(RawMessageRef.newBuilder().setMessageId("sha256-benchmark-" + n)
                                .setTopic("careweave.hl7.raw").setPartition(0).setOffset((long) n).build())
                        .build())
                .setFillerOrderNumber("F" + n).setPlacerOrderNumber("P" + n).setSetId(1)
                .setCode(Coding.newBuilder().setSystem("http://loinc.org").setCode("2823-3")
                        .setDisplay("Potassium [Moles/volume] in Serum or Plasma").build())
                .setValueType("NM").setValue("4.2").setNumericValue(4.2).setUnits("mmol/L")
                .setReferenceRange("3.5-5.3").setStatus("F").build();
    }

    /** Avro binary, no registry: the values' bytes are what the processors' Confluent-format serde writes, less 5. */
    static final class AvroBinary<V extends SpecificRecordBase> implements Serde<V> {
        private final SpecificDatumWriter<V> writer;
        private final SpecificDatumReader<V> reader;

        AvroBinary(Class<V> type) {
            this.writer = new SpecificDatumWriter<>(type);
            this.reader = new SpecificDatumReader<>(type);
        }

        @Override
        public Serializer<V> serializer() {
            return (topic, value) -> {
                if (value == null) {
                    return null;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream(256);
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                try {
                    writer.write(value, encoder);
                    encoder.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                SERIALISED.add(out.size());
                return out.toByteArray();
            };
        }

        @Override
        public Deserializer<V> deserializer() {
            return (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
                try {
                    return reader.read(null, decoder);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
    }
}
