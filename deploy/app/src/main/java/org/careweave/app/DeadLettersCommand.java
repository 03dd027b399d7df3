package org.careweave.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.careweave.deadletters.DeadLetter;
import org.careweave.deadletters.DeadLetterFiles;
import org.careweave.deadletters.DeadLetterLog;
import org.careweave.deadletters.DeadLetterSelection;
import org.careweave.events.RejectionStage;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code careweave dead-letters}: the messages careweave refused, for the integration team that works them: what was
 * refused and why (never patient data on the terminal), and each message's bytes in a file to fix and send again.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = "The refused messages in hl7.deadletter: list them with their reasons, and export them to files"
                + " to fix and resend.",
        subcommands = {DeadLettersCommand.ListLetters.class, DeadLettersCommand.Export.class})
final class DeadLettersCommand implements Callable<Integer> {

    static final int DONE = 0;
    static final int PARTLY = 1;
    static final int NOT_DONE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return NOT_DONE;
    }

    /** Which dead letters: shared by the subcommands. */
    static final class Selection {
        @Parameters(paramLabel = "POSITION", arity = "0..*",
                description = "Only these records, as PARTITION:OFFSET (the first column of `list`).")
        List<String> positions = List.of();

        @Option(names = "--since", paramLabel = "TIME", description = "Written at or after TIME: an ISO date"
                + " (midnight UTC), an instant, or hours or days ago (36h, 7d).")
        String since;

        @Option(names = "--until", paramLabel = "TIME", description = "Written before TIME (as --since).")
        String until;

        @Option(names = "--facility", paramLabel = "MSH-4", description = "Only this sending facility (repeatable).")
        List<String> facilities = List.of();

        @Option(names = "--stage", paramLabel = "STAGE", description = "Only this stage (repeatable):"
                + " ${COMPLETION-CANDIDATES}.")
        List<RejectionStage> stages = List.of();

        DeadLetterSelection selection(Instant now) {
            return new DeadLetterSelection(Optional.ofNullable(since).map(t -> DeadLetterSelection.time(t, now)),
                    Optional.ofNullable(until).map(t -> DeadLetterSelection.time(t, now)),
                    new HashSet<>(facilities), new HashSet<>(stages),
                    positions.stream().map(DeadLetter.Position::parse).collect(Collectors.toCollection(TreeSet::new)));
        }

        boolean narrows() {
            return !positions.isEmpty() || since != null || until != null || !facilities.isEmpty()
                    || !stages.isEmpty();
        }
    }

    /**
     * Runs {@code work} on the deployment's dead-letter topic; a bad option or a platform that cannot be read is said
     * on standard error with exit status 2.
     */
    static int onLog(CommandSpec spec, String command, Selection options, Function<Reading, Integer> work) {
        DeadLetterSelection selection;
        try {
            selection = options.selection(Instant.now());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(command + ": " + e.getMessage());
            return NOT_DONE;
        }
        return PlatformConnection.run(spec, command, (platform, config) -> work.apply(new Reading(
                new DeadLetterLog(platform.kafka().clientConfig(), platform.schemaRegistryUrl(), config.topicPrefix()),
                selection)));
    }

    record Reading(DeadLetterLog log, DeadLetterSelection selection) {
    }

    /** Counts by facility, then stage: what tells a team which feed to call about what. */
    static final class Tally {
        private final Map<String, Map<RejectionStage, Integer>> counts = new TreeMap<>();

        void add(DeadLetter letter) {
            String facility = letter.message().getSendingFacility() == null ? "(unreadable MSH)"
                    : letter.message().getSendingFacility();
            counts.computeIfAbsent(facility, f -> new EnumMap<>(RejectionStage.class))
                    .merge(letter.message().getStage(), 1, Integer::sum);
        }

        void print(PrintWriter out) {
            counts.forEach((facility, stages) -> out.printf("  %s  %s%n", facility, stages.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
        }
    }

    /** {@code careweave dead-letters list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"The refused messages, oldest first per partition, one line each: POSITION, time, stage,"
                    + " ACK code, sending facility, message type, control id and the reason (reasons name the field,"
                    + " never its value; no patient data is printed). Then counts by facility and stage.",
                    "Exit status: 0 listed (also when none), 2 not readable or a bad option."})
    static final class ListLetters implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Selection options;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "200",
                description = "Print at most N lines (default: ${DEFAULT-VALUE}); all are counted.")
        int limit;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return onLog(spec, "careweave dead-letters list", options, reading -> {
                Tally tally = new Tally();
                long[] printed = {0};
                DeadLetterLog.Scan scan = reading.log().scan(reading.selection(), letter -> {
                    tally.add(letter);
                    if (printed[0]++ < limit) {
                        out.println(letter.summaryLine());
                    }
                });
                if (scan.matched() > limit) {
                    out.printf("(%d more not listed: narrow with --since, --facility or --stage, or raise --limit)%n",
                            scan.matched() - limit);
                }
                scan.notFound().forEach(p -> out.printf("%s  no dead letter there%n", p));
                out.printf("careweave dead-letters list: %d of %d records in %s%s%n", scan.matched(), scan.read(),
                        reading.log().topic(), scan.unreadable() == 0 ? ""
                                : " (" + scan.unreadable() + " not readable as dead letters)");
                tally.print(out);
                return DONE;
            });
        }
    }

    /** {@code careweave dead-letters export --out DIR}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write each selected message to a file of its own in DIR, byte for byte as received"
                    + " (FACILITY_CONTROLID_PARTITION-OFFSET.hl7), to fix and send again with `careweave send`."
                    + " The files hold patient data: they are made readable by their owner only, and an existing"
                    + " file is never overwritten. Needs a selection (positions, --since, --until, --facility or"
                    + " --stage): the whole topic is not exported by accident.",
                    "Exit status: 0 every selected message written, 1 some were not (named positions not found,"
                            + " files already there), 2 nothing could be done."})
    static final class Export implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Selection options;

        @Option(names = "--out", paramLabel = "DIR", required = true,
                description = "Folder for the files (created, owner-only, if missing).")
        Path out;

        @Override
        public Integer call() {
            PrintWriter printer = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String command = "careweave dead-letters export";
            if (!options.narrows()) {
                err.println(command + ": select what to export (positions, --since, --until, --facility or"
                        + " --stage); `careweave dead-letters list` shows what there is");
                return NOT_DONE;
            }
            try {
                DeadLetterFiles.prepare(out);
            } catch (IOException e) {
                err.println(command + ": cannot make " + out + ": " + e.getMessage());
                return NOT_DONE;
            }
            return onLog(spec, command, options, reading -> {
                List<String> problems = new ArrayList<>();
                long[] written = {0};
                DeadLetterLog.Scan scan = reading.log().scan(reading.selection(), letter -> {
                    try {
                        Path file = DeadLetterFiles.write(out, letter);
                        written[0]++;
                        printer.printf("%s  %s  %s  %d bytes  %s%n", letter.position(), file,
                                letter.message().getStage(), letter.message().getPayload().remaining(),
                                letter.message().getReason());
                    } catch (FileAlreadyExistsException e) {
                        problems.add(letter.position() + "  not written: " + e.getFile() + " exists");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                scan.notFound().forEach(p -> problems.add(p + "  no dead letter there"));
                problems.forEach(err::println);
                printer.printf("careweave dead-letters export: %d written to %s; after fixing, resend them with"
                        + " `careweave send`%n", written[0], out);
                return problems.isEmpty() ? DONE : PARTLY;
            });
        }
    }
}
