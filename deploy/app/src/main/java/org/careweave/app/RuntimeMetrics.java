package org.careweave.app;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The JVM's and the process's own metrics (heap and its use after collections, time in GC, threads, open files, CPU,
 * uptime), Micrometer's standard binders, beside careweave's in every process's {@code /metrics}. Why: a heap filling
 * up or file descriptors running out take the whole process down (both happened in trials: a 1 GiB heap full of
 * cached state, a connection flood using every descriptor), and an operator should see them coming, not after.
 *
 * <p>{@link #close()} removes the GC listeners, so that a pipeline started again in one JVM (tests) does not keep
 * the old ones.
 */
final class RuntimeMetrics implements AutoCloseable {

    private final JvmGcMetrics gc;
    private final JvmHeapPressureMetrics heapPressure;

    private RuntimeMetrics(JvmGcMetrics gc, JvmHeapPressureMetrics heapPressure) {
        this.gc = gc;
        this.heapPressure = heapPressure;
    }

    /** A Prometheus registry with the runtime metrics bound; close the returned binders with the process. */
    static Registry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        return new Registry(registry, bindTo(registry));
    }

    static RuntimeMetrics bindTo(MeterRegistry registry) {
        RuntimeMetrics runtime = new RuntimeMetrics(new JvmGcMetrics(), new JvmHeapPressureMetrics());
        List<MeterBinder> binders = List.of(new JvmMemoryMetrics(), runtime.gc, runtime.heapPressure,
                new JvmThreadMetrics(), new ClassLoaderMetrics(), new ProcessorMetrics(),
                new FileDescriptorMetrics(), new UptimeMetrics());
        binders.forEach(binder -> binder.bindTo(registry));
        return runtime;
    }

    @Override
    public void close() {
        gc.close();
        heapPressure.close();
    }

    record Registry(PrometheusMeterRegistry metrics, RuntimeMetrics runtime) {
    }
}
