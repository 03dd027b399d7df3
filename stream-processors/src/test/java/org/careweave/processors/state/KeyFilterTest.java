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
        assertAllFound(filter, "RHMX1|", 100_000);
        // sized for about 1%; a filter that answered "maybe" to everything, or hashed badly, would be far above
        assertThat(maybes(filter, "RXX99|", 100_000)).isLessThan(1_500);
        assertThat(filter.filters()).isEqualTo(1);
    }

    @Test
    void aFullFilterGrowsAndKeepsFindingTheKeysOfTheFirst() {
        KeyFilter filter = new KeyFilter(1_000);
        for (int i = 0; i < 10_000; i++) {
            filter.add(key("block#", i));
        }
        assertThat(filter.filters()).isGreaterThan(1);
        assertAllFound(filter, "block#", 10_000);
        // a few filters are asked, each about 1%
        assertThat(maybes(filter, "other#", 10_000)).isLessThan(500);
    }

    @Test
    void anEmptyFilterHoldsNothing() {
        KeyFilter filter = new KeyFilter(1);
        assertThat(filter.mightContain(key("x", 1))).isFalse();
        filter.add(key("x", 1));
        assertThat(filter.mightContain(key("x", 1))).isTrue();
    }

    private static void assertAllFound(KeyFilter filter, String prefix, int keys) {
        for (int i = 0; i < keys; i++) {
            assertThat(filter.mightContain(key(prefix, i))).as("added key %s%d", prefix, i).isTrue();
        }
    }

    /** How many of these keys, none of them added, the filter answers "maybe" to. */
    private static int maybes(KeyFilter filter, String prefix, int keys) {
        int maybes = 0;
        for (int i = 0; i < keys; i++) {
            if (filter.mightContain(key(prefix, i))) {
                maybes++;
            }
        }
        return maybes;
    }
}
