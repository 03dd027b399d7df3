package org.careweave.processors;

import java.nio.file.Path;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The stream processors in a JVM of their own, for ProcessorsRestartIT to kill with SIGKILL:
 * {@code bootstrap registry prefix applicationId stateDir}. Runs until killed.
 */
public final class ProcessorsProcess {

    private ProcessorsProcess() {
    }

    public static void main(String[] args) throws Exception {
        ProcessorsService.start(ProcessorsConfig.defaults().withApplicationId(args[3]), args[0], args[1], args[2],
                (short) 1, Path.of(args[4]), new SimpleMeterRegistry());
        System.out.println("processors started");
        Thread.sleep(Long.MAX_VALUE);
    }
}
