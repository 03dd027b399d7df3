package org.careweave.schemas.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** HTTP Basic authentication (RFC 7617) from Confluent's {@code user:password} "user info". */
public final class BasicAuth {

    private BasicAuth() {}

    /** The {@code Authorization} header value for {@code user:password}. */
    public static String headerValue(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}
