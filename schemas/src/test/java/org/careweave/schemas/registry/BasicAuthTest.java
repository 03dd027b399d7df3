package org.careweave.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicAuthTest {

    @Test
    void encodesUserInfoAsRfc7617Says() {
        // The RFC's own example.
        assertThat(BasicAuth.headerValue("Aladdin:open sesame")).isEqualTo("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    @Test
    void encodesNonAsciiAsUtf8() {
        String header = BasicAuth.headerValue("zoë:pässword");
        byte[] decoded = Base64.getDecoder().decode(header.substring("Basic ".length()));
        assertThat(new String(decoded, StandardCharsets.UTF_8)).isEqualTo("zoë:pässword");
    }
}
