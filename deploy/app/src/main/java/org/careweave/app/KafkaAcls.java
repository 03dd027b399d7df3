package org.careweave.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.careweave.optout.OptOutLoader;
import org.careweave.replay.Replay;

/**
 * What a Kafka principal must be allowed on a cluster that authorises (ACLs), derived from the deployment's topic
 * prefix and application ids, and nothing more:
 * <ul>
 *   <li>{@link #careweave}: careweave's own components, so that they cannot touch other teams' topics;</li>
 *   <li>{@link #analyst}: a secondary-use reader, who may read the pseudonymised topics and no identifiable one.</li>
 * </ul>
 * {@code SecuredKafkaIT} runs the whole pipeline on a broker that allows careweave exactly these, and checks that an
 * analyst reads the secondary-use topics and nothing else.
 *
 * @param principal e.g. {@code User:careweave}
 */
record KafkaAcls(String principal, List<AclBinding> bindings) {

    /** Kafka Streams names its internal topics and transactional ids after the application id and a dash. */
    private static final List<AclOperation> STREAMS_INTERNAL_TOPICS = List.of(AclOperation.ALL);
    private static final List<AclOperation> READ = List.of(AclOperation.READ, AclOperation.DESCRIBE);

    KafkaAcls {
        bindings = List.copyOf(bindings);
    }

    static KafkaAcls careweave(String principal, String topicPrefix, String mappingApplicationId,
                               String processorsApplicationId) {
        List<AclBinding> acls = new ArrayList<>();
        // The contract's topics: created when missing, written by ingest and the processors, read by them and sinks.
        allow(acls, principal, ResourceType.TOPIC, topicPrefix, List.of(AclOperation.DESCRIBE, AclOperation.CREATE,
                AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS));
        for (String application : List.of(mappingApplicationId, processorsApplicationId, Replay.APPLICATION_PREFIX)) {
            String prefix = application.endsWith("-") ? application : application + "-";
            // Changelogs and repartition topics: created, read, written, purged and checked by Kafka Streams.
            allow(acls, principal, ResourceType.TOPIC, prefix, STREAMS_INTERNAL_TOPICS);
            allow(acls, principal, ResourceType.TRANSACTIONAL_ID, prefix,
                    List.of(AclOperation.WRITE, AclOperation.DESCRIBE));
            allow(acls, principal, ResourceType.GROUP, application, READ);
        }
        allow(acls, principal, ResourceType.TRANSACTIONAL_ID, OptOutLoader.TRANSACTIONAL_ID_PREFIX,
                List.of(AclOperation.WRITE, AclOperation.DESCRIBE));
        return new KafkaAcls(principal, acls);
    }

    /**
     * A reader of the secondary-use stream (pseudonymised, opted-out people removed): its topics
     * ({@code <prefix>secondary.}) and consumer groups of its own; no identifiable topic, not even the opt-out list.
     */
    static KafkaAcls analyst(String principal, String topicPrefix, String groupPrefix) {
        List<AclBinding> acls = new ArrayList<>();
        allow(acls, principal, ResourceType.TOPIC, topicPrefix + SECONDARY_TOPICS, READ);
        allow(acls, principal, ResourceType.GROUP, groupPrefix, READ);
        return new KafkaAcls(principal, acls);
    }

    /** What the secondary-use topics' names start with, after the topic prefix ({@code Topics.SECONDARY_*}). */
    static final String SECONDARY_TOPICS = "secondary.";

    /** The same as kafka-acls.sh commands, one per resource, for an operator to review and run. */
    List<String> commands() {
        Map<ResourcePattern, List<AclOperation>> byResource = new LinkedHashMap<>();
        for (AclBinding acl : bindings()) {
            byResource.computeIfAbsent(acl.pattern(), p -> new ArrayList<>()).add(acl.entry().operation());
        }
        List<String> lines = new ArrayList<>();
        byResource.forEach((resource, operations) -> lines.add("kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\""
                + " --command-config admin.properties --add --allow-principal " + principal + " "
                + operations.stream().map(o -> "--operation " + name(o)).collect(Collectors.joining(" "))
                + " --" + option(resource.resourceType()) + " " + resource.name()
                + " --resource-pattern-type " + resource.patternType().name().toLowerCase(Locale.ROOT)));
        return lines;
    }

    private static void allow(List<AclBinding> acls, String principal, ResourceType type, String name,
                              List<AclOperation> operations) {
        // A group named exactly (an application id) is literal; every other name here is a prefix.
        PatternType pattern = type == ResourceType.GROUP && !name.endsWith("-") ? PatternType.LITERAL
                : PatternType.PREFIXED;
        for (AclOperation operation : operations) {
            acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
    }

    private static String option(ResourceType type) {
        return switch (type) {
            case TOPIC -> "topic";
            case GROUP -> "group";
            case TRANSACTIONAL_ID -> "transactional-id";
            default -> throw new IllegalArgumentException("no kafka-acls.sh option for " + type);
        };
    }

    /** kafka-acls.sh spells operations in CamelCase (DescribeConfigs). */
    private static String name(AclOperation operation) {
        StringBuilder b = new StringBuilder();
        for (String part : operation.name().split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }
}
