package org.careweave.processors.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.careweave.events.HumanName;
import org.careweave.events.PersonGolden;
import org.careweave.events.PersonView;
import org.careweave.internal.PersonInput;
import org.careweave.internal.PersonInputKind;
import org.careweave.internal.PersonState;
import org.careweave.internal.PublishedView;
import org.careweave.processors.results.PersonResults;
import org.careweave.processors.results.ResultsConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The views processor on its own (no Kafka): which stores an input writes, and how a published view's version
 * follows from what was published before, including state written before versions had a store of their own.
 */
class PersonViewProcessorTest {

    private static final String PERSON = "person-test-1";
    private static final Duration PUBLISH_DELAY = Duration.ofMillis(200);

    private final MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
    private final CountingStore<PersonState> states = new CountingStore<>(PersonViewProcessor.STATES);
    private final CountingStore<PersonResults> results = new CountingStore<>(PersonViewProcessor.RESULTS);
    private final CountingStore<Long> pending = new CountingStore<>(PersonViewProcessor.PENDING);
    private final CountingStore<PublishedView> published = new CountingStore<>(PersonViewProcessor.PUBLISHED);
    private PersonViewProcessor processor;

    @BeforeEach
    void setUp() {
        List.of(states, results, pending, published).forEach(context::addStateStore);
        context.setCurrentSystemTimeMs(10_000);
        processor = new PersonViewProcessor(ResultsConfig.defaults(), Duration.ofMillis(100), PUBLISH_DELAY,
                new SimpleMeterRegistry());
        processor.init(context);
    }

    @Test
    void demographicsAloneLeaveTheResultsStoreUntouched() {
        process(golden("Quillfeather", 1), 1_000);
        process(golden("Quillfeather-Ames", 2), 2_000);

        assertThat(states.puts).isEqualTo(2);
        assertThat(results.puts).as("a person without results gets no empty results record").isZero();
        assertThat(results.map).isEmpty();
    }

    @Test
    void publishingAViewWritesItsVersionNotThePersonsState() {
        process(golden("Quillfeather", 1), 1_000);
        int statePutsBeforePublishing = states.puts;

        List<PersonView> views = publishDue();

        assertThat(views).singleElement().satisfies(v -> assertThat(v.getVersion()).isEqualTo(1L));
        assertThat(states.puts).isEqualTo(statePutsBeforePublishing);
        assertThat(published.map.get(PERSON).getVersion()).isEqualTo(1L);
    }

    @Test
    void versionsContinueFromStateWrittenBeforeThePublishedStoreExisted() {
        // State as an earlier careweave left it: version and digest kept in the person's state, nothing published
        // in the store of its own.
        PersonState earlier = PersonState.newBuilder().setPersonId(PERSON).setGolden(golden("Quillfeather", 1))
                .setVersion(5).build();
        earlier.setPublishedDigest(new ViewDigests().of(PersonViews.of(earlier, List.of(), Instant.EPOCH)));
        states.map.put(PERSON, earlier);

        process(golden("Quillfeather", 2), 1_000);
        assertThat(publishDue()).as("a restatement of the view published as version 5").isEmpty();

        process(golden("Quillfeather-Ames", 3), 2_000);
        assertThat(publishDue()).singleElement().satisfies(v -> {
            assertThat(v.getVersion()).isEqualTo(6L);
            assertThat(v.getName().getFamily()).isEqualTo("Quillfeather-Ames");
        });
        assertThat(published.map.get(PERSON).getVersion()).isEqualTo(6L);

        process(golden("Quillfeather", 4), 3_000);
        assertThat(publishDue()).singleElement().satisfies(v -> assertThat(v.getVersion()).isEqualTo(7L));
    }

    private void process(PersonGolden golden, long timestamp) {
        processor.process(new Record<>(PERSON, PersonInput.newBuilder().setKind(PersonInputKind.GOLDEN)
                .setGolden(golden).build(), timestamp));
    }

    /** Lets the publishing delay pass and runs the processor's punctuation; the views it published. */
    private List<PersonView> publishDue() {
        context.resetForwards();
        long later = context.currentSystemTimeMs() + PUBLISH_DELAY.toMillis() + 1;
        context.setCurrentSystemTimeMs(later);
        context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(later));
        List<PersonView> views = new ArrayList<>();
        for (MockProcessorContext.CapturedForward<? extends String, ? extends SpecificRecord> f : context.forwarded()) {
            if (PersonViewProcessor.VIEWS_SINK.equals(f.childName().orElse(null))) {
                views.add((PersonView) f.record().value());
            }
        }
        return views;
    }

    private static PersonGolden golden(String family, long version) {
        return PersonGolden.newBuilder()
                .setPersonId(PERSON)
                .setVersion(version)
                .setName(HumanName.newBuilder().setFamily(family).setGiven(List.of("Orrin")).build())
                .setUpdatedAt(Instant.parse("2026-06-01T10:15:00Z").plusSeconds(version))
                .build();
    }

    /** An in-memory key-value store that counts writes: what the changelog would be sent. */
    private static final class CountingStore<V> implements KeyValueStore<String, V> {
        private final String name;
        private final Map<String, V> map = new TreeMap<>();
        private int puts;

        CountingStore(String name) {
            this.name = name;
        }

        @Override
        public void put(String key, V value) {
            puts++;
            if (value == null) {
                map.remove(key);
            } else {
                map.put(key, value);
            }
        }

        @Override
        public V putIfAbsent(String key, V value) {
            V current = map.get(key);
            if (current == null) {
                put(key, value);
            }
            return current;
        }

        @Override
        public void putAll(List<KeyValue<String, V>> entries) {
            entries.forEach(e -> put(e.key, e.value));
        }

        @Override
        public V delete(String key) {
            V current = map.get(key);
            put(key, null);
            return current;
        }

        @Override
        public V get(String key) {
            return map.get(key);
        }

        @Override
        public KeyValueIterator<String, V> range(String from, String to) {
            return iterator(new TreeMap<>(map).subMap(from, true, to, true));
        }

        @Override
        public KeyValueIterator<String, V> all() {
            return iterator(new TreeMap<>(map));
        }

        private KeyValueIterator<String, V> iterator(Map<String, V> entries) {
            var it = entries.entrySet().iterator();
            return new KeyValueIterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public KeyValue<String, V> next() {
                    var e = it.next();
                    return KeyValue.pair(e.getKey(), e.getValue());
                }

                @Override
                public void close() {
                }

                @Override
                public String peekNextKey() {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public long approximateNumEntries() {
            return map.size();
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void init(StateStoreContext stateStoreContext, StateStore root) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public boolean persistent() {
            return false;
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }
}
