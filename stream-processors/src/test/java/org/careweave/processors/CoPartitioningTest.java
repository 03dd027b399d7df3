package org.careweave.processors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CoPartitioningTest {

    @Test
    void theTopicsReadTogetherAreRoutingsInputsAndTheGoldenRecords() {
        assertThat(CoPartitioning.topics("cw.")).containsExactly("cw.identity.links", "cw.observation.events",
                "cw.encounter.events", "cw.person.golden");
    }

    @Test
    void equalCountsAreFine() {
        assertThat(CoPartitioning.mismatch(counts(12, 12, 12, 12))).isEmpty();
    }

    @Test
    void aRoutingInputWithAnotherCountIsNamedWithEveryCount() {
        assertThat(CoPartitioning.mismatch(counts(12, 3, 12, 12))).hasValueSatisfying(why -> assertThat(why)
                .contains("cw.identity.links has 12, cw.observation.events has 3, cw.encounter.events has 12,"
                        + " cw.person.golden has 12")
                .contains("same number of partitions"));
    }

    @Test
    void goldenRecordsWithAnotherCountThanRoutingAreRefused() {
        assertThat(CoPartitioning.mismatch(counts(3, 3, 3, 1))).hasValueSatisfying(why -> assertThat(why)
                .contains("cw.person.golden has 1"));
    }

    private static Map<String, Integer> counts(int links, int observations, int encounters, int golden) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("cw.identity.links", links);
        counts.put("cw.observation.events", observations);
        counts.put("cw.encounter.events", encounters);
        counts.put("cw.person.golden", golden);
        return counts;
    }
}
