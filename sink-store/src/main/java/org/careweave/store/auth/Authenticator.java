package org.careweave.store.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an Authorization header into a {@link Caller}. Tokens come from the tokens file (hashes) and, embedded, from
 * the admin token file; the tokens file is read again when it changes, so tokens can be added or revoked without a
 * restart. A tokens file that no longer parses is refused and the tokens read before stay in force (logged).
 */
public final class Authenticator {

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
    private static final Duration RECHECK = Duration.ofSeconds(1);
    public static final String ADMIN_TOKEN_SUBJECT = "admin (embedded admin token)";

    /** The outcome of authenticating one request. */
    public sealed interface Result permits Authenticated, Missing, Invalid {
    }

    public record Authenticated(Caller caller) implements Result {
    }

    public record Missing() implements Result {
    }

    public record Invalid(String why) implements Result {
    }

    private final Optional<Path> tokensFile;
    private final Map<String, Caller> fixed;
    private volatile Map<String, Caller> fromFile = Map.of();
    private volatile FileTime loadedVersion;
    private volatile Instant lastCheck = Instant.EPOCH;

    private Authenticator(Optional<Path> tokensFile, Map<String, Caller> fixed) {
        this.tokensFile = tokensFile;
        this.fixed = Map.copyOf(fixed);
    }

    /**
     * @param tokensFile     hashed tokens (see {@link TokensFile}); read now, and refused at once if it is invalid
     * @param adminTokenFile a file holding one admin token in clear (embedded mode, see {@link AdminToken})
     */
    public static Authenticator from(Optional<Path> tokensFile, Optional<Path> adminTokenFile) throws IOException {
        Map<String, Caller> fixed = new HashMap<>();
        if (adminTokenFile.isPresent()) {
            fixed.put(TokenHash.sha256Hex(AdminToken.read(adminTokenFile.get())),
                    new Caller(ADMIN_TOKEN_SUBJECT, Role.ADMIN));
        }
        Authenticator authenticator = new Authenticator(tokensFile, fixed);
        if (tokensFile.isPresent()) {
            authenticator.fromFile = TokensFile.read(tokensFile.get());
            authenticator.loadedVersion = Files.getLastModifiedTime(tokensFile.get());
        }
        if (tokensFile.isEmpty() && adminTokenFile.isEmpty()) {
            log.warn("No API tokens are configured (api.tokens.file): every person request will be refused with 401");
        }
        return authenticator;
    }

    /** For tests and embedding: a fixed set of hashed tokens. */
    public static Authenticator of(Map<String, Caller> callersByTokenHash) {
        return new Authenticator(Optional.empty(), callersByTokenHash);
    }

    public Result authenticate(String authorizationHeader) {
        BearerToken.Parsed parsed = BearerToken.parse(authorizationHeader);
        if (parsed instanceof BearerToken.Absent) {
            return new Missing();
        }
        if (parsed instanceof BearerToken.Malformed malformed) {
            return new Invalid(malformed.why());
        }
        String hash = TokenHash.sha256Hex(((BearerToken.Present) parsed).token());
        reloadIfChanged();
        Caller caller = fixed.get(hash);
        if (caller == null) {
            caller = fromFile.get(hash);
        }
        return caller == null ? new Invalid("unknown or revoked token") : new Authenticated(caller);
    }

    private void reloadIfChanged() {
        if (tokensFile.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        if (Duration.between(lastCheck, now).compareTo(RECHECK) < 0) {
            return;
        }
        lastCheck = now;
        Path file = tokensFile.get();
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(loadedVersion)) {
                return;
            }
            synchronized (this) {
                fromFile = TokensFile.read(file);
                loadedVersion = modified;
            }
            log.info("API tokens file reloaded: {} tokens", fromFile.size());
        } catch (IOException | IllegalArgumentException e) {
            log.error("API tokens file could not be reloaded, keeping the tokens read before: {}", e.getMessage());
            synchronized (this) {
                try {
                    loadedVersion = Files.getLastModifiedTime(file);
                } catch (IOException ignored) {
                    // Try again at the next check.
                }
            }
        }
    }
}
