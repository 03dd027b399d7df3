package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class KafkaAclsTest {

    private final KafkaAcls defaults = KafkaAcls.careweave("User:careweave", "careweave.", "careweave-mapping",
            "careweave-processors");

    @Test
    void everyAclAllowsOnlyCareweavesPrincipalAndOnlyItsOwnNames() {
        List<AclBinding> bindings = defaults.bindings();

        assertThat(bindings).isNotEmpty().allSatisfy(acl -> {
            assertThat(acl.entry().principal()).isEqualTo("User:careweave");
            assertThat(acl.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
            assertThat(acl.pattern().name()).startsWith("careweave");
            assertThat(acl.pattern().resourceType()).isNotEqualTo(ResourceType.CLUSTER);
        });
    }

    @Test
    void theContractsTopicsAreReadAndWrittenButNotDeleted() {
        assertThat(operations(ResourceType.TOPIC, "careweave.", PatternType.PREFIXED)).containsExactlyInAnyOrder(
                AclOperation.DESCRIBE, AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE,
                AclOperation.DESCRIBE_CONFIGS);
    }

    @Test
    void eachStreamsApplicationOwnsItsInternalTopicsTransactionsAndGroup() {
        for (String application : List.of("careweave-mapping", "careweave-processors")) {
            assertThat(operations(ResourceType.TOPIC, application + "-", PatternType.PREFIXED))
                    .containsExactly(AclOperation.ALL);
            assertThat(operations(ResourceType.TRANSACTIONAL_ID, application + "-", PatternType.PREFIXED))
                    .containsExactlyInAnyOrder(AclOperation.WRITE, AclOperation.DESCRIBE);
            assertThat(operations(ResourceType.GROUP, application, PatternType.LITERAL))
                    .containsExactlyInAnyOrder(AclOperation.READ, AclOperation.DESCRIBE);
        }
        assertThat(operations(ResourceType.GROUP, "careweave-replay-", PatternType.PREFIXED))
                .as("replays name their applications careweave-replay-<label>").isNotEmpty();
        assertThat(operations(ResourceType.TRANSACTIONAL_ID, "careweave-optout-load-", PatternType.PREFIXED))
                .containsExactlyInAnyOrder(AclOperation.WRITE, AclOperation.DESCRIBE);
    }

    @Test
    void theCommandPrintsOneKafkaAclsLinePerResource() {
        CommandRun run = CommandRun.of("kafka-acls", "--principal", "User:careweave");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).contains("kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config"
                + " admin.properties --add --allow-principal User:careweave --operation Describe --operation Create"
                + " --operation Read --operation Write --operation DescribeConfigs --topic careweave."
                + " --resource-pattern-type prefixed");
        assertThat(run.outLines()).contains("kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config"
                + " admin.properties --add --allow-principal User:careweave --operation Read --operation Describe"
                + " --group careweave-processors --resource-pattern-type literal");
        assertThat(run.outLines().stream().filter(l -> l.startsWith("kafka-acls.sh"))).hasSize(11);
    }

    @Test
    void aPrincipalWithoutItsTypeIsRefused() {
        CommandRun run = CommandRun.of("kafka-acls", "--principal", "careweave");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("careweave kafka-acls: --principal must have the form Type:name, e.g."
                + " User:careweave" + System.lineSeparator());
    }

    @Test
    void anAnalystMayReadTheSecondaryUseTopicsAndNothingIdentifiable() {
        KafkaAcls analyst = KafkaAcls.analyst("User:research", "careweave.", "research-");

        assertThat(analyst.bindings()).allSatisfy(acl -> {
            assertThat(acl.entry().principal()).isEqualTo("User:research");
            assertThat(acl.entry().operation()).isIn(AclOperation.READ, AclOperation.DESCRIBE);
        });
        assertThat(analyst.bindings()).filteredOn(acl -> acl.pattern().resourceType() == ResourceType.TOPIC)
                .extracting(acl -> acl.pattern().name() + " " + acl.pattern().patternType())
                .containsOnly("careweave.secondary. PREFIXED");
        assertThat(analyst.bindings()).filteredOn(acl -> acl.pattern().resourceType() == ResourceType.GROUP)
                .extracting(acl -> acl.pattern().name()).containsOnly("research-");
        assertThat(org.careweave.schemas.topics.Topics.SECONDARY_PERSONS.name("careweave."))
                .as("the prefix covers the secondary-use topics").startsWith("careweave." + KafkaAcls.SECONDARY_TOPICS);
        assertThat(org.careweave.schemas.topics.Topics.SECONDARY_RESULTS.name("careweave."))
                .startsWith("careweave." + KafkaAcls.SECONDARY_TOPICS);
    }

    @Test
    void theAnalystsGroupsDefaultToItsName() {
        CommandRun run = CommandRun.of("kafka-acls", "--principal", "User:research", "--role", "analyst");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).containsExactly(
                "# ACLs for User:research, role analyst (docs/operations.md, \"Kafka with TLS and SASL\"); run with an"
                        + " administrator's client settings in admin.properties and BOOTSTRAP set.",
                "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config admin.properties --add"
                        + " --allow-principal User:research --operation Read --operation Describe --topic"
                        + " careweave.secondary. --resource-pattern-type prefixed",
                "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config admin.properties --add"
                        + " --allow-principal User:research --operation Read --operation Describe --group research-"
                        + " --resource-pattern-type prefixed");
        assertThat(CommandRun.of("kafka-acls", "--principal", "User:x", "--role", "admin").err())
                .contains("--role must be careweave or analyst, not admin");
    }

    private List<AclOperation> operations(ResourceType type, String name, PatternType pattern) {
        return defaults.bindings().stream()
                .filter(acl -> acl.pattern().resourceType() == type && acl.pattern().name().equals(name)
                        && acl.pattern().patternType() == pattern)
                .map(acl -> acl.entry().operation()).toList();
    }
}
