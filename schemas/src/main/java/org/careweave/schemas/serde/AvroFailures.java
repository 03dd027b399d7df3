package org.careweave.schemas.serde;

import java.io.EOFException;
import org.apache.avro.AvroRuntimeException;

/**
 * Keeps record content out of exception messages. Some Avro exceptions quote the offending value (e.g.
 * {@code UnresolvedUnionException}, "Not an enum: ..."), and exception messages end up in logs, dead-letter headers
 * and tickets; a value here may be an NHS number or a name.
 */
final class AvroFailures {

    private AvroFailures() {}

    /**
     * {@code failure} itself when its kind of message is known to name only types and field paths (Avro adds e.g.
     * "null value for (non-nullable) string at PatientEvent.trigger"); otherwise a stand-in with the same class name and
     * stack trace but no message.
     */
    static Throwable withoutContent(Throwable failure) {
        if (failure instanceof NullPointerException
                || failure instanceof ClassCastException
                || failure instanceof EOFException) {
            return failure;
        }
        AvroRuntimeException standIn = new AvroRuntimeException(failure.getClass().getName()
                + " (message withheld: it may quote record content)");
        standIn.setStackTrace(failure.getStackTrace());
        return standIn;
    }

    /** A one-line description of {@code failure} that is safe to put in a message. */
    static String describe(Throwable failure) {
        Throwable safe = withoutContent(failure);
        return safe == failure
                ? failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage())
                : safe.getMessage();
    }
}
