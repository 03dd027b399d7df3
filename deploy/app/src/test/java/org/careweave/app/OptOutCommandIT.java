package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.careweave.optout.OptOutLoader;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code careweave opt-out load} against the real broker: the compacted topic ends up holding exactly the file's
 * list, reloading changes nothing, and nothing it prints is an NHS number. Invented numbers (999 range) only.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class OptOutCommandIT {

    private static final String PREFIX = "it-optout-cli.";

    @TempDir
    static Path dir;

    private static Platform platform;
    /** Each test has a list of its own: topics under a prefix per test. */
    private String prefix;
    private ExternalPlatformProperties properties;

    @BeforeAll
    static void start(Platform shared) {
        platform = shared;
    }

    @BeforeEach
    void pointCommandsAtOwnTopics(TestInfo test) {
        prefix = PREFIX + test.getTestMethod().orElseThrow().getName().toLowerCase(java.util.Locale.ROOT) + ".";
        properties = new ExternalPlatformProperties(platform, prefix);
    }

    @AfterEach
    void clearProperties() {
        properties.close();
    }

    @Test
    void loadingAddsKeepsAndRemovesSoThatTheTopicHoldsTheFile() throws IOException {
        CommandRun first = load("first.csv", "nhs_number,recorded_date\n9990000018,2025-10-01\n9990000026\n");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.outLines()).contains("  added 2, kept 0, removed 0, invalid 0");
        assertThat(current()).containsOnlyKeys("9990000018", "9990000026");

        CommandRun again = load("again.csv", "nhs_number,recorded_date\n9990000018,2025-10-01\n9990000026\n");
        assertThat(again.outLines()).contains("  added 0, kept 2, removed 0, invalid 0");

        CommandRun second = load("second.csv", "9990000026\n9990000034,2025-11-02\n");
        assertThat(second.exitCode()).isZero();
        assertThat(second.outLines()).contains("  added 1, kept 1, removed 1, invalid 0");
        assertThat(current()).containsOnlyKeys("9990000026", "9990000034");
        assertNoNhsNumberPrinted(first, again, second);
    }

    @Test
    void withInvalidLinesRemovalsAreWithheldUnlessForced() throws IOException {
        load("base.csv", "9990000042\n9990000050\n");

        CommandRun mangled = load("mangled.csv", "9990000042\n9990000051\n");
        assertThat(mangled.exitCode()).isEqualTo(OptOutCommand.Load.LOADED_WITH_INVALID_LINES);
        assertThat(mangled.outLines()).contains("  added 0, kept 1, removed 0, invalid 1",
                "  invalid line 2: check digit does not match (Modulus 11)");
        assertThat(mangled.out()).contains("1 removals withheld");
        assertThat(current()).containsKeys("9990000042", "9990000050");

        CommandRun dryRun = load("mangled.csv", "9990000042\n9990000051\n", "--force-removals", "--dry-run");
        assertThat(dryRun.outLines()).contains("  would be added 0, kept 1, removed 1, invalid 1");
        assertThat(current()).containsKeys("9990000050");

        CommandRun forced = load("mangled.csv", "9990000042\n9990000051\n", "--force-removals");
        assertThat(forced.outLines()).contains("  added 0, kept 1, removed 1, invalid 1");
        assertThat(current()).containsKey("9990000042").doesNotContainKey("9990000050");
        assertNoNhsNumberPrinted(mangled, dryRun, forced);
        assertThat(mangled.out() + forced.out()).doesNotContain("9990000051");
    }

    @Test
    void aMissingFileLoadsNothing() {
        CommandRun run = CommandRun.of("opt-out", "load", dir.resolve("absent.csv").toString());

        assertThat(run.exitCode()).isEqualTo(OptOutCommand.Load.NOT_LOADED);
        assertThat(run.err()).contains("no such file");
    }

    private CommandRun load(String name, String content, String... options) throws IOException {
        Path file = Files.writeString(dir.resolve(name), content);
        String[] args = new String[3 + options.length];
        args[0] = "opt-out";
        args[1] = "load";
        System.arraycopy(options, 0, args, 2, options.length);
        args[args.length - 1] = file.toString();
        return CommandRun.of(args);
    }

    private Map<String, java.time.LocalDate> current() {
        return new OptOutLoader(platform, prefix).current();
    }

    private static void assertNoNhsNumberPrinted(CommandRun... runs) {
        for (CommandRun run : runs) {
            assertThat(run.out() + run.err()).doesNotContainPattern("(?<!\\d)999\\d{7}(?!\\d)");
        }
    }
}
