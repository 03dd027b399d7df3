package org.careweave.benchmarks.store;

import java.lang.reflect.Method;

import org.careweave.benchmarks.common.ChildJvm;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Child-JVM main: sink-store's {@code SinkService} on its own, so that its CPU time is measured apart from the
 * platform and the producer. The benchmarks module does not depend on sink-store (the sink is measured as built in
 * sink-store/target), so it is started by reflection: {@code SinkService.start(SinkConfig, StoreEndpoints, prefix,
 * metrics)}, exactly as the product starts it. Prints {@code READY} once started; closes the sink when stdin closes.
 *
 * <p>Arguments: bootstrap, registry URL, JDBC URL, user, prefix, poll records.
 */
public final class SinkChild {

    private SinkChild() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> endpointsType = Class.forName("org.careweave.store.StoreEndpoints");
        Class<?> configType = Class.forName("org.careweave.store.views.SinkConfig");
        Class<?> sinkType = Class.forName("org.careweave.store.views.SinkService");
        Object endpoints = endpointsType.getConstructor(String.class, String.class, String.class, String.class,
                String.class).newInstance(args[0], args[1], args[2], args[3], "");
        Object config = configType.getMethod("withPollRecords", int.class)
                .invoke(configType.getMethod("defaults").invoke(null), Integer.parseInt(args[5]));
        Method start = sinkType.getMethod("start", configType, endpointsType, String.class, MeterRegistry.class);
        AutoCloseable sink = (AutoCloseable) start.invoke(null, config, endpoints, args[4], new SimpleMeterRegistry());
        ChildJvm.announceReady();
        ChildJvm.awaitParentExit();
        sink.close();
        System.exit(0);
    }
}
