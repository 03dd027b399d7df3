package org.careweave.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import org.careweave.events.RejectionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterFilesTest {

    private static final Instant AT = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theMessageIsWrittenByteForByteReadableByItsOwnerOnly() throws IOException {
        DeadLetter letter = DeadLetterSelectionTest.letter(2, 41, AT, "RHMX1", RejectionStage.VALIDATION);
        byte[] latin1 = {'M', 'S', 'H', '|', (byte) 0xEB, '\r', 'P', 'I', 'D', '|', (byte) 0xE9};
        letter.message().setPayload(ByteBuffer.wrap(latin1));
        Path folder = dir.resolve("refused");

        DeadLetterFiles.prepare(folder);
        Path file = DeadLetterFiles.write(folder, letter);

        assertThat(file).hasFileName("RHMX1_RHM00041_2-41.hl7");
        assertThat(Files.readAllBytes(file)).isEqualTo(latin1);
        assertThat(letter.message().getPayload().remaining()).as("the record is left as it was")
                .isEqualTo(latin1.length);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    }

    @Test
    void anExistingFileIsNeverOverwritten() throws IOException {
        DeadLetter letter = DeadLetterSelectionTest.letter(0, 1, AT, "RHMX1", RejectionStage.VALIDATION);
        Path file = DeadLetterFiles.write(dir, letter);
        Files.writeString(file, "fixed by hand");

        assertThatThrownBy(() -> DeadLetterFiles.write(dir, letter)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("fixed by hand");
    }

    @Test
    void namesHoldOnlySafeCharacters() {
        DeadLetter odd = DeadLetterSelectionTest.letter(0, 9, AT, "../RH MX1", RejectionStage.VALIDATION);
        odd.message().setControlId("a/b\\c:d");
        assertThat(DeadLetterFiles.fileName(odd)).isEqualTo("__RH_MX1_a_b_c_d_0-9.hl7");

        DeadLetter unreadable = DeadLetterSelectionTest.letter(1, 3, AT, null, RejectionStage.FRAMING);
        assertThat(DeadLetterFiles.fileName(unreadable)).isEqualTo("unknown-facility_no-control-id_1-3.hl7");
    }
}
