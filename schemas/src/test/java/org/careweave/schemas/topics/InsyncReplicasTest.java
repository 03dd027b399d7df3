package org.careweave.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.careweave.schemas.topics.InsyncReplicas.Found;
import org.junit.jupiter.api.Test;

/** Which existing topics careweave warns of at startup: acknowledged writes that may rest on one broker's copy. */
class InsyncReplicasTest {

    @Test
    void aTopicWithThreeReplicasAndOneInSyncIsReported() {
        Map<String, Found> found = Map.of(
                "careweave.hl7.raw", new Found(3, 1),
                "careweave.person.views", new Found(3, 2),
                "careweave.optout", new Found(5, 3),
                "careweave.results.current", new Found(2, 1),
                "careweave.person.golden", new Found(1, 1));

        assertThat(InsyncReplicas.tooFew(found)).containsExactly("careweave.hl7.raw");
    }

    @Test
    void theCommandRequiresTwoCopies() {
        assertThat(InsyncReplicas.command("careweave.hl7.raw"))
                .endsWith("--entity-name careweave.hl7.raw --add-config min.insync.replicas=2");
    }
}
