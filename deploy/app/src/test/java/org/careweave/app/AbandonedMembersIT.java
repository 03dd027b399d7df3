package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A group member whose process was killed outright holds its partitions until its session times out (45 s). Taken
 * out at the next start, the new member gets them at once. The killed member is a consumer in a child JVM.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class AbandonedMembersIT {

    private static final String TOPIC = "abandoned-members-it";
    private static final String GROUP = "abandoned-members-it-group";

    @Test
    void aKilledMembersPartitionsGoToTheNextMemberWithoutWaitingForItsSession(Platform platform) throws Exception {
        try (Admin admin = Admin.create(platform.kafka().clientConfig())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Process member = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Member.class.getName(), platform.bootstrapServers())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(member.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("ASSIGNED")) {
                // its Kafka client's log lines
            }
            assertThat(line).as("the child joined the group").startsWith("ASSIGNED");
            member.toHandle().destroyForcibly();
        }
        assertThat(member.waitFor(30, TimeUnit.SECONDS)).isTrue();
        try (Admin admin = Admin.create(platform.kafka().clientConfig())) {
            assertThat(admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP).members())
                    .as("the killed member is still in the group").hasSize(1);
        }

        Map<String, Integer> removed = AbandonedMembers.remove(platform.kafka().clientConfig(), List.of(GROUP,
                "a-group-with-no-members"));

        assertThat(removed).containsExactly(Map.entry(GROUP, 1));
        try (KafkaConsumer<String, String> next = consumer(platform.bootstrapServers())) {
            next.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (next.assignment().size() < 2 && System.nanoTime() < deadline) {
                next.poll(Duration.ofMillis(200));
            }
            assertThat(next.assignment()).as("both partitions, well inside the killed member's 45 s session")
                    .hasSize(2);
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45_000);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** The member to kill: joins the group, says so, and waits. */
    public static final class Member {

        public static void main(String[] args) throws Exception {
            try (KafkaConsumer<String, String> consumer = consumer(args[0])) {
                consumer.subscribe(List.of(TOPIC));
                while (consumer.assignment().isEmpty()) {
                    consumer.poll(Duration.ofMillis(200));
                }
                System.out.println("ASSIGNED " + consumer.assignment().size());
                while (true) {
                    consumer.poll(Duration.ofMillis(500));
                }
            }
        }
    }
}
