package org.careweave.store.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {

    @TempDir
    Path dataDir;

    @Test
    void createsARandomTokenReadableByItsOwnerOnly() throws Exception {
        Path file = AdminToken.ensure(dataDir.resolve("careweave-data"));

        assertThat(file).isEqualTo(dataDir.resolve("careweave-data").resolve("admin.token"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(AdminToken.read(file)).hasSize(43);
    }

    @Test
    void keepsAnExistingTokenAndTightensLoosePermissions() throws Exception {
        Path file = AdminToken.ensure(dataDir);
        String token = AdminToken.read(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Path again = AdminToken.ensure(dataDir);

        assertThat(again).isEqualTo(file);
        assertThat(AdminToken.read(again)).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void anEmptyTokenFileIsReplaced() throws Exception {
        Files.createFile(dataDir.resolve(AdminToken.FILE_NAME));

        Path file = AdminToken.ensure(dataDir);

        assertThat(AdminToken.read(file)).hasSize(43);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
