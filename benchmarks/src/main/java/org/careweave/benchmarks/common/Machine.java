package org.careweave.benchmarks.common;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a figure was measured on. The development machine is shared with other builds and test runs, so the load
 * average before and after a run is part of every result: a high one means the figures are conservative and noisy.
 */
public record Machine(int cores, double memoryGib, String jvm, String os, String loadAverageAtStart,
                      String loadAverageAtEnd, String note) {

    public static final String SHARED_NOTE = "2-core development machine shared with other builds and test runs "
            + "while this ran: figures are conservative and noisy";

    /** Call at the start of a run; {@link #finished()} at the end. */
    public static Machine now() {
        long bytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return new Machine(Runtime.getRuntime().availableProcessors(), Math.round(bytes / 1073741824.0 * 10) / 10.0,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), loadAverage(), null, SHARED_NOTE);
    }

    public Machine finished() {
        return new Machine(cores, memoryGib, jvm, os, loadAverageAtStart, loadAverage(), note);
    }

    public String describe() {
        return String.format(Locale.ROOT, "%d cores, %.0f GiB, %s, %s; load average %s at start, %s at end. %s.",
                cores, memoryGib, jvm, os, loadAverageAtStart, loadAverageAtEnd == null ? "?" : loadAverageAtEnd,
                note);
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }
}
