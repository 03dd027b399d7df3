package org.careweave.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.careweave.ingest.ack.AckBuilder;
import org.careweave.ingest.archive.MessageArchive;
import org.careweave.ingest.intake.FacilityAllowlist;
import org.careweave.ingest.intake.Ingestor;
import org.careweave.ingest.intake.WriteGate;
import org.careweave.ingest.mllp.MllpServer;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.platform.KafkaConnection;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The ingest side of careweave as one unit: the archive writer, the ingestor and the MLLP listener. */
public final class IngestService implements AutoCloseable {

    private final MessageArchive archive;
    private final Ingestor ingestor;
    private final MllpServer server;

    private IngestService(MessageArchive archive, Ingestor ingestor, MllpServer server) {
        this.archive = archive;
        this.ingestor = ingestor;
        this.server = server;
    }

    public static IngestService start(IngestConfig config, KafkaConnection kafka, String schemaRegistryUrl,
                                      String topicPrefix, MeterRegistry metrics) {
        return start(config, kafka, schemaRegistryUrl, topicPrefix, metrics, WriteGate.OPEN);
    }

    /** @param gate while closed, every message is answered AE and nothing is written */
    public static IngestService start(IngestConfig config, KafkaConnection kafka, String schemaRegistryUrl,
                                      String topicPrefix, MeterRegistry metrics, WriteGate gate) {
        FacilityAllowlist allowlist = config.tls().map(tls -> {
            try {
                return FacilityAllowlist.load(tls.allowlist());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the MLLP TLS allowlist " + tls.allowlist(), e);
            }
        }).orElse(null);
        MessageArchive archive = new MessageArchive(new MessageArchive.Settings(kafka, schemaRegistryUrl,
                topicPrefix, config.deliveryTimeoutMs(), config.compression()));
        Ingestor ingestor = new Ingestor(
                new MessageValidator(new MessageValidator.Rules(config.defaultCharset(),
                        config.archiveUnsupportedTypes(), config.zone())),
                archive,
                new AckBuilder(config.ackApplication(), config.ackFacility(), config.zone()),
                allowlist,
                metrics,
                gate);
        try {
            MllpServer server = MllpServer.start(config, ingestor);
            Gauge.builder("careweave.ingest.connections", server, MllpServer::connections)
                    .description("MLLP connections open now (at most mllp.max.connections)")
                    .register(metrics);
            FunctionCounter.builder("careweave.ingest.connections.refused", server,
                            MllpServer::refusedConnections)
                    .description("MLLP connections closed at once because mllp.max.connections were open")
                    .register(metrics);
            return new IngestService(archive, ingestor, server);
        } catch (RuntimeException e) {
            archive.close();
            throw e;
        }
    }

    public Ingestor ingestor() {
        return ingestor;
    }

    public int port() {
        return server.port();
    }

    /** Stops listening first, so that nothing new arrives, then flushes what is being written. */
    @Override
    public void close() {
        server.close();
        archive.close();
    }
}
