package org.careweave.ingest.mllp;

/** What the MLLP decoder hands on: a complete message, or bytes that could not be one. */
sealed interface MllpFrame {

    /** The bytes between the start block (0x0B) and the end block (0x1C 0x0D). */
    record Message(byte[] payload) implements MllpFrame {
    }

    /**
     * Bytes that are not a message: data outside a frame, or a frame over the size limit (only its first bytes are
     * kept). The connection cannot be trusted to be in step after this and is closed once the AR is sent.
     */
    record Unframed(byte[] keptBytes, String reason) implements MllpFrame {
    }
}
