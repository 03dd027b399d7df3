package org.careweave.store.views;

import org.careweave.platform.KafkaConnection;
import org.careweave.store.StoreEndpoints;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A sink in a JVM of its own, for SinkRestartIT to kill with SIGKILL:
 * {@code bootstrap registry jdbcUrl user password prefix pollRecords}.
 */
public final class SinkProcess {

    private SinkProcess() {
    }

    public static void main(String[] args) throws Exception {
        StoreEndpoints endpoints = new StoreEndpoints(KafkaConnection.plaintext(args[0]), args[1], args[2], args[3],
                args[4]);
        SinkConfig config = SinkConfig.defaults().withPollRecords(Integer.parseInt(args[6]));
        SinkService.start(config, endpoints, args[5], new SimpleMeterRegistry());
        System.out.println("sink started");
        Thread.sleep(Long.MAX_VALUE);
    }
}
