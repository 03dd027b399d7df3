package org.careweave.schemas.registry;

/**
 * Base of every failure of the schema registry client.
 *
 * <p>Unchecked so that it can travel through Kafka's {@code Serializer} interfaces as the cause of a
 * {@link org.apache.kafka.common.errors.SerializationException}. Messages name the registry URL, the subject and the
 * schema's full name, never record content.
 *
 * <p>An instance of this class itself (not a subclass) stands for a registry answer that has no more specific meaning,
 * e.g. HTTP 500; {@link #httpStatus()} and {@link #errorCode()} tell what the registry said.
 */
public class SchemaRegistryException extends RuntimeException {

    /** Marks {@link #httpStatus()} or {@link #errorCode()} as absent (no HTTP answer, or no Confluent error_code). */
    public static final int NONE = -1;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        this(message, httpStatus, errorCode, null);
    }

    /** The HTTP status the registry answered with, or {@link #NONE} when there was no answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The Confluent {@code error_code} of the answer (e.g. 40403), or {@link #NONE}. */
    public int errorCode() {
        return errorCode;
    }
}
