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
        description = {"Print the kafka-acls.sh commands that allow careweave's principal what it needs on a cluster"
                + " that authorises (topics under the topic prefix, Kafka Streams' internal topics, groups and"
                + " transactional ids of the configured application ids, replays and opt-out loads), and nothing"
                + " more. Reads the same settings as the components (CAREWEAVE_TOPIC_PREFIX, ..._APPLICATION_ID);"
                + " changes nothing."})
final class KafkaAclsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--principal", required = true, description = "careweave's Kafka principal, e.g. User:careweave.")
    String principal;

    @Override
    public Integer call() {
        if (!principal.matches("[A-Za-z]+:.+")) {
            throw new IllegalArgumentException("--principal must have the form Type:name, e.g. User:careweave");
        }
        SettingsSource settings = SettingsSource.fromProcess(Map.of());
        KafkaAcls acls = new KafkaAcls(principal, settings.get(PlatformConfig.TOPIC_PREFIX),
                settings.get(MappingConfig.APPLICATION_ID), settings.get(ProcessorsConfig.APPLICATION_ID));
        PrintWriter out = spec.commandLine().getOut();
        out.println("# ACLs for " + principal + " (docs/operations.md, \"Kafka with TLS and SASL\"); run with an"
                + " administrator's client settings in admin.properties and BOOTSTRAP set.");
        acls.commands().forEach(out::println);
        out.flush();
        return 0;
    }
}
