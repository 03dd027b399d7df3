package org.careweave.ingest.hl7;

/**
 * The fields of an MSH segment that ingest needs before (and even without) a full parse: enough to acknowledge,
 * route and identify a message. Empty HL7 fields are empty strings, never null.
 */
public record MshHeader(
        char fieldSeparator,
        String encodingCharacters,
        String sendingApplication,
        String sendingFacility,
        String receivingApplication,
        String receivingFacility,
        String messageTime,
        String messageCode,
        String triggerEvent,
        String messageStructure,
        String controlId,
        String processingId,
        String version,
        String characterSet) {

    /** CODE^TRIGGER, e.g. ADT^A01; just the code when there is no trigger. */
    public String messageType() {
        return triggerEvent.isEmpty() ? messageCode : messageCode + "^" + triggerEvent;
    }

    public char componentSeparator() {
        return encodingCharacters.charAt(0);
    }
}
