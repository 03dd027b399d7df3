package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapAdviceTest {

    private static final long MIB = 1L << 20;

    @Test
    void aHeapOfOneGibibyteIsWarnedAboutWithItsSizeAndTheFix() {
        assertThat(HeapAdvice.forProcessors(1024 * MIB)).hasValueSatisfying(warning -> assertThat(warning)
                .contains("1024 MiB").contains("2 GiB").contains("-Xmx2g"));
    }

    @Test
    void twoGibibytesPassAlsoWhenTheCollectorReportsASurvivorSpaceLess() {
        assertThat(HeapAdvice.forProcessors(2048 * MIB)).isEmpty();
        assertThat(HeapAdvice.forProcessors(2048 * MIB - 85 * MIB)).isEmpty();
        assertThat(HeapAdvice.forProcessors(1900 * MIB)).isPresent();
    }

    @Test
    void noLimitAndLargeHeapsPass() {
        assertThat(HeapAdvice.forProcessors(Long.MAX_VALUE)).isEmpty();
        assertThat(HeapAdvice.forProcessors(6 * 1024 * MIB)).isEmpty();
    }
}
