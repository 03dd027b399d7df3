package org.careweave.processors.secondary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.careweave.events.PersonView;

/**
 * What a minimised view says to the secondary-use stream, as a digest: SHA-256 over the stream's settings and the
 * view's Avro encoding with its version and update time set aside. The settings (the key, the birth precision and
 * {@link #FORMAT}) are in it so that a new key or precision, or a release that changes what is published, lets every
 * person through again at their next view: with a new key they must be republished under their new pseudonym. A
 * cryptographic digest because a collision would keep a changed result, or a new NHS number, out of the stream.
 * One per processor (not thread-safe).
 */
final class CandidateDigests {

    /** Raise when {@link SecondaryRecords} or {@link SecondaryCandidates} change what they keep. */
    static final int FORMAT = 1;

    private final byte[] settings;
    private final SpecificDatumWriter<PersonView> writer = new SpecificDatumWriter<>(PersonView.class);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
    private final MessageDigest sha256;
    private BinaryEncoder encoder;

    CandidateDigests(byte[] settingsFingerprint) {
        this.settings = settingsFingerprint.clone();
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The digest of what {@code candidate} says; leaves it as it was. */
    byte[] of(PersonView candidate) {
        long version = candidate.getVersion();
        Instant updatedAt = candidate.getUpdatedAt();
        candidate.setVersion(0L);
        candidate.setUpdatedAt(Instant.EPOCH);
        try {
            bytes.reset();
            encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
            writer.write(candidate, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a view in memory", e);
        } finally {
            candidate.setVersion(version);
            candidate.setUpdatedAt(updatedAt);
        }
        sha256.reset();
        sha256.update((byte) FORMAT);
        sha256.update(settings);
        sha256.update(bytes.toByteArray());
        return sha256.digest();
    }
}
