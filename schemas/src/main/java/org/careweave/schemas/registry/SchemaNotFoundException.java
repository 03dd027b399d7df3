package org.careweave.schemas.registry;

/**
 * The registry does not know what was asked for (HTTP 404): an unknown subject (40401), version (40402), or schema
 * (40403: an unknown id, or a schema that is not registered under the subject).
 */
public final class SchemaNotFoundException extends SchemaRegistryException {

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;

    public SchemaNotFoundException(String message, int errorCode) {
        super(message, 404, errorCode);
    }

    public boolean isUnknownSubject() {
        return errorCode() == SUBJECT_NOT_FOUND;
    }
}
