package org.careweave.processors.secondary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careweave.processors.secondary.Views.result;
import static org.careweave.processors.secondary.Views.view;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.careweave.events.Identifier;
import org.careweave.events.OptOut;
import org.careweave.events.PersonView;
import org.careweave.events.SecondaryPerson;
import org.careweave.events.SecondaryResult;
import org.careweave.ingest.TopicContents;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.processors.ProcessorsService;
import org.careweave.schemas.serde.AvroSerdes;
import org.careweave.schemas.topics.Topic;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The secondary-use topology on the real broker, fed with views and opt-outs directly, so that each rule of
 * {@link Admission} is seen end to end: held back, retracted, re-admitted. Each test has its own invented people.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class SecondaryTopologyIT {

    private static final String PREFIX = "it-secondary-topology.";
    private static final Pseudonymiser PSEUDONYMS = Views.PSEUDONYMISER;

    private static Platform platform;
    private static ProcessorsService processors;
    private static KafkaProducer<String, SpecificRecord> producer;
    @TempDir
    static Path stateDir;

    @BeforeAll
    static void start(Platform shared) throws Exception {
        platform = shared;
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 3, (short) 1);
        processors = ProcessorsService.start(ProcessorsConfig.defaults().withApplicationId(PREFIX + "processors")
                        .withSecondary(new SecondaryConfig(Views.KEY, BirthPrecision.YEAR)),
                platform.kafka(), platform.schemaRegistryUrl(), PREFIX, (short) 1,
                stateDir, new SimpleMeterRegistry());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(),
                AvroSerdes.anySpecific(Map.of("schema.registry.url", platform.schemaRegistryUrl())).serializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (processors != null) {
            processors.close();
        }
    }

    @Test
    void optedOutBeforeTheirFirstViewNeverAppearsAndIsAdmittedWhenRemovedFromTheList() throws Exception {
        optOut("9990000018");
        view("cwp-it-a", "9990000018", "cwr-it-a1");
        view("cwp-it-b", "9990000026", "cwr-it-b1");
        PersonView noNhs = PersonView.newBuilder(view("cwp-it-c", "9990000034"))
                .setNhsNumber(null).setIdentifiers(List.of()).build();
        send(Topics.PERSON_VIEWS, "cwp-it-c", noNhs);

        awaitTable(Topics.SECONDARY_PERSONS, t -> t.containsKey(PSEUDONYMS.person("cwp-it-b"))
                && t.containsKey(PSEUDONYMS.person("cwp-it-c")));
        awaitTable(Topics.SECONDARY_RESULTS, t -> t.containsKey(PSEUDONYMS.result("cwr-it-b1")));
        Thread.sleep(2_000); // A's view went in first; give it time to come out, were it to
        assertNeverPublished("cwp-it-a", "cwr-it-a1");

        withdrawOptOut("9990000018");

        awaitTable(Topics.SECONDARY_PERSONS, t -> t.containsKey(PSEUDONYMS.person("cwp-it-a")));
        awaitTable(Topics.SECONDARY_RESULTS, t -> t.containsKey(PSEUDONYMS.result("cwr-it-a1")));
    }

    @Test
    void aLaterOptOutRetractsThePersonAndEveryResultPublishedForThem() throws Exception {
        view("cwp-it-d", "9990000042", "cwr-it-d1", "cwr-it-d2");
        awaitTable(Topics.SECONDARY_RESULTS, t -> t.containsKey(PSEUDONYMS.result("cwr-it-d1"))
                && t.containsKey(PSEUDONYMS.result("cwr-it-d2")));

        optOut("9990000042");

        awaitTable(Topics.SECONDARY_PERSONS, t -> !t.containsKey(PSEUDONYMS.person("cwp-it-d")));
        Map<String, SecondaryResult> results = awaitTable(Topics.SECONDARY_RESULTS,
                t -> !t.containsKey(PSEUDONYMS.result("cwr-it-d1")) && !t.containsKey(PSEUDONYMS.result("cwr-it-d2")));
        assertThat(results.values()).noneMatch(r -> r.getPseudonym().equals(PSEUDONYMS.person("cwp-it-d")));
        assertThat(tombstoneKeys(Topics.SECONDARY_RESULTS)).contains(PSEUDONYMS.result("cwr-it-d1"),
                PSEUDONYMS.result("cwr-it-d2"));
        assertThat(tombstoneKeys(Topics.SECONDARY_PERSONS)).contains(PSEUDONYMS.person("cwp-it-d"));
    }

    @Test
    void aMergedAwayPersonIsRetracted() throws Exception {
        view("cwp-it-e", "9990000050", "cwr-it-e1");
        awaitTable(Topics.SECONDARY_PERSONS, t -> t.containsKey(PSEUDONYMS.person("cwp-it-e")));

        send(Topics.PERSON_VIEWS, "cwp-it-e", null);

        awaitTable(Topics.SECONDARY_PERSONS, t -> !t.containsKey(PSEUDONYMS.person("cwp-it-e")));
        awaitTable(Topics.SECONDARY_RESULTS, t -> !t.containsKey(PSEUDONYMS.result("cwr-it-e1")));
    }

    @Test
    void anOptOutUnderASecondNhsNumberOfTheSamePersonCounts() throws Exception {
        optOut("9990000077");
        PersonView twoNumbers = PersonView.newBuilder(view("cwp-it-f", "9990000069"))
                .setIdentifiers(List.of(nhs("9990000069"), nhs("9990000077"))).build();
        send(Topics.PERSON_VIEWS, "cwp-it-f", twoNumbers);
        view("cwp-it-g", "9990000085");

        awaitTable(Topics.SECONDARY_PERSONS, t -> t.containsKey(PSEUDONYMS.person("cwp-it-g")));
        Thread.sleep(2_000);
        assertNeverPublished("cwp-it-f");
    }

    @Test
    void viewsThatChangeOnlyWhatResearchNeverSeesPublishNothingAndALaterResultIsPublished() throws Exception {
        PersonView first = view("cwp-it-h", "9990000093", "cwr-it-h1");
        awaitTable(Topics.SECONDARY_RESULTS, t -> t.containsKey(PSEUDONYMS.result("cwr-it-h1")));

        for (int i = 1; i <= 3; i++) {
            send(Topics.PERSON_VIEWS, "cwp-it-h", PersonView.newBuilder(first).setVersion(first.getVersion() + i)
                    .setPhone("0113000080" + i).setUpdatedAt(first.getUpdatedAt().plusSeconds(i)).build());
        }
        view("cwp-it-h", "9990000093", "cwr-it-h1", "cwr-it-h2");
        awaitTable(Topics.SECONDARY_RESULTS, t -> t.containsKey(PSEUDONYMS.result("cwr-it-h2")));

        String pseudonym = PSEUDONYMS.person("cwp-it-h");
        assertThat(TopicContents.<SecondaryPerson>all(platform, Topics.SECONDARY_PERSONS.name(PREFIX)))
                .filteredOn(r -> r.key().equals(pseudonym)).hasSize(1);
        assertThat(TopicContents.<SecondaryResult>all(platform, Topics.SECONDARY_RESULTS.name(PREFIX)))
                .filteredOn(r -> r.value() != null && r.value().getPseudonym().equals(pseudonym))
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(PSEUDONYMS.result("cwr-it-h1"), PSEUDONYMS.result("cwr-it-h2"));
    }

    private static PersonView view(String personId, String nhsNumber, String... resultIds) {
        PersonView v = Views.view(personId, nhsNumber, java.util.Arrays.stream(resultIds)
                .map(id -> result(id, personId, "NM", "52", 52.0))
                .toArray(org.careweave.events.DeduplicatedResult[]::new));
        send(Topics.PERSON_VIEWS, personId, v);
        return v;
    }

    private static void optOut(String nhsNumber) {
        send(Topics.OPTOUT, nhsNumber, OptOut.newBuilder().setNhsNumber(nhsNumber).setLoadedAt(Instant.now()).build());
    }

    private static void withdrawOptOut(String nhsNumber) {
        send(Topics.OPTOUT, nhsNumber, null);
    }

    private static void send(Topic<?> topic, String key, SpecificRecord value) {
        try {
            producer.send(new ProducerRecord<>(topic.name(PREFIX), key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Identifier nhs(String number) {
        return Identifier.newBuilder().setSystem(SecondaryCandidates.NHS_SYSTEM).setValue(number).build();
    }

    /** Not in any record of either topic, not even one later retracted. */
    private static void assertNeverPublished(String personId, String... resultIds) {
        String pseudonym = PSEUDONYMS.person(personId);
        List<ConsumerRecord<String, SecondaryPerson>> persons = TopicContents.all(platform,
                Topics.SECONDARY_PERSONS.name(PREFIX));
        List<ConsumerRecord<String, SecondaryResult>> results = TopicContents.all(platform,
                Topics.SECONDARY_RESULTS.name(PREFIX));
        assertThat(persons).isNotEmpty().noneMatch(r -> r.key().equals(pseudonym));
        assertThat(results).noneMatch(r -> r.value() != null && r.value().getPseudonym().equals(pseudonym));
        for (String resultId : resultIds) {
            assertThat(results).noneMatch(r -> r.key().equals(PSEUDONYMS.result(resultId)));
        }
    }

    private static List<String> tombstoneKeys(Topic<?> topic) {
        return TopicContents.all(platform, topic.name(PREFIX)).stream().filter(r -> r.value() == null)
                .map(ConsumerRecord::key).toList();
    }

    private static <T extends SpecificRecord> Map<String, T> awaitTable(Topic<T> topic, Predicate<Map<String, T>> ok)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, T> table = Map.of();
        while (System.nanoTime() < deadline) {
            table = new HashMap<>();
            for (ConsumerRecord<String, T> r : TopicContents.<T>all(platform, topic.name(PREFIX))) {
                if (r.value() == null) {
                    table.remove(r.key());
                } else {
                    table.put(r.key(), r.value());
                }
            }
            if (ok.test(table)) {
                return table;
            }
            Thread.sleep(250);
        }
        assertThat(ok.test(table)).as("condition on " + topic.suffix() + " within 60 s").isTrue();
        return table;
    }
}
