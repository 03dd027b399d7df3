package org.careweave.processors.secondary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret behind every pseudonym. Whoever holds it can recompute a person's pseudonym from their person id, so it
 * is kept like a password: never logged, never printed, readable by its owner only. A different key gives different
 * pseudonyms for everyone (see docs/secondary-use.md on rotation).
 */
public final class PseudonymKey {

    /** 32 characters of a generated key carry 192 bits; shorter keys are refused as guessable. */
    public static final int MIN_LENGTH = 32;
    public static final String FILE_NAME = "pseudonym.key";

    private static final Logger log = LoggerFactory.getLogger(PseudonymKey.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final String text;

    private PseudonymKey(String text) {
        this.text = text;
    }

    /** The key as configured; refused when empty or shorter than {@value #MIN_LENGTH} characters. */
    public static PseudonymKey of(String text) {
        String key = text == null ? "" : text.strip();
        if (key.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(SecondaryConfig.PSEUDONYM_KEY.key() + " ("
                    + SecondaryConfig.PSEUDONYM_KEY.environmentVariable() + ") must be at least " + MIN_LENGTH
                    + " characters; generate one with: openssl rand -base64 32");
        }
        return new PseudonymKey(key);
    }

    /**
     * The key kept in {@code <dataDir>/pseudonym.key}, generated (256 random bits) and written readable by the owner
     * only when absent. For the embedded platform, where nobody configures a secret; a deployment sets
     * {@code CAREWEAVE_SECONDARY_PSEUDONYM_KEY} from its secret store instead.
     */
    public static PseudonymKey ensure(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                create(file);
            }
            restrictToOwner(file);
            return of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the pseudonym key file " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Arrays.fill(random, (byte) 0);
        try {
            if (posix(file)) {
                // Created with its final permissions, so the secret is never readable by others, not even briefly.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException raced) {
            return; // another process created it first: use theirs
        }
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        log.info("Generated a pseudonym key in {}", file);
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (posix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, EnumSet.copyOf(OWNER_ONLY));
            log.warn("Pseudonym key file {} was readable by others; restricted it to its owner", file);
        }
    }

    private static boolean posix(Path file) {
        return Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null;
    }

    /** The secret itself, for the HMAC and for handing to another setting; never log it. */
    public String text() {
        return text;
    }

    byte[] bytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PseudonymKey[hidden]";
    }
}
