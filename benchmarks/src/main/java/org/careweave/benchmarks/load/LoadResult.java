package org.careweave.benchmarks.load;

import java.util.Map;

import org.careweave.benchmarks.common.Latency;

/**
 * What one load run measured (warm-up excluded, except in {@code messagesIncludingWarmup}).
 *
 * @param generatorCpuSeconds CPU time of the sending threads (ThreadMXBean): message building, framing, socket I/O
 * @param harnessCpuSeconds   CPU time of the whole JVM that ran the generator (OperatingSystemMXBean), whatever
 *                            else it ran
 * @param generatorCpuShare   generator CPU ÷ (elapsed × cores): near 1 means the generator itself was a ceiling
 */
public record LoadResult(int connections, long messages, long messagesIncludingWarmup, double seconds, double messagesPerSecond, Latency ack,
                         long aa, long ae, long ar, long timeouts, long connectionErrors, long bytesSent,
                         Map<String, Long> sentByType, double generatorCpuSeconds, double harnessCpuSeconds,
                         double generatorCpuShare) {
}
