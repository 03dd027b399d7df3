package org.careweave.benchmarks.common;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What a figure was measured on. The development machine is shared with other builds and test runs, so the load
 * average before and after a run is part of every result: a high one means the figures are conservative and noisy.
 * So is how much of its cores the machine got at the start ({@link ParallelCapacity}): the host lends it less than
 * its cores at times.
 *
 * @param parallelCapacityAtStart the work all cores did together, in units of one core's, just before the run
 */
public record Machine(int cores, double memoryGib, String jvm, String os, String loadAverageAtStart,
                      String loadAverageAtEnd, double parallelCapacityAtStart, String note) {

    /** Long enough to average over the host's scheduling, short enough for the quick set's 15 minutes. */
    private static final Duration CAPACITY_WINDOW = Duration.ofMillis(1000);

    public static final String SHARED_NOTE = "2-core development machine shared with other builds and test runs "
            + "while this ran: figures are conservative and noisy";

    /** Call at the start of a run; {@link #finished()} at the end. */
    public static Machine now() {
        long bytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        int cores = Runtime.getRuntime().availableProcessors();
        String loadAverage = loadAverage();
        double capacity = Math.round(ParallelCapacity.measure(cores, CAPACITY_WINDOW) * 100) / 100.0;
        return new Machine(cores, Math.round(bytes / 1073741824.0 * 10) / 10.0,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), loadAverage, null, capacity,
                SHARED_NOTE);
    }

    public Machine finished() {
        return new Machine(cores, memoryGib, jvm, os, loadAverageAtStart, loadAverage(), parallelCapacityAtStart,
                note);
    }

    public String describe() {
        return String.format(Locale.ROOT, "%d cores, %.0f GiB, %s, %s; load average %s at start, %s at end; "
                        + "at the start the %d cores together did %.2f× one core's work (SHA-256 on %d threads against"
                        + " one, %.1f s each). %s.",
                cores, memoryGib, jvm, os, loadAverageAtStart, loadAverageAtEnd == null ? "?" : loadAverageAtEnd,
                cores, parallelCapacityAtStart, cores, CAPACITY_WINDOW.toMillis() / 1000.0, note);
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
