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

    /** MessageDigest.getInstance looks the provider up on every call; a digest resets itself after digest(). */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    });

    private MessageIds() {
    }

    public static String of(String facility, String controlId, byte[] payload) {
        MessageDigest sha = SHA_256.get();
        sha.reset();
        sha.update(facility.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(controlId.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(payload);
        return HexFormat.of().formatHex(sha.digest());
    }
}
