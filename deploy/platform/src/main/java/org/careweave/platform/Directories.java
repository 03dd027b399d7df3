package org.careweave.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removing a directory tree: a staging dir that lost a race, a test's platform data dir when its tests end, a
 * benchmark's temporary state.
 */
public final class Directories {

    private Directories() {
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
