package org.careweave.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void headerIsMagicByteThenBigEndianSchemaId() {
        assertThat(WireFormat.header(0x01020304)).containsExactly(0, 1, 2, 3, 4);
        assertThat(WireFormat.header(1)).containsExactly(0, 0, 0, 0, 1);
    }

    @Test
    void schemaIdRoundTripsThroughTheHeader() {
        for (int id : new int[] {0, 1, 255, 256, 65_537, Integer.MAX_VALUE}) {
            byte[] record = concat(WireFormat.header(id), new byte[] {42});
            assertThat(WireFormat.schemaId("t", record)).isEqualTo(id);
        }
    }

    @Test
    void wrongMagicByteNamesTopicAndFirstByteButNotTheContent() {
        byte[] json = "{\"nhsNumber\":\"9990000018\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WireFormat.schemaId("patient.events", json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not in the Confluent wire format")
                .hasMessageContaining("'patient.events'")
                .hasMessageContaining("0x7b")
                .hasMessageNotContaining("9990000018");
    }

    @Test
    void tooShortOrEmptyDataIsRefused() {
        assertThatThrownBy(() -> WireFormat.schemaId("t", new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("too short");
        assertThatThrownBy(() -> WireFormat.schemaId("t", new byte[0]))
                .isInstanceOf(SerializationException.class).hasMessageContaining("empty");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
