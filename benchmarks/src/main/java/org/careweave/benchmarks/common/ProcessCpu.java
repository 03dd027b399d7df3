package org.careweave.benchmarks.common;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time of processes: this JVM (OperatingSystemMXBean), or another process by pid (ProcessHandle, which reads
 * /proc on Linux: user + system time of all its threads).
 */
public final class ProcessCpu {

    private ProcessCpu() {
    }

    public static long ownNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static long nanos(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
    }

    /** Peak resident set size (VmHWM) of a process in KiB, or 0 when it cannot be read. */
    public static long peakRssKib(long pid) {
        return statusField(pid, "VmHWM:");
    }

    /** Current resident set size (VmRSS) of a process in KiB, or 0 when it cannot be read. */
    public static long rssKib(long pid) {
        return statusField(pid, "VmRSS:");
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process has gone, or this is not Linux.
        }
        return 0;
    }
}
