package org.careweave.store.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded admin token: a random token in {@code <data dir>/admin.token}, readable by its owner only, so that
 * {@code careweave up} has a working API without anyone writing a tokens file. The file holds the token in clear (its
 * holder needs it); production deployments put only hashes in {@code api.tokens.file} instead.
 */
public final class AdminToken {

    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);
    public static final String FILE_NAME = "admin.token";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AdminToken() {
    }

    /**
     * Creates {@code <dataDir>/admin.token} with a new random token and permissions 600 if it is absent (or empty),
     * tightens its permissions if they are wider, and returns its path. The token itself is never logged.
     */
    public static Path ensure(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file) && Files.size(file) > 0) {
            ensureOwnerOnly(file);
            return file;
        }
        Files.deleteIfExists(file);
        try {
            // Created with 600 from the start: there is no moment at which another user could read it.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException raced) {
            return ensure(dataDir);
        }
        Files.writeString(file, TokenHash.newToken() + "\n", StandardCharsets.US_ASCII);
        log.info("Created an admin token for the API in {}", file);
        return file;
    }

    /** The token in an admin token file. */
    public static String read(Path file) throws IOException {
        String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (token.isEmpty()) {
            throw new IOException(file + " holds no token");
        }
        return token;
    }

    private static void ensureOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(file);
        if (!current.equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            log.warn("{} was readable by others ({}); its permissions are now 600", file,
                    PosixFilePermissions.toString(current));
        }
    }
}
