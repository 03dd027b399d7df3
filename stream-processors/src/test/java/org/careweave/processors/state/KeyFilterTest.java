package org.careweave.processors.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class KeyFilterTest {

    private static byte[] key(String prefix, int i) {
        return (prefix + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyAddedKeyIsFoundAndFewOthersAre() {
        KeyFilter filter = new KeyFilter(100_000);
        for (int i = 0; i < 100_000; i++) {
            filter.add(key("RHMX1|", i));
        }
        for (int i = 0; i < 100_000; i++) {
            assertThat(filter.mightContain(key("RHMX1|", i))).as("added key %d", i).isTrue();
        }
        int falsePositives = 0;
        for (int i = 0; i < 100_000; i++) {
            if (filter.mightContain(key("RXX99|", i))) {
                falsePositives++;
            }
        }
        // sized for about 1%; a filter that answered "maybe" to everything, or hashed badly, would be far above
        assertThat(falsePositives).isLessThan(1_500);
        assertThat(filter.filters()).isEqualTo(1);
    }

    @Test
    void aFullFilterGrowsAndKeepsFindingTheKeysOfTheFirst() {
        KeyFilter filter = new KeyFilter(1_000);
        for (int i = 0; i < 10_000; i++) {
            filter.add(key("block#", i));
        }
        assertThat(filter.filters()).isGreaterThan(1);
        for (int i = 0; i < 10_000; i++) {
            assertThat(filter.mightContain(key("block#", i))).as("added key %d", i).isTrue();
        }
        int falsePositives = 0;
        for (int i = 0; i < 10_000; i++) {
            if (filter.mightContain(key("other#", i))) {
                falsePositives++;
            }
        }
        // a few filters are asked, each about 1%
        assertThat(falsePositives).isLessThan(500);
    }

    @Test
    void anEmptyFilterHoldsNothing() {
        KeyFilter filter = new KeyFilter(1);
        assertThat(filter.mightContain(key("x", 1))).isFalse();
        filter.add(key("x", 1));
        assertThat(filter.mightContain(key("x", 1))).isTrue();
    }
}
