package org.careweave.processors.views;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.careweave.events.PersonView;

/**
 * What a view shows, as a digest: SHA-256 of its Avro encoding with the version and the time set aside, so two views
 * that differ only in those have the same digest. A cryptographic digest rather than a 64-bit hash because a
 * collision would silently keep a changed record from clinicians (or a changed result from the secondary-use stream).
 * One per processor (not thread-safe).
 */
public final class ViewDigests {

    private final byte[] salt;
    private final SpecificDatumWriter<PersonView> writer = new SpecificDatumWriter<>(PersonView.class);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    private final MessageDigest sha256;
    private BinaryEncoder encoder;

    public ViewDigests() {
        this(new byte[0]);
    }

    /** Digests that also cover {@code salt}: for a reader whose settings change what the same view means to it. */
    public ViewDigests(byte[] salt) {
        this.salt = salt.clone();
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The digest of what {@code view} shows; leaves the view as it was. */
    public ByteBuffer of(PersonView view) {
        long version = view.getVersion();
        Instant updatedAt = view.getUpdatedAt();
        view.setVersion(0L);
        view.setUpdatedAt(Instant.EPOCH);
        try {
            bytes.reset();
            encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
            writer.write(view, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a view in memory", e);
        } finally {
            view.setVersion(version);
            view.setUpdatedAt(updatedAt);
        }
        sha256.reset();
        sha256.update(salt);
        sha256.update(bytes.toByteArray());
        return ByteBuffer.wrap(sha256.digest());
    }
}
