package org.careweave.deadletters;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes dead letters' messages to files, byte for byte as they were received, so that they can be read, fixed and
 * sent again ({@code careweave send}). The files hold patient data: they are readable by their owner only, in a folder
 * only its owner can open when this creates it, and an existing file is never overwritten.
 */
public final class DeadLetterFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private DeadLetterFiles() {
    }

    /** Creates {@code dir} (owner-only) unless it exists. */
    public static void prepare(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, attributes("rwx------"));
        }
    }

    /**
     * Writes the message to a new file in {@code dir} and returns it.
     *
     * @throws java.nio.file.FileAlreadyExistsException when that dead letter was exported there before
     */
    public static Path write(Path dir, DeadLetter letter) throws IOException {
        Path file = Files.createFile(dir.resolve(fileName(letter)), attributes("rw-------"));
        ByteBuffer payload = letter.message().getPayload().duplicate();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        Files.write(file, bytes);
        return file;
    }

    /**
     * {@code FACILITY_CONTROLID_PARTITION-OFFSET.hl7}: the position makes it unique, the rest tells a person what it
     * is. Characters a file name should not hold become {@code _}.
     */
    static String fileName(DeadLetter letter) {
        return safe(letter.message().getSendingFacility(), "unknown-facility") + "_"
                + safe(letter.message().getControlId(), "no-control-id") + "_"
                + letter.position().partition() + "-" + letter.position().offset() + ".hl7";
    }

    private static String safe(String text, String absent) {
        if (text == null || text.isBlank()) {
            return absent;
        }
        String cleaned = text.replaceAll("[^A-Za-z0-9.-]", "_").replaceAll("^\\.+", "_");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) : cleaned;
    }

    private static FileAttribute<?>[] attributes(String permissions) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(permissions))} : new FileAttribute<?>[0];
    }
}
