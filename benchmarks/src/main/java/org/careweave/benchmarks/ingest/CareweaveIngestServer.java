package org.careweave.benchmarks.ingest;

import org.careweave.benchmarks.common.ChildJvm;
import org.careweave.ingest.IngestConfig;
import org.careweave.ingest.IngestService;
import org.careweave.platform.KafkaConnection;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Child-JVM main: careweave's MLLP listener with its archive writer (validate, write to hl7.raw with acks=all and
 * an idempotent producer, ACK when Kafka has acknowledged), exactly as {@code careweave ingest} runs it, on a free
 * port. Prints {@code READY <port>}; stops when stdin closes.
 *
 * <p>Arguments: bootstrap servers, schema registry URL, topic prefix.
 */
public final class CareweaveIngestServer {

    private CareweaveIngestServer() {
    }

    public static void main(String[] args) {
        IngestService ingest = IngestService.start(IngestConfig.defaults().withPort(0),
                KafkaConnection.plaintext(args[0]), args[1], args[2], new SimpleMeterRegistry());
        ChildJvm.announceReady(ingest.port());
        ChildJvm.awaitParentExit();
        ingest.close();
        System.exit(0);
    }
}
