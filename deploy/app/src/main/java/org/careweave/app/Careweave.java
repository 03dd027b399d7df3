package org.careweave.app;

import org.slf4j.bridge.SLF4JBridgeHandler;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code careweave} command. */
@Command(name = "careweave", mixinStandardHelpOptions = true, versionProvider = Careweave.Version.class,
        description = "HL7 v2 to Kafka pipeline for shared care records.",
        subcommands = {UpCommand.class, IngestCommand.class, ProcessCommand.class, SinkCommand.class,
                ApiCommand.class, SendCommand.class, ReplayCommand.class, OptOutCommand.class, ReviewCommand.class,
                DeadLettersCommand.class, ConfigCommand.class, KafkaAclsCommand.class,
                CommandLine.HelpCommand.class})
public final class Careweave {

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Careweave()).setExecutionExceptionHandler(Careweave::settingsError);
    }

    /**
     * A setting that is missing or wrong (SettingsSource, PlatformConfig and the modules' configs refuse them with
     * IllegalArgumentException) is the operator's to fix: one line naming it, exit code 2, no stack trace.
     */
    private static int settingsError(Exception e, CommandLine command, CommandLine.ParseResult parsed)
            throws Exception {
        if (!(e instanceof IllegalArgumentException)) {
            throw e;
        }
        command.getErr().println("careweave " + command.getCommandName() + ": " + e.getMessage());
        return 2;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Careweave.class.getPackage().getImplementationVersion();
            return new String[] {"careweave " + (v == null ? "development build" : v)};
        }
    }
}
