package org.careweave.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.careweave.ingest.Hl7Fixtures;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    private static final byte[] PAYLOAD = Hl7Fixtures.bytes("adt_a01.hl7");

    @Test
    void isAHexSha256() {
        assertThat(MessageIds.of("RHMX1", "RHMX1-ADT-000101", PAYLOAD)).matches("[0-9a-f]{64}");
    }

    @Test
    void aVerbatimResendHasTheSameId() {
        assertThat(MessageIds.of("RHMX1", "RHMX1-ADT-000101", PAYLOAD))
                .isEqualTo(MessageIds.of("RHMX1", "RHMX1-ADT-000101", PAYLOAD.clone()));
    }

    @Test
    void differsByFacilityControlIdOrContent() {
        String id = MessageIds.of("RHMX1", "RHMX1-ADT-000101", PAYLOAD);
        byte[] changed = PAYLOAD.clone();
        changed[changed.length - 2] ^= 1;

        assertThat(MessageIds.of("RHMX2", "RHMX1-ADT-000101", PAYLOAD)).isNotEqualTo(id);
        assertThat(MessageIds.of("RHMX1", "RHMX1-ADT-000102", PAYLOAD)).isNotEqualTo(id);
        assertThat(MessageIds.of("RHMX1", "RHMX1-ADT-000101", changed)).isNotEqualTo(id);
    }

    @Test
    void theFieldsAreSeparatedSoTheyCannotRunTogether() {
        byte[] payload = "x".getBytes(StandardCharsets.US_ASCII);

        assertThat(MessageIds.of("AB", "C", payload)).isNotEqualTo(MessageIds.of("A", "BC", payload));
        assertThat(MessageIds.of("A", "Bx", new byte[0])).isNotEqualTo(MessageIds.of("A", "B", payload));
    }

    @Test
    void isTheSha256OfFacilityControlIdAndPayloadSeparatedByZeroBytes() {
        // Known answers, computed independently: sha256(b"\x00\x00") and sha256(b"RHMX1\x00C1\x00MSH|^~\\&").
        assertThat(MessageIds.of("", "", new byte[0]))
                .isEqualTo("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
        assertThat(MessageIds.of("RHMX1", "C1", "MSH|^~\\&".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("1145ff97c7e552e47703404d9fcb9bafe5274826d69f33b4fc0ef240e9b75019");
    }
}
