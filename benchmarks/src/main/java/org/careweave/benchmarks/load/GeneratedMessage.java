package org.careweave.benchmarks.load;

/**
 * One generated HL7 message, segments separated by CR.
 *
 * @param marker a number unique within the run, written into the patient's phone number when the factory marks
 *               messages (so that the view the message leads to can be recognised); -1 otherwise
 */
public record GeneratedMessage(MessageKind kind, String controlId, long marker, byte[] bytes) {
}
