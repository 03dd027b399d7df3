package org.careweave.processors.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.careweave.processors.state.RecordingStore;
import org.junit.jupiter.api.Test;

class StoreBackedMpiStateTest {

    private final RecordingStore<StoreBackedMpiState.Block> blocks = new RecordingStore<>(StoreBackedMpiState.BLOCKS);
    private final StoreBackedMpiState state = new StoreBackedMpiState(new RecordingStore<>("records"),
            new RecordingStore<>("links"), new RecordingStore<>("persons"), blocks, new RecordingStore<>("counters"),
            new RecordingStore<>("different"));

    @Test
    void aBlockIsFiledInChunksAndReadBackInOrder() {
        List<MpiState.BlockEntry> filed = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            MpiState.BlockEntry entry = new MpiState.BlockEntry("RHMX1|L" + i, i % 2 == 0 ? null : "99900000" + i);
            assertThat(state.addToBlock("k", entry, 200)).isTrue();
            filed.add(entry);
        }

        assertThat(state.block("k")).containsExactlyElementsOf(filed);
        assertThat(blocks.data.keySet()).containsExactly("k#0", "k#1", "k#2");
        assertThat(blocks.data.get("k#0").sourceKeys()).hasSize(StoreBackedMpiState.BLOCK_CHUNK);
        assertThat(blocks.data.get("k#2").sourceKeys()).hasSize(60 - 2 * StoreBackedMpiState.BLOCK_CHUNK);
    }

    @Test
    void aFullBlockTakesNoMoreRecords() {
        for (int i = 0; i < 30; i++) {
            state.addToBlock("k", new MpiState.BlockEntry("RHMX1|L" + i, null), 30);
        }

        assertThat(state.addToBlock("k", new MpiState.BlockEntry("RHMX1|L30", null), 30)).isFalse();
        assertThat(state.addToBlock("k", new MpiState.BlockEntry("RHMX1|L31", null), 25)).isFalse();
        assertThat(state.block("k")).hasSize(30).noneMatch(e -> e.sourceKey().equals("RHMX1|L30"));
        assertThat(state.block("other")).isEmpty();
        assertThat(state.addToBlock("other", new MpiState.BlockEntry("RHMX1|L30", null), 30)).isTrue();
    }
}
