package org.careweave.processors.secondary;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The secondary-use stream started for the first time over a history: views of last month, and an opt-out list
 * loaded yesterday, long enough that reading it takes the stream a while. Kafka Streams reads the input with the
 * older timestamp first; had the claims kept their views' timestamps, a claim would have been looked up before the
 * list was read to its end, and its person published, then retracted.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class SecondaryFirstStartIT {

    private static final String PREFIX = "it-secondary-first-start.";
    private static final Pseudonymiser PSEUDONYMS = Views.PSEUDONYMISER;
    /** Invented numbers listed before the person's, so that the list takes a while to read. */
    private static final int LISTED_BEFORE = 150_000;

    @TempDir
    static Path stateDir;

    @Test
    void aPersonOnAListLoadedBeforeTheStreamFirstStartsIsNeverPublished(Platform platform) throws Exception {
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), PREFIX, 1, (short) 1);
        Instant lastMonth = Instant.now().minus(Duration.ofDays(30));
        Instant yesterday = Instant.now().minus(Duration.ofDays(1));
        try (KafkaProducer<String, SpecificRecord> producer = producer(platform)) {
            for (String number : inventedNhsNumbers(LISTED_BEFORE)) {
                send(producer, Topics.OPTOUT, number, optOut(number, yesterday), yesterday);
            }
            send(producer, Topics.OPTOUT, "9990000573", optOut("9990000573", yesterday), yesterday);
            send(producer, Topics.PERSON_VIEWS, "cwp-fs-out", view("cwp-fs-out", "9990000573", "cwr-fs-out"),
                    lastMonth);
            send(producer, Topics.PERSON_VIEWS, "cwp-fs-in", view("cwp-fs-in", "9990000581", "cwr-fs-in"),
                    lastMonth);
            producer.flush();
        }

        try (ProcessorsService processors = ProcessorsService.start(ProcessorsConfig.defaults()
                        .withApplicationId(PREFIX + "processors")
                        .withSecondary(new SecondaryConfig(Views.KEY, BirthPrecision.YEAR)),
                platform.kafka(), platform.schemaRegistryUrl(), PREFIX, (short) 1, stateDir,
                new SimpleMeterRegistry())) {
            awaitPublished(platform, PSEUDONYMS.person("cwp-fs-in"));
            Thread.sleep(3_000); // the opted-out person's view went in first; give it time to come out, were it to
        }

        String pseudonym = PSEUDONYMS.person("cwp-fs-out");
        assertThat(TopicContents.<SecondaryPerson>all(platform, Topics.SECONDARY_PERSONS.name(PREFIX)))
                .extracting(ConsumerRecord::key).isNotEmpty().doesNotContain(pseudonym);
        assertThat(TopicContents.<SecondaryResult>all(platform, Topics.SECONDARY_RESULTS.name(PREFIX)))
                .extracting(ConsumerRecord::key).doesNotContain(PSEUDONYMS.result("cwr-fs-out"));
    }

    private static void awaitPublished(Platform platform, String pseudonym) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (TopicContents.<SecondaryPerson>all(platform, Topics.SECONDARY_PERSONS.name(PREFIX)).stream()
                    .anyMatch(r -> r.key().equals(pseudonym))) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the person not opted out was not published within 120 s");
    }

    private static PersonView view(String personId, String nhsNumber, String resultId) {
        return Views.view(personId, nhsNumber, Views.result(resultId, personId, "NM", "52", 52.0));
    }

    private static OptOut optOut(String nhsNumber, Instant loadedAt) {
        return OptOut.newBuilder().setNhsNumber(nhsNumber).setLoadedAt(loadedAt).build();
    }

    /** Valid (Modulus 11) numbers from 999 010 0000 up: invented, and clear of the numbers other tests use. */
    static List<String> inventedNhsNumbers(int count) {
        List<String> numbers = new java.util.ArrayList<>(count);
        for (long candidate = 999_010_000L; numbers.size() < count; candidate++) {
            String first9 = Long.toString(candidate);
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (first9.charAt(i) - '0') * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check != 10) {
                numbers.add(first9 + check);
            }
        }
        return numbers;
    }

    private static KafkaProducer<String, SpecificRecord> producer(Platform platform) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        return new KafkaProducer<>(p, new StringSerializer(),
                AvroSerdes.anySpecific(Map.of("schema.registry.url", platform.schemaRegistryUrl())).serializer());
    }

    private static void send(KafkaProducer<String, SpecificRecord> producer, Topic<?> topic, String key,
                             SpecificRecord value, Instant timestamp) {
        producer.send(new ProducerRecord<>(topic.name(PREFIX), null, timestamp.toEpochMilli(), key, value));
    }
}
