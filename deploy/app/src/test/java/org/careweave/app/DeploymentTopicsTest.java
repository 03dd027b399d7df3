package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.careweave.ingest.mapping.MappingConfig;
import org.careweave.processors.ProcessorsConfig;
import org.careweave.schemas.topics.Topic;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

/**
 * Topic names and consumer groups in the deployment files and docs/operations.md are the code's: a name in a runbook
 * command or an alert that does not exist would send an operator after nothing.
 */
class DeploymentTopicsTest {

    /**
     * A dotted careweave name: careweave.hl7.raw, careweave.v2.person.views, careweave.ingest.messages. Not one that
     * is part of a longer dotted name (org.careweave.app).
     */
    private static final Pattern DOTTED_NAME = Pattern.compile("(?<![\\w.])careweave(\\.[a-z0-9][a-z0-9-]*)+\\.?");
    /** A replay into a new set of topics writes under <prefix><version>. (careweave replay --into v2). */
    private static final Pattern VERSIONED = Pattern.compile("careweave\\.v\\d+\\.(.+)");
    private static final Set<String> FILE_EXTENSIONS = Set.of("env", "jar", "json", "yml", "yaml", "md", "p12",
            "txt", "cfg", "sh", "crt", "token");
    private static final Pattern CONSUMER_GROUP = Pattern.compile("(?:--group\\s+|group=~?\")([A-Za-z0-9<>._-]+)");

    @Test
    void everyDottedCareweaveNameIsATopicOrADocumentedMetric() {
        Set<String> metrics = MetricsDocumentation.read().micrometerNames();
        List<String> unknown = new ArrayList<>();
        for (Path file : filesNamingTopics()) {
            Matcher name = DOTTED_NAME.matcher(DeploymentFiles.read(file));
            while (name.find()) {
                String text = name.group();
                if (text.endsWith(".")) {
                    continue; // a prefix, e.g. careweave. or careweave.v2.
                }
                String last = text.substring(text.lastIndexOf('.') + 1);
                if (FILE_EXTENSIONS.contains(last) || metrics.contains(text) || isTopic(text)) {
                    continue;
                }
                unknown.add(DeploymentFiles.relative(file) + ": " + text);
            }
        }
        assertThat(unknown).as("names that are neither a topic of Topics nor a metric of docs/operations.md")
                .isEmpty();
    }

    @Test
    void theSizingCoversEveryTopic() {
        String operations = DeploymentFiles.read(DeploymentFiles.OPERATIONS);
        String sizing = operations.substring(operations.indexOf("### Storage and retention"),
                operations.indexOf("### Partitions"));
        for (Topic<?> topic : Topics.all()) {
            assertThat(sizing).as("docs/operations.md sizes %s", topic.suffix()).contains("`" + topic.suffix() + "`");
        }
    }

    @Test
    void consumerGroupsAreTheProcessorsApplicationIds() {
        Set<String> groups = Set.of(MappingConfig.APPLICATION_ID.defaultValue(),
                ProcessorsConfig.APPLICATION_ID.defaultValue());
        List<String> found = new ArrayList<>();
        for (Path file : filesNamingTopics()) {
            Matcher group = CONSUMER_GROUP.matcher(DeploymentFiles.read(file));
            while (group.find()) {
                String name = group.group(1);
                // Placeholders such as <its group> stand for a downstream consumer's own group.
                if (!name.startsWith("<")) {
                    found.add(name);
                }
            }
        }
        assertThat(found).isNotEmpty().allSatisfy(name -> assertThat(groups).contains(name));
    }

    @Test
    void theIdentityRepartitionTopicNamedInTheSizingIsTheProcessors() {
        String operations = DeploymentFiles.read(DeploymentFiles.OPERATIONS);
        assertThat(operations).contains("`" + ProcessorsConfig.APPLICATION_ID.defaultValue()
                + "-identity-input-repartition`");
    }

    private static List<Path> filesNamingTopics() {
        List<Path> files = new ArrayList<>(DeploymentFiles.all());
        files.add(DeploymentFiles.OPERATIONS);
        return files;
    }

    private static boolean isTopic(String name) {
        Matcher versioned = VERSIONED.matcher(name);
        String suffix = versioned.matches() ? versioned.group(1) : name.substring(Topics.DEFAULT_PREFIX.length());
        return Topics.all().stream().anyMatch(t -> t.suffix().equals(suffix));
    }
}
