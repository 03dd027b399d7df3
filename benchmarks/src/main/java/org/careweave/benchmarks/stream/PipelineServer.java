package org.careweave.benchmarks.stream;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.careweave.benchmarks.common.ChildJvm;
import org.careweave.ingest.IngestConfig;
import org.careweave.ingest.IngestService;
import org.careweave.ingest.mapping.MappingConfig;
import org.careweave.ingest.mapping.MappingService;
import org.careweave.platform.KafkaConnection;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.processors.ProcessorsService;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Child-JVM main: careweave's own components on a running platform, as {@code careweave up} runs them: any of the
 * MLLP listener ("ingest"), the mapping processor ("mapping") and the stream processors ("processors": identity,
 * results, views). Prints {@code READY <mllp port or 0>}; stops when stdin closes.
 *
 * <p>Arguments: bootstrap servers, registry URL, topic prefix, components (comma-separated), state dir, identity
 * model JSON file or "-" for the shipped model.
 */
public final class PipelineServer {

    /** A JVM option ({@code -D...=ms}) that sets mapping's and the processors' commit interval; their default if absent. */
    static final String COMMIT_INTERVAL_PROPERTY = "-Dcareweave.bench.commit.interval.ms";

    private PipelineServer() {
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        String registry = args[1];
        String prefix = args[2];
        List<String> components = List.of(args[3].split(","));
        Path stateDir = Path.of(args[4]);
        Optional<Path> model = args[5].equals("-") ? Optional.empty() : Optional.of(Path.of(args[5]));
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        KafkaConnection kafka = KafkaConnection.plaintext(bootstrap);
        Deque<AutoCloseable> started = new ArrayDeque<>();
        int port = 0;
        Integer commitIntervalMs = Integer.getInteger(COMMIT_INTERVAL_PROPERTY.substring(2));
        if (components.contains("mapping")) {
            MappingConfig mapping = MappingConfig.defaults().withApplicationId(prefix + "mapping");
            if (commitIntervalMs != null) {
                mapping = new MappingConfig(mapping.applicationId(), mapping.resendWindow(), mapping.defaultZone(),
                        mapping.zoneByFacility(), commitIntervalMs, mapping.fetchMaxWaitMs(),
                        mapping.authorityByFacility());
            }
            started.push(MappingService.start(mapping, kafka, registry, prefix, (short) 1,
                    stateDir.resolve("mapping"), metrics));
        }
        if (components.contains("processors")) {
            ProcessorsConfig defaults = ProcessorsConfig.defaults();
            ProcessorsConfig config = new ProcessorsConfig(prefix + "processors",
                    commitIntervalMs == null ? defaults.commitIntervalMs() : commitIntervalMs,
                    defaults.viewsPublishDelayMs(), defaults.maxRecordBytes(), model,
                    defaults.secondary(), defaults.results(), defaults.rocksDbMemoryBytes());
            started.push(ProcessorsService.start(config, kafka, registry, prefix, (short) 1,
                    stateDir.resolve("processors"), metrics));
        }
        if (components.contains("ingest")) {
            IngestService ingest = IngestService.start(IngestConfig.defaults().withPort(0), kafka, registry, prefix,
                    metrics);
            started.push(ingest);
            port = ingest.port();
        }
        ChildJvm.announceReady(port);
        ChildJvm.awaitParentExit();
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("stopping: " + e);
            }
        }
        System.exit(0);
    }
}
