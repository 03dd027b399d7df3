package org.careweave.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

import org.careweave.optout.OptOutChanges;
import org.careweave.optout.OptOutFile;
import org.careweave.optout.OptOutLoader;
import org.careweave.platform.Platform;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;
import org.careweave.schemas.topics.TopicProvisioner;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code careweave opt-out}: the national data opt-out list. */
@Command(name = "opt-out", mixinStandardHelpOptions = true,
        description = "The national data opt-out list, which keeps people out of the secondary-use stream.",
        subcommands = {OptOutCommand.Load.class})
final class OptOutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** {@code careweave opt-out load FILE}. */
    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {"Make the optout topic hold exactly the list in FILE (CSV nhs_number[,recorded_date], header"
                    + " optional): people new to the list are added, people no longer on it are removed and so"
                    + " re-admitted to the secondary-use stream. Prints counts, never NHS numbers.",
                    "Exit status: 0 loaded, 1 loaded but some lines were invalid, 2 not loaded."})
    static final class Load implements Callable<Integer> {

        static final int LOADED = 0;
        static final int LOADED_WITH_INVALID_LINES = 1;
        static final int NOT_LOADED = 2;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The opt-out list, CSV.")
        Path file;

        @Option(names = "--dry-run", description = "Read the file and the topic and print what would change; change"
                + " nothing.")
        boolean dryRun;

        @Option(names = "--force-removals", description = "Remove people no longer listed even when the file has"
                + " invalid lines or lists nobody. Without it, removals are withheld then: a mangled line may be"
                + " someone still opted out, and an empty file is more likely a wrong file than an empty list.")
        boolean forceRemovals;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            OptOutFile list;
            try {
                list = OptOutFile.read(file);
            } catch (NoSuchFileException e) {
                err.println("careweave opt-out load: no such file " + file);
                return NOT_LOADED;
            } catch (IOException e) {
                err.println("careweave opt-out load: cannot read " + file + ": " + e.getClass().getSimpleName());
                return NOT_LOADED;
            }
            SettingsSource settings = SettingsSource.fromProcess(Map.of());
            PlatformConfig config = PlatformConfig.from(settings);
            try (Platform platform = PlatformConnection.connect(config)) {
                // Created compacted if missing: a topic auto-created by the first send would delete old opt-outs.
                TopicProvisioner.ensureTopics(platform.kafka().clientConfig(), config.topicPrefix(),
                        config.topicPartitions(), config.topicReplicationFactor());
                OptOutLoader loader = new OptOutLoader(platform, config.topicPrefix());
                OptOutChanges changes = OptOutChanges.between(loader.current(), list.optOuts());
                boolean suspicious = !list.invalid().isEmpty() || list.optOuts().isEmpty();
                boolean removals = !suspicious || forceRemovals;
                if (!dryRun) {
                    loader.apply(changes, list.optOuts(), removals, Instant.now());
                }
                report(out, list, changes, removals);
            } catch (RuntimeException e) {
                // Messages of Kafka and the registry name hosts and topics, never records.
                err.println("careweave opt-out load: not loaded: " + e.getMessage());
                return NOT_LOADED;
            }
            out.flush();
            return list.invalid().isEmpty() ? LOADED : LOADED_WITH_INVALID_LINES;
        }

        private void report(PrintWriter out, OptOutFile list, OptOutChanges changes, boolean removals) {
            String verb = dryRun ? "would be " : "";
            out.printf("careweave opt-out load: %s: %d on the list%s%n", file.getFileName(), list.optOuts().size(),
                    dryRun ? " (dry run: nothing changed)" : "");
            out.printf("  %sadded %d, kept %d, removed %d, invalid %d%n", verb, changes.added().size(),
                    changes.kept(), removals ? changes.removed().size() : 0, list.invalid().size());
            if (!removals && !changes.removed().isEmpty()) {
                out.printf("  %d removals withheld: the file %s; fix it, or pass --force-removals%n",
                        changes.removed().size(), list.optOuts().isEmpty() ? "lists nobody"
                                : "has invalid lines, one of which may be someone still opted out");
            }
            if (!changes.updated().isEmpty()) {
                out.printf("  %d recorded dates changed%n", changes.updated().size());
            }
            if (list.duplicates() > 0) {
                out.printf("  %d duplicate lines (counted once)%n", list.duplicates());
            }
            for (OptOutFile.Problem problem : list.invalid()) {
                out.println("  invalid " + problem);
            }
            for (OptOutFile.Problem problem : list.warnings()) {
                out.println("  warning " + problem);
            }
        }
    }
}
