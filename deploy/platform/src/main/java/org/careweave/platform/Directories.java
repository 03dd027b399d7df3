package org.careweave.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing a directory tree: a staging dir that lost a race, or a test's platform data dir when its tests end. */
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
                try {
                    Files.deleteIfExists(p);
                } catch (NoSuchFileException e) {
                    // Its parent went first (another process cleaning up the same tree): gone is gone.
                }
            }
        }
    }
}
