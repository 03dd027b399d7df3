package org.careweave.processors;

import java.nio.file.Path;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.careweave.platform.KafkaConnection;

/**
 * The stream processors in a JVM of their own, for ProcessorsRestartIT to kill with SIGKILL:
 * {@code bootstrap registry prefix applicationId stateDir}. Runs until killed.
 */
public final class ProcessorsProcess {

    static final int COMMIT_INTERVAL_MS = 30;

    private ProcessorsProcess() {
    }

    public static void main(String[] args) throws Exception {
        ProcessorsConfig defaults = ProcessorsConfig.defaults().withApplicationId(args[3]);
        // Commits every 30 ms rather than 100: the test aims each kill at a count of committed output records, and
        // fast processors would otherwise commit the rest of a small workload in a few large steps, landing the
        // later kills after the stream has ended.
        ProcessorsConfig config = new ProcessorsConfig(defaults.applicationId(), COMMIT_INTERVAL_MS,
                defaults.viewsPublishDelayMs(), defaults.maxRecordBytes(), defaults.identityModel(), defaults.secondary(),
                defaults.results(), defaults.rocksDbMemoryBytes());
        ProcessorsService.start(config, KafkaConnection.plaintext(args[0]), args[1], args[2], (short) 1,
                Path.of(args[4]), new SimpleMeterRegistry());
        System.out.println("processors started");
        Thread.sleep(Long.MAX_VALUE);
    }
}
