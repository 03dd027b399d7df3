package org.careweave.processors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.careweave.events.IdentityLink;
import org.careweave.ingest.IngestConfig;
import org.careweave.ingest.IngestService;
import org.careweave.ingest.TopicContents;
import org.careweave.ingest.mapping.MappingConfig;
import org.careweave.ingest.mapping.MappingService;
import org.careweave.ingest.mllp.MllpClient;
import org.careweave.platform.Directories;
import org.careweave.platform.Platform;
import org.careweave.schemas.topics.Topic;
import org.careweave.schemas.topics.TopicProvisioner;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The whole pipeline on the real platform under one topic prefix: MLLP ingest, mapping, and the stream
 * processors. Tests send HL7 and read the public topics, as a sender and a downstream consumer would.
 */
public final class PipelineHarness implements AutoCloseable {

    private final Platform platform;
    private final String prefix;
    private final IngestService ingest;
    private final MappingService mapping;
    private ProcessorsService processors;
    private final MllpClient client;
    private final Path stateDir;

    public PipelineHarness(Platform platform, String prefix) throws IOException {
        this(platform, prefix, 3);
    }

    public PipelineHarness(Platform platform, String prefix, int partitions) throws IOException {
        this(platform, prefix, partitions, ProcessorsConfig.defaults());
    }

    /** @param processorsConfig the processors' settings; its application id is replaced by one under the prefix */
    public PipelineHarness(Platform platform, String prefix, int partitions, ProcessorsConfig processorsConfig)
            throws IOException {
        this.platform = platform;
        this.prefix = prefix;
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), prefix, partitions, (short) 1);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        this.stateDir = Files.createTempDirectory("pipeline-harness-");
        this.ingest = IngestService.start(IngestConfig.defaults().withPort(0), platform.kafka(),
                platform.schemaRegistryUrl(), prefix, metrics);
        this.mapping = MappingService.start(MappingConfig.defaults().withApplicationId(prefix + "mapping"),
                platform.kafka(), platform.schemaRegistryUrl(), prefix, (short) 1,
                Files.createDirectories(stateDir.resolve("mapping")), metrics);
        this.processors = ProcessorsService.start(processorsConfig.withApplicationId(prefix + "processors"),
                platform.kafka(), platform.schemaRegistryUrl(), prefix, (short) 1,
                Files.createDirectories(stateDir.resolve("processors")), metrics);
        this.client = MllpClient.connect("127.0.0.1", ingest.port());
    }

    /** Sends one message (segments separated by \r or \n) and returns MSA-1. */
    public String send(String message) throws IOException {
        String ack = client.send(message.replace("\n", "\r").getBytes(StandardCharsets.UTF_8));
        int msa = ack.indexOf("MSA|");
        return ack.substring(msa + 4, msa + 6);
    }

    public String topic(Topic<?> topic) {
        return topic.name(prefix);
    }

    public Platform platform() {
        return platform;
    }

    public ProcessorsService processors() {
        return processors;
    }

    /** Stops the processors and starts them again with other settings, the same application id and state. */
    public void restartProcessors(ProcessorsConfig processorsConfig) {
        processors.close();
        processors = ProcessorsService.start(processorsConfig.withApplicationId(prefix + "processors"),
                platform.kafka(), platform.schemaRegistryUrl(), prefix, (short) 1, stateDir.resolve("processors"),
                new SimpleMeterRegistry());
    }

    public <T extends SpecificRecord> List<T> await(Topic<?> topic, Predicate<T> matching, int atLeast) {
        return TopicContents.await(platform, topic(topic), matching, atLeast);
    }

    /** A compacted topic read as a table: the latest value per key (tombstones remove the key). */
    public <T extends SpecificRecord> Map<String, T> table(Topic<?> topic) {
        return TopicContents.table(platform, topic(topic));
    }

    /** Waits until the table satisfies the condition, and returns it. */
    public <T extends SpecificRecord> Map<String, T> awaitTable(Topic<?> topic, Predicate<Map<String, T>> condition)
            throws InterruptedException {
        return awaitTable(topic, condition, Duration.ofSeconds(60));
    }

    /** The topic read as a table, once {@code condition} holds or {@code timeout} has passed (then as it is). */
    public <T extends SpecificRecord> Map<String, T> awaitTable(Topic<?> topic, Predicate<Map<String, T>> condition,
                                                                Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, T> table = Map.of();
        while (System.nanoTime() < deadline) {
            table = table(topic);
            if (condition.test(table)) {
                return table;
            }
            Thread.sleep(250);
        }
        return table;
    }

    public String personOf(String identifier) throws InterruptedException {
        Map<String, IdentityLink> links = awaitTable(org.careweave.schemas.topics.Topics.IDENTITY_LINKS,
                (Map<String, IdentityLink> t) -> t.containsKey(identifier));
        IdentityLink link = links.get(identifier);
        return link == null ? null : link.getPersonId();
    }

    @Override
    public void close() throws IOException {
        client.close();
        ingest.close();
        mapping.close();
        processors.close();
        Directories.deleteRecursively(stateDir);
    }
}
