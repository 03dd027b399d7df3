package org.careweave.app;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.careweave.ingest.mapping.MappingConfig;
import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.processors.secondary.SecondaryConfig;
import org.careweave.replay.Replay;
import org.careweave.schemas.topics.Topics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code careweave replay}: re-derive events from the raw topic through the current mapping and processors. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-derive events from the raw topic through the current mapping and processors.",
                "Into the live topics (--into live) or into a new versioned set of topics (--into v2) with its own"
                        + " identity, results and views. Safe to interrupt: run again with the same --into and"
                        + " --label to continue."})
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--into", required = true, description = "live, or a version name for a new set of topics"
            + " (written under <prefix><version>., e.g. careweave.v2.)")
    String into;

    @Option(names = "--from", description = "first receive time to replay (ISO date or instant)")
    String from;

    @Option(names = "--to", description = "receive time to stop before (ISO date or instant)")
    String to;

    @Option(names = "--facility", description = "only this sending facility (repeatable)")
    List<String> facilities = List.of();

    @Option(names = "--label", description = "names this replay's progress (default: derived from the options)")
    String label;

    @Override
    public Integer call() throws Exception {
        SettingsSource settings = SettingsSource.fromProcess(Map.of());
        PlatformConfig config = PlatformConfig.from(settings);
        Optional<Instant> fromTime;
        Optional<Instant> toTime;
        try {
            fromTime = Optional.ofNullable(from).map(ReplayCommand::instant);
            toTime = Optional.ofNullable(to).map(ReplayCommand::instant);
        } catch (DateTimeParseException e) {
            System.err.println("careweave replay: --from/--to must be an ISO date (2026-01-31) or instant");
            return 2;
        }
        boolean live = into.equals("live");
        if (!live && !into.matches("[A-Za-z0-9-]{1,40}")) {
            System.err.println("careweave replay: --into must be live or a short version name (letters, digits, -)");
            return 2;
        }
        String target = live ? config.topicPrefix() : config.topicPrefix() + into + ".";
        String name = label != null ? label
                : (into + "-" + (from == null ? "start" : from) + "-" + (to == null ? "end" : to) + "-"
                + String.join("+", facilities)).replaceAll("[^A-Za-z0-9-]", "_");
        Replay.Request request = new Replay.Request(config.topicPrefix(), target, fromTime, toTime,
                new LinkedHashSet<>(facilities), name, config.topicPartitions(), config.topicReplicationFactor(),
                MappingConfig.from(settings), processorsConfig(settings));
        try (Platform platform = PlatformConnection.connect(config)) {
            System.out.println("careweave replay: " + Topics.HL7_RAW.name(config.topicPrefix()) + " -> "
                    + (live ? "live topics" : target + "*") + " (label " + name + ")");
            Replay.Summary summary;
            try {
                summary = Replay.run(request, platform, config.dataDir(), new ProgressBar(System.out));
            } catch (Replay.Stopped e) {
                System.out.println();
                System.err.println("careweave replay: " + e.getMessage());
                return 1;
            }
            System.out.println();
            System.out.printf("careweave replay: done in %.1f s: %d raw messages read, %d mapped, %d not selected,"
                            + " %d resends, %d dead-lettered%n", summary.elapsed().toMillis() / 1000.0,
                    summary.rawRead(), summary.mapped(), summary.skipped(), summary.resends(),
                    summary.deadLettered());
            summary.written().forEach((topic, n) -> System.out.printf("  %-40s %d records%n", topic, n));
            notes(summary, name).forEach(System.out::println);
            return 0;
        }
    }

    /**
     * What the summary's figures alone do not say: that this run continued an earlier one under the same label (and
     * so did not read again what that one had read), or that it mapped nothing, which is not an error (a window or a
     * facility with no messages yet) but worth saying plainly.
     */
    static List<String> notes(Replay.Summary summary, String label) {
        List<String> notes = new ArrayList<>();
        if (summary.resumed()) {
            notes.add("careweave replay: continued the replay labelled " + label + ", whose earlier run had read "
                    + summary.earlierRead() + " raw messages: they were not read again. To replay them from the"
                    + " start, run with a new --label");
        }
        if (summary.mapped() == 0 && (summary.rawRead() > 0 || !summary.resumed())) {
            notes.add("careweave replay: no raw message was selected and mapped: no events were written"
                    + " (check --facility, --from and --to)");
        }
        return notes;
    }

    /**
     * The processors' settings as deployed, without the secondary-use stream: a versioned replay does not rebuild it,
     * so it needs no pseudonym key.
     */
    static ProcessorsConfig processorsConfig(SettingsSource settings) {
        return ProcessorsConfig.from(settings.with(Map.of(SecondaryConfig.ENABLED.key(), "false")));
    }

    private static Instant instant(String text) {
        if (text.length() == 10) {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return Instant.parse(text);
    }
}
