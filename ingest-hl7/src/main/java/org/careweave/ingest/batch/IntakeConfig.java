package org.careweave.ingest.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.careweave.platform.config.Setting;
import org.careweave.platform.config.SettingsSource;

/**
 * The batch intake's configuration. Off unless a directory is set.
 *
 * @param directory    the watched directory; empty when the intake is off
 * @param pollInterval how long between two scans of the directory
 * @param settleTime   how long a file must have been left unmodified before it is read, so that a file still being
 *                     copied in is not read half-written
 * @param maxFileBytes the largest file read; a larger one is moved to done/ unread, with a report saying why
 */
public record IntakeConfig(Optional<Path> directory, Duration pollInterval, Duration settleTime, long maxFileBytes) {

    public static final Setting<String> DIRECTORY = Setting.text("ingest.intake.dir", "",
            "Directory watched for GP batch extract files (HL7 v2, with or without FHS/BHS envelope); processed"
                    + " files move to its done/ subdirectory. Empty turns the batch intake off.");
    public static final Setting<Integer> POLL_SECONDS = Setting.integer("ingest.intake.poll.seconds", 5,
            "How often the intake directory is scanned for new files.");
    public static final Setting<Integer> SETTLE_SECONDS = Setting.integer("ingest.intake.settle.seconds", 2,
            "A file is read only once it has not been modified for this long, so that one still being written is"
                    + " left alone.");

    public static final Setting<Integer> MAX_FILE_MEGABYTES = Setting.integer("ingest.intake.max.file.megabytes", 64,
            "The largest batch file read, in MiB; a larger one is moved to done/ unread, with a report saying why."
                    + " A file is read into memory whole, and takes two to three times its size while it is split.");

    public IntakeConfig {
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException(MAX_FILE_MEGABYTES.key() + " must be at least 1");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException(POLL_SECONDS.key() + " must be at least 1 second");
        }
        if (settleTime.isNegative()) {
            throw new IllegalArgumentException(SETTLE_SECONDS.key() + " must not be negative");
        }
    }

    public static List<Setting<?>> settings() {
        return List.of(DIRECTORY, POLL_SECONDS, SETTLE_SECONDS, MAX_FILE_MEGABYTES);
    }

    public static IntakeConfig from(SettingsSource source) {
        String directory = source.get(DIRECTORY);
        return new IntakeConfig(directory.isBlank() ? Optional.empty() : Optional.of(Path.of(directory)),
                Duration.ofSeconds(source.get(POLL_SECONDS)), Duration.ofSeconds(source.get(SETTLE_SECONDS)),
                source.get(MAX_FILE_MEGABYTES) * 1024L * 1024L);
    }

    public static IntakeConfig defaults() {
        return from(SettingsSource.of(Map.of()));
    }

    public boolean enabled() {
        return directory.isPresent();
    }

    public IntakeConfig withDirectory(Path newDirectory) {
        return new IntakeConfig(Optional.of(newDirectory), pollInterval, settleTime, maxFileBytes);
    }

    public IntakeConfig withTiming(Duration newPollInterval, Duration newSettleTime) {
        return new IntakeConfig(directory, newPollInterval, newSettleTime, maxFileBytes);
    }

    public IntakeConfig withMaxFileBytes(long newMaxFileBytes) {
        return new IntakeConfig(directory, pollInterval, settleTime, newMaxFileBytes);
    }
}
