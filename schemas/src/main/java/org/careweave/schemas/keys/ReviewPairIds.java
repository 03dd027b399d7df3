package org.careweave.schemas.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The key of {@code identity.review} and {@code identity.decisions}: a review pair's id. Identity derives it when it
 * raises a pair; the command line and the API derive it for a separation no review asked for. All must derive the
 * same id from the same two identifiers, so that a pair raised again, or a decision sent twice, is one pair.
 */
public final class ReviewPairIds {

    /** The reason of a separation's pair: apart from every reason identity raises pairs for. */
    public static final String SEPARATION = "SEPARATE";
    /** The reason of a link people made between two records no review named. */
    public static final String LINK = "LINK";

    private ReviewPairIds() {
    }

    /** The pair of two identifiers ({@code system|value}) for a reason: the same whichever comes first. */
    public static String of(String one, String other, String reason) {
        String a = one.compareTo(other) <= 0 ? one : other;
        String b = a.equals(one) ? other : one;
        return "pair-" + sha256Hex(a + "\u0000" + b + "\u0000" + reason).substring(0, 24);
    }

    /** The pair of a decision that two records found on one person are different patients. */
    public static String separation(String record, String other) {
        return of(record, other, SEPARATION);
    }

    /** The pair of a decision that two records on different persons are one patient. */
    public static String link(String record, String other) {
        return of(record, other, LINK);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
