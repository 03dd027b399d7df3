package org.careweave.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.careweave.events.RawMessage;
import org.careweave.ingest.mllp.MllpClient;
import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.schemas.topics.TopicProvisioner;
import org.careweave.schemas.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

@ExtendWith(EmbeddedPlatformExtension.class)
class LargeMessageIT {

    @Test
    void aMessageJustUnderTheListenersMaximumIsStored(Platform platform) throws Exception {
        String prefix = "it-large.";
        TopicProvisioner.ensureTopics(platform.bootstrapServers(), prefix, 1, (short) 1);
        IngestConfig config = IngestConfig.defaults().withPort(0);
        try (IngestService ingest = IngestService.start(config, platform.kafka(), platform.schemaRegistryUrl(), prefix,
                new SimpleMeterRegistry());
             MllpClient client = MllpClient.connect("127.0.0.1", ingest.port())) {
            StringBuilder big = new StringBuilder(SampleMessages.oruR01("RLARGE", "LARGE-1", SampleMessages.NHS_A,
                    "L1").replace("\n", "\r"));
            int max = config.maxMessageBytes();
            while (big.length() < max - 1100) {
                big.append("NTE|1||").append("x".repeat(1000)).append('\r');
            }
            String ack = client.send(big.toString().getBytes(StandardCharsets.ISO_8859_1));
            assertThat(ack).contains("MSA|AA|LARGE-1");
            assertThat(TopicContents.await(platform, Topics.HL7_RAW.name(prefix),
                    (RawMessage r) -> "LARGE-1".equals(r.getControlId()), 1)).hasSize(1);
        }
    }
}
