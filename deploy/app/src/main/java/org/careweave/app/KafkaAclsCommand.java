package org.careweave.app;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

import org.careweave.ingest.mapping.MappingConfig;
import org.careweave.platform.PlatformConfig;
import org.careweave.platform.config.SettingsSource;
import org.careweave.processors.ProcessorsConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code careweave kafka-acls}: the ACLs careweave's principal needs on a cluster that authorises, as commands. */
@Command(name = "kafka-acls", mixinStandardHelpOptions = true,
        description = {"Print the kafka-acls.sh commands that allow a principal what its role needs on a cluster"
                + " that authorises, and nothing more. Role careweave: topics under the topic prefix, Kafka Streams'"
                + " internal topics, groups and transactional ids of the configured application ids, replays and"
                + " opt-out loads. Role analyst: reading the secondary-use topics, with consumer groups of its own."
                + " Reads the same settings as the components (CAREWEAVE_TOPIC_PREFIX, ..._APPLICATION_ID);"
                + " changes nothing."})
final class KafkaAclsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--principal", required = true, description = "The Kafka principal, e.g. User:careweave.")
    String principal;

    @Option(names = "--role", defaultValue = "careweave", description = "careweave (its own components, the default)"
            + " or analyst (reads the secondary-use topics only).")
    String role;

    @Option(names = "--group-prefix", description = "analyst: what the analyst's consumer groups start with"
            + " (default: the principal's name and a dash).")
    String groupPrefix;

    @Override
    public Integer call() {
        if (!principal.matches("[A-Za-z]+:.+")) {
            throw new IllegalArgumentException("--principal must have the form Type:name, e.g. User:careweave");
        }
        SettingsSource settings = SettingsSource.fromProcess(Map.of());
        String topicPrefix = settings.get(PlatformConfig.TOPIC_PREFIX);
        KafkaAcls acls = switch (role) {
            case "careweave" -> KafkaAcls.careweave(principal, topicPrefix, settings.get(MappingConfig.APPLICATION_ID),
                    settings.get(ProcessorsConfig.APPLICATION_ID));
            case "analyst" -> KafkaAcls.analyst(principal, topicPrefix,
                    groupPrefix != null ? groupPrefix : principal.substring(principal.indexOf(':') + 1) + "-");
            default -> throw new IllegalArgumentException("--role must be careweave or analyst, not " + role);
        };
        PrintWriter out = spec.commandLine().getOut();
        out.println("# ACLs for " + principal + ", role " + role + " (docs/operations.md, \"Kafka with TLS and SASL\");"
                + " run with an administrator's client settings in admin.properties and BOOTSTRAP set.");
        acls.commands().forEach(out::println);
        out.flush();
        return 0;
    }
}
