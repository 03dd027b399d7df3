package org.careweave.processors.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class BlockSerdeTest {

    private final BlockSerde serde = new BlockSerde();

    @Test
    void entriesSurviveTheRoundTripInOrderWithAndWithoutNhsNumbers() {
        StoreBackedMpiState.Block block = new StoreBackedMpiState.Block(
                List.of("RHMX1|RH0000001", "B86001|GP0000007", "RXH01|Ünïcode ½"),
                Arrays.asList("9990000018", null, "9990000026"));

        StoreBackedMpiState.Block read = serde.deserializer().deserialize("t",
                serde.serializer().serialize("t", block));

        assertThat(read).isEqualTo(block);
        assertThat(read.entries()).containsExactly(
                new MpiState.BlockEntry("RHMX1|RH0000001", "9990000018"),
                new MpiState.BlockEntry("B86001|GP0000007", null),
                new MpiState.BlockEntry("RXH01|Ünïcode ½", "9990000026"));
    }

    @Test
    void aRecordJoiningAChunkKeepsTheEntriesBeforeIt() {
        StoreBackedMpiState.Block chunk = new StoreBackedMpiState.Block(List.of(), List.of())
                .with(new MpiState.BlockEntry("RHMX1|RH0000001", null))
                .with(new MpiState.BlockEntry("B86001|GP0000007", "9990000018"));

        StoreBackedMpiState.Block read = serde.deserializer().deserialize("t",
                serde.serializer().serialize("t", chunk));

        assertThat(read.entries()).containsExactly(new MpiState.BlockEntry("RHMX1|RH0000001", null),
                new MpiState.BlockEntry("B86001|GP0000007", "9990000018"));
    }
}
