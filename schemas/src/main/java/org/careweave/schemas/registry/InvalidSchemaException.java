package org.careweave.schemas.registry;

/** The registry refused a schema as malformed (HTTP 422, error_code 42201). */
public final class InvalidSchemaException extends SchemaRegistryException {

    public InvalidSchemaException(String message, int errorCode) {
        super(message, 422, errorCode);
    }
}
