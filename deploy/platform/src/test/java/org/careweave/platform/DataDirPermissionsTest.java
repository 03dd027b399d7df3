package org.careweave.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded platform's data dir holds patient data (hl7.raw's log segments, the processors' state): only its
 * owner may open it, whatever the umask makes of the files Kafka, RocksDB and PostgreSQL write in it.
 */
class DataDirPermissionsTest {

    @BeforeEach
    void posixFileSystem() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "no POSIX permissions on this file system");
    }

    @Test
    void aFreshDataDirIsTheOwnersOnly(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("home/careweave-data");

        FileLock lock = EmbeddedPlatform.lockDataDir(dataDir);
        try {
            assertThat(permissions(dataDir)).isEqualTo("rwx------");
        } finally {
            lock.channel().close();
        }
    }

    @Test
    void anExistingDataDirOthersCouldOpenIsRestrictedToItsOwner(@TempDir Path dir) throws Exception {
        Path dataDir = Files.createDirectory(dir.resolve("careweave-data"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));

        FileLock lock = EmbeddedPlatform.lockDataDir(dataDir);
        try {
            assertThat(permissions(dataDir)).isEqualTo("rwx------");
        } finally {
            lock.channel().close();
        }
    }

    @Test
    void anOwnerOnlyDirIsLeftAsItIs(@TempDir Path dir) throws Exception {
        Path dataDir = Files.createDirectory(dir.resolve("careweave-data"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        assertThat(Directories.ownerOnly(dataDir)).isFalse();

        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx--x---"));
        assertThat(Directories.ownerOnly(dataDir)).as("group may traverse: restricted").isTrue();
        assertThat(permissions(dataDir)).isEqualTo("rwx------");
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
