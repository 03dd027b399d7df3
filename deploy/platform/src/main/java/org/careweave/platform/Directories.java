package org.careweave.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Making a directory only its owner may open (the data dir, which holds patient data), and removing a directory
 * tree: a staging dir that lost a race, a test's platform data dir when its tests end, a benchmark's temporary state.
 */
public final class Directories {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private Directories() {
    }

    /**
     * Creates {@code dir} (and its missing parents, as the umask makes them) so that only its owner can open it:
     * rwx------ where the file system has POSIX permissions, set as it is created, so that what is written in it is
     * never reachable by others, whatever the umask gives the files. An existing one that its group or others may
     * open or list is restricted to its owner; elsewhere (no POSIX permissions) it is created as usual.
     *
     * @return whether an existing directory was restricted (for the caller to say so)
     */
    public static boolean ownerOnly(Path dir) throws IOException {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                        OWNER_ONLY)} : new FileAttribute<?>[0]);
                return false;
            } catch (FileAlreadyExistsException raced) {
                // Another process made it first: checked below as an existing one.
            }
        }
        if (!posix || OWNER_ONLY.containsAll(Files.getPosixFilePermissions(dir))) {
            return false;
        }
        Files.setPosixFilePermissions(dir, EnumSet.copyOf(OWNER_ONLY));
        return true;
    }

    /** Deletes the tree under {@code root}, deepest first; nothing to do when it does not exist. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** As {@link #deleteRecursively}, where a temporary tree left behind is not worth failing for. */
    public static void deleteQuietly(Path root) {
        if (root == null) {
            return;
        }
        try {
            deleteRecursively(root);
        } catch (IOException | UncheckedIOException e) {
            // Left behind under the temporary dir.
        }
    }
}
