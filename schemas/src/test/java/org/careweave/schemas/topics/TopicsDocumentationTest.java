package org.careweave.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** docs/topics.md is the public contract for people; it must say what the code does. */
class TopicsDocumentationTest {

    private static final Path DOC = Path.of("..", "docs", "topics.md");

    @Test
    void everyTopicIsDocumentedWithItsValueKeyCleanupAndRetention() throws IOException {
        Map<String, List<String>> rows = documentedRows();
        for (Topic<?> topic : Topics.all()) {
            assertThat(rows).as("docs/topics.md row for %s", topic.suffix()).containsKey(topic.suffix());
            List<String> cells = rows.get(topic.suffix());
            assertThat(cells.get(1)).as("value of %s", topic.suffix())
                    .isEqualTo("`" + topic.valueType().getSimpleName() + "`");
            assertThat(cells.get(2).replace("\\|", "|")).as("key of %s", topic.suffix()).isEqualTo(topic.key());
            assertThat(cells.get(3)).as("cleanup of %s", topic.suffix())
                    .isEqualTo(topic.cleanup().name().toLowerCase(Locale.ROOT));
            assertThat(cells.get(4)).as("retention of %s", topic.suffix()).isEqualTo(retention(topic.retention()));
            assertThat(cells.get(5)).as("description of %s", topic.suffix()).isEqualTo(topic.description());
        }
        assertThat(rows.keySet()).as("documented topics that the code does not declare")
                .containsExactlyInAnyOrderElementsOf(Topics.all().stream().map(Topic::suffix).toList());
    }

    @Test
    void everyCompactionLagIsDocumentedWithItsTopics() throws IOException {
        List<String> paragraphs = List.of(Files.readString(DOC).split("\n\\s*\n"));
        for (Topic<?> topic : Topics.all()) {
            if (topic.maxCompactionLag() == null) {
                continue;
            }
            String setting = "max.compaction.lag.ms=" + topic.maxCompactionLag().toMillis();
            assertThat(paragraphs).as("a paragraph of docs/topics.md giving %s its %s", topic.suffix(), setting)
                    .anyMatch(p -> p.contains(setting) && p.contains("`" + topic.suffix() + "`"));
        }
    }

    @Test
    void topicNamesAreUniqueAndFollowTheDefaultPrefix() {
        assertThat(Topics.all()).extracting(t -> t.name(Topics.DEFAULT_PREFIX)).doesNotHaveDuplicates()
                .allMatch(name -> name.startsWith("careweave."));
        assertThat(Topics.HL7_RAW.valueSubject(Topics.DEFAULT_PREFIX)).isEqualTo("careweave.hl7.raw-value");
    }

    private static String retention(Duration retention) {
        return retention == null ? "forever" : retention.toDays() + " days";
    }

    private static Map<String, List<String>> documentedRows() throws IOException {
        return Files.readAllLines(DOC).stream()
                .filter(line -> line.startsWith("| `") && !line.contains("127.0.0.1"))
                .map(TopicsDocumentationTest::cells)
                .collect(Collectors.toMap(cells -> cells.get(0).replace("`", ""), Function.identity()));
    }

    /** Splits a markdown table row on unescaped pipes. */
    private static List<String> cells(String line) {
        String inner = line.substring(1, line.length() - 1);
        return java.util.Arrays.stream(inner.split("(?<!\\\\)\\|")).map(String::trim).toList();
    }
}
