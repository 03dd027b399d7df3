package org.careweave.store.views;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.Arrays;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.careweave.events.DeduplicatedResult;
import org.careweave.events.EncounterView;

/**
 * What a result row (with its sources) or an encounter row is written from, as 16 bytes of SHA-256: two equal
 * fingerprints mean the sink would write the same rows, so a row whose stored fingerprint equals the new one is left
 * as it is.
 *
 * <p>The fingerprint covers the whole Avro value in its binary encoding, the display zone (the documents show some
 * instants in it) and {@link #ROW_FORMAT}. A truncated cryptographic hash rather than {@code hashCode}: fingerprints
 * are only compared for the same person and result, but a collision would silently keep a stale row, and 128 bits
 * make that practically impossible. Not thread-safe: one instance per batch.
 */
final class RowFingerprints {

    /**
     * Bump this when the rows written from a result or an encounter change (a new column, another document shape):
     * every stored row then differs once and is rewritten.
     */
    static final int ROW_FORMAT = 2;

    private static final int LENGTH = 16;

    private final byte[] context;
    private final SpecificDatumWriter<DeduplicatedResult> results = new SpecificDatumWriter<>(DeduplicatedResult.class);
    private final SpecificDatumWriter<EncounterView> encounters = new SpecificDatumWriter<>(EncounterView.class);
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    private final MessageDigest sha256;
    private BinaryEncoder encoder;

    RowFingerprints(ZoneId zone) {
        this.context = ("careweave-row-" + ROW_FORMAT + "|" + zone.getId() + "|").getBytes(StandardCharsets.UTF_8);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    ByteBuffer result(DeduplicatedResult result) {
        return fingerprint(results, result, 'R');
    }

    ByteBuffer encounter(EncounterView encounter) {
        return fingerprint(encounters, encounter, 'E');
    }

    private <T> ByteBuffer fingerprint(DatumWriter<T> writer, T value, char kind) {
        buffer.reset();
        try {
            encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digest(kind);
    }

    private ByteBuffer digest(char kind) {
        sha256.reset();
        sha256.update(context);
        sha256.update((byte) kind);
        sha256.update(buffer.toByteArray());
        return ByteBuffer.wrap(Arrays.copyOf(sha256.digest(), LENGTH)).asReadOnlyBuffer();
    }
}
