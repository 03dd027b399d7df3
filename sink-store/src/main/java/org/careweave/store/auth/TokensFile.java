package org.careweave.store.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The API's tokens file: one token per line as {@code <sha256-hex> <role> <subject>}, where the subject (the rest of
 * the line) names the holder for the audit trail. Blank lines and lines starting with {@code #} are ignored. Only
 * hashes are kept, so the file reveals no usable token.
 *
 * <pre>
 * # careweave API tokens
 * 3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b clinician Dr A Example (RHMX1)
 * </pre>
 */
public final class TokensFile {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private TokensFile() {
    }

    /** hash → caller. Errors name the line number and the problem, never the line. */
    public static Map<String, Caller> parse(List<String> lines) {
        Map<String, Caller> byHash = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+", 3);
            int number = i + 1;
            if (fields.length < 3 || fields[2].isBlank()) {
                throw new IllegalArgumentException("line " + number + ": expected <sha256-hex> <role> <subject>");
            }
            String hash = fields[0].toLowerCase(Locale.ROOT);
            if (!SHA256_HEX.matcher(hash).matches()) {
                throw new IllegalArgumentException("line " + number
                        + ": the first field must be the token's SHA-256 as 64 hex digits, not the token");
            }
            Role role;
            try {
                role = Role.parse(fields[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + number + ": " + e.getMessage(), e);
            }
            if (byHash.putIfAbsent(hash, new Caller(fields[2].strip(), role)) != null) {
                throw new IllegalArgumentException("line " + number + ": the same token hash is listed twice");
            }
        }
        return Map.copyOf(byHash);
    }

    public static Map<String, Caller> read(Path file) throws IOException {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ", " + e.getMessage(), e);
        }
    }

    /** The line to add for a token: its hash, role and subject. */
    public static String line(String token, Role role, String subject) {
        return TokenHash.sha256Hex(token) + " " + role.id() + " " + subject;
    }
}
