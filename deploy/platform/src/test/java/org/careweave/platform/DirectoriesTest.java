package org.careweave.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoriesTest {

    @Test
    void aTreeGoesDeepestFirstAndAMissingOneIsNothingToDo(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("data");
        Files.createDirectories(root.resolve("kafka/topic-0"));
        Files.writeString(root.resolve("kafka/topic-0/00000.log"), "records");
        Files.writeString(root.resolve("admin.token"), "secret");

        Directories.deleteRecursively(root);

        assertThat(root).doesNotExist();
        Directories.deleteRecursively(root);
        Directories.deleteQuietly(root);
        Directories.deleteQuietly(null);
    }

    @Test
    void aSingleFileIsDeletedToo(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("careweave-copy.jar"), "jar");

        Directories.deleteQuietly(jar);

        assertThat(jar).doesNotExist();
    }
}
