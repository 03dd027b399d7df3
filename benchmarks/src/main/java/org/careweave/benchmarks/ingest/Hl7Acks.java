package org.careweave.benchmarks.ingest;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.apache.camel.Message;

/**
 * The AA the Camel peer answers with, built from the MSH fields camel-mllp puts in headers, as camel-mllp's own
 * automatic acknowledgement does (no HL7 parser involved).
 */
final class Hl7Acks {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

    private Hl7Acks() {
    }

    static String accept(Message message) {
        String controlId = header(message, "CamelMllpMessageControlId");
        return "MSH|^~\\&|" + header(message, "CamelMllpReceivingApplication") + '|'
                + header(message, "CamelMllpReceivingFacility") + '|'
                + header(message, "CamelMllpSendingApplication") + '|'
                + header(message, "CamelMllpSendingFacility") + '|' + TIME.format(LocalDateTime.now())
                + "||ACK^" + header(message, "CamelMllpTriggerEvent") + '|' + controlId + "-ACK|P|"
                + header(message, "CamelMllpVersionId") + '\r'
                + "MSA|AA|" + controlId + '\r';
    }

    private static String header(Message message, String name) {
        String value = message.getHeader(name, String.class);
        return value == null ? "" : value;
    }
}
