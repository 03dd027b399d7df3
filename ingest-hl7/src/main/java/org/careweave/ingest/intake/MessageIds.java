package org.careweave.ingest.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A message's id is derived from its content, so that a verbatim resend (same facility, control id and bytes) has
 * the same id and downstream processing can recognise it.
 */
public final class MessageIds {

    private MessageIds() {
    }

    public static String of(String facility, String controlId, byte[] payload) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(facility.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(controlId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(payload);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
