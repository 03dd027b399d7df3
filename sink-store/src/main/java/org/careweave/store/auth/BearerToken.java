package org.careweave.store.auth;

import java.util.Locale;
import java.util.regex.Pattern;

/** The token of an {@code Authorization: Bearer <token>} header (RFC 6750). */
public final class BearerToken {

    /** RFC 6750 b64token. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    /** What a header held: nothing, something unusable (with why), or a token. */
    public sealed interface Parsed permits Absent, Malformed, Present {
    }

    public record Absent() implements Parsed {
    }

    public record Malformed(String why) implements Parsed {
    }

    public record Present(String token) implements Parsed {
        /** Never prints the token. */
        @Override
        public String toString() {
            return "Present[token=(hidden)]";
        }
    }

    private BearerToken() {
    }

    public static Parsed parse(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return new Absent();
        }
        String header = authorizationHeader.strip();
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return new Malformed("the Authorization header must use the Bearer scheme");
        }
        String token = header.substring(space + 1).strip();
        if (!B64TOKEN.matcher(token).matches()) {
            return new Malformed("the bearer token is empty or has characters a token cannot have");
        }
        return new Present(token);
    }
}
