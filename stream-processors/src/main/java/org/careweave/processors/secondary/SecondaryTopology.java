package org.careweave.processors.secondary;

import java.util.Map;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TableJoined;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.careweave.events.OptOut;
import org.careweave.events.PersonView;
import org.careweave.processors.state.StateSerde;
import org.careweave.processors.state.WriteBehindStore;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topics;

/**
 * person.views + optout → secondary.persons, secondary.results: the pseudonymised stream without opted-out people.
 *
 * <pre>
 *  person.views (person id) ─ minimise, changed? ─┬────────────────────────────────▶ candidates ─┐
 *                                                └─ NHS claims (person id|NHS number) ─┐         ├─ gate ─▶ publisher ─▶ secondary.*
 *  optout (NHS number) ─────────────────────────── foreign-key lookup ─────────────────┴▶ statuses ─ by person id ─┘
 * </pre>
 *
 * <p>Only views that change what this stream reads of them go further than the first step ({@link CandidateChanges}).
 * The opt-out list is keyed by NHS number and the views by person id, so each NHS number a view carries is looked
 * up in the list with a foreign-key join (Kafka Streams routes the lookup to the list's partition and the answer back)
 * and the answers are gathered per person. The claims come from the views themselves, so a person's statuses
 * always catch up with their view; until they have, the person is held back (see {@link Admission}). Every NHS
 * number a person carries counts, not only the one shown in the view: after a merge of records with different
 * numbers, an opt-out under either excludes them.
 *
 * <p>All internal topics and stores are named (secondary-*), so the topology can change elsewhere without renaming
 * them. Exactly-once: the stores and the output topics are written in the processors' transactions.
 */
public final class SecondaryTopology {

    static final String PUBLISHER = "secondary-publisher";
    /** A 32-byte digest per person: small and fixed in size. */
    private static final int CACHED_DIGESTS = 20_000;

    private SecondaryTopology() {
    }

    public static void addTo(StreamsBuilder builder, String prefix, Map<String, ?> serdeConfig,
                             Pseudonymiser pseudonymiser) {
        Serde<PersonView> views = AvroSerdes.specific(PersonView.class, serdeConfig, false);
        Serde<OptOut> optOutSerde = AvroSerdes.specific(OptOut.class, serdeConfig, false);
        Serde<NhsClaim> claimSerde = new StateSerde<>(NhsClaim.class);
        Serde<NhsStatus> statusSerde = new StateSerde<>(NhsStatus.class);
        Serde<NhsStatuses> statusesSerde = new StateSerde<>(NhsStatuses.class);

        KStream<String, PersonView> personViews = builder.stream(Topics.PERSON_VIEWS.name(prefix),
                Consumed.with(Serdes.String(), views).withName("secondary-person-views"));

        // With a key filter: every person seen for the first time asks for a digest the store does not have.
        builder.addStateStore(WriteBehindStore.builderWithKeyFilter(CandidateChanges.STORE, Serdes.String(),
                Serdes.ByteArray(), CACHED_DIGESTS));
        KStream<String, PersonView> changed = personViews.processValues(() -> new CandidateChanges.Stage(pseudonymiser),
                Named.as("secondary-minimise"), CandidateChanges.STORE);

        KTable<String, PersonView> candidates = changed
                .toTable(Named.as("secondary-candidates-table"),
                        Materialized.<String, PersonView, KeyValueStore<Bytes, byte[]>>as("secondary-candidates")
                                .withKeySerde(Serdes.String()).withValueSerde(views));

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NhsClaimsProcessor.STORE),
                Serdes.String(), Serdes.String()));
        KTable<String, NhsClaim> claims = changed
                .process(NhsClaimsProcessor::new, Named.as("secondary-nhs-claims"), NhsClaimsProcessor.STORE)
                .toTable(Named.as("secondary-nhs-claims-table"),
                        Materialized.<String, NhsClaim, KeyValueStore<Bytes, byte[]>>as("secondary-nhs-claims")
                                .withKeySerde(Serdes.String()).withValueSerde(claimSerde));

        KTable<String, OptOut> optOuts = builder.table(Topics.OPTOUT.name(prefix),
                Consumed.with(Serdes.String(), optOutSerde).withName("secondary-optout"),
                Materialized.<String, OptOut, KeyValueStore<Bytes, byte[]>>as("secondary-optouts")
                        .withKeySerde(Serdes.String()).withValueSerde(optOutSerde));

        Function<NhsClaim, String> byNhsNumber = NhsClaim::nhsNumber;
        KTable<String, NhsStatus> statusPerClaim = claims.leftJoin(optOuts, byNhsNumber,
                (claim, optOut) -> new NhsStatus(claim.personId(), claim.nhsNumber(), optOut != null),
                TableJoined.as("secondary-optout-lookup"),
                Materialized.<String, NhsStatus, KeyValueStore<Bytes, byte[]>>as("secondary-nhs-status")
                        .withKeySerde(Serdes.String()).withValueSerde(statusSerde));

        KTable<String, NhsStatuses> statuses = statusPerClaim
                .groupBy((claimKey, status) -> KeyValue.pair(status.personId(), status),
                        Grouped.with("secondary-statuses-by-person", Serdes.String(), statusSerde))
                .aggregate(NhsStatuses::none,
                        (personId, status, all) -> all.with(status),
                        (personId, status, all) -> all.without(status),
                        Named.as("secondary-person-statuses-aggregate"),
                        Materialized.<String, NhsStatuses, KeyValueStore<Bytes, byte[]>>as(
                                        "secondary-person-statuses")
                                .withKeySerde(Serdes.String()).withValueSerde(statusesSerde));

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SecondaryPublisher.STORE),
                Serdes.String(), new StateSerde<>(Published.class)));
        candidates.leftJoin(statuses, Gate::new, Named.as("secondary-gate"))
                .toStream(Named.as("secondary-gate-changes"))
                .process(() -> new SecondaryPublisher(pseudonymiser), Named.as(PUBLISHER), SecondaryPublisher.STORE);
    }

    /** The publisher forwards to these by name, so that tombstones (null values) still find their topic. */
    public static void addSinks(Topology topology, String prefix, Map<String, ?> serdeConfig) {
        Serializer<SpecificRecord> values = AvroSerdes.anySpecific(serdeConfig).serializer();
        Serializer<String> keys = Serdes.String().serializer();
        topology.addSink(SecondaryPublisher.PERSONS_SINK, Topics.SECONDARY_PERSONS.name(prefix), keys, values,
                PUBLISHER);
        topology.addSink(SecondaryPublisher.RESULTS_SINK, Topics.SECONDARY_RESULTS.name(prefix), keys, values,
                PUBLISHER);
    }
}
