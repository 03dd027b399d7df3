package org.careweave.processors.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentValuesTest {

    private final RecentValues<String> byLength = new RecentValues<>(10, value -> ((String) value).length());

    @Test
    void keepsTheMostRecentlyUsedValuesWithinTheWeight() {
        byLength.put("a", "xxxx");
        byLength.put("b", "xxxx");
        byLength.get("a"); // now b is the least recently used
        byLength.put("c", "xxxx");

        assertThat(byLength.get("b")).isNull();
        assertThat(byLength.get("a")).isEqualTo("xxxx");
        assertThat(byLength.get("c")).isEqualTo("xxxx");
        assertThat(byLength.weight()).isEqualTo(8);
    }

    @Test
    void manyLightValuesFitWhereFewHeavyOnesWould() {
        for (int i = 0; i < 10; i++) {
            byLength.put("light" + i, "x");
        }
        assertThat(byLength.size()).isEqualTo(10);

        byLength.put("heavy", "xxxxxxxx");

        assertThat(byLength.size()).isEqualTo(3);
        assertThat(byLength.weight()).isEqualTo(10);
        assertThat(byLength.get("heavy")).isNotNull();
    }

    @Test
    void aReplacedOrRemovedValueNoLongerCounts() {
        byLength.put("a", "xxxxxx");
        byLength.put("a", "xx");
        assertThat(byLength.weight()).isEqualTo(2);

        byLength.remove("a");
        assertThat(byLength.weight()).isZero();
        assertThat(byLength.size()).isZero();
    }

    @Test
    void aValueChangedInPlaceWeighsWhatItWeighedWhenPut() {
        // A write-behind store hands out the object it keeps, and a processor changes it before putting it back (the
        // store then removes the kept copy): the weight taken away must be the weight that was added.
        RecentValues<String> bySize = new RecentValues<>(10, value -> ((StringBuilder) value).length());
        StringBuilder state = new StringBuilder("xx");
        bySize.put("person", state);
        state.append("xxxxxx");

        bySize.remove("person");

        assertThat(bySize.weight()).isZero();
    }

    @Test
    void aValueChangedInPlaceThenEvictedLeavesNoWeightBehind() {
        RecentValues<String> bySize = new RecentValues<>(10, value -> ((StringBuilder) value).length());
        StringBuilder state = new StringBuilder("xx");
        bySize.put("person", state);
        state.append("xxxxxx");
        bySize.put("other", new StringBuilder("xxxxxxxxx"));

        assertThat(bySize.get("person")).isNull();
        assertThat(bySize.weight()).isEqualTo(9);
    }

    @Test
    void aValueHeavierThanTheBoundIsStillKeptAlone() {
        byLength.put("a", "x");
        byLength.put("huge", "xxxxxxxxxxxxxxxxxxxx");

        assertThat(byLength.size()).isEqualTo(1);
        assertThat(byLength.get("huge")).isNotNull();
    }

    @Test
    void weightsAreAtLeastOne() {
        RecentValues<String> empty = new RecentValues<>(3, value -> 0);
        empty.put("a", "");
        empty.put("b", "");
        empty.put("c", "");
        empty.put("d", "");

        assertThat(empty.size()).isEqualTo(3);
        assertThat(empty.get("a")).isNull();
    }
}
