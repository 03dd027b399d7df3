package org.careweave.schemas.registry;

/**
 * The registry refused to register a schema because it breaks the subject's compatibility rule (HTTP 409; Confluent
 * adds error_code 40901, Apicurio does not, so the HTTP status is what counts).
 */
public final class IncompatibleSchemaException extends SchemaRegistryException {

    private final String subject;
    private final String registryMessage;

    public IncompatibleSchemaException(String message, String subject, String registryMessage, int errorCode) {
        super(message, 409, errorCode);
        this.subject = subject;
        this.registryMessage = registryMessage;
    }

    public String subject() {
        return subject;
    }

    /** The registry's own explanation, e.g. which field is incompatible. */
    public String registryMessage() {
        return registryMessage;
    }
}
