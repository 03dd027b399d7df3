package org.careweave.ingest.ack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;

import org.careweave.events.AckCode;
import org.careweave.ingest.validation.Issue;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.ingest.validation.Verdict;
import org.junit.jupiter.api.Test;

/** Reads the ACKs careweave itself writes, so that the batch intake and {@code careweave send} understand them. */
class ParsedAckTest {

    private static final MessageValidator VALIDATOR = new MessageValidator(MessageValidator.Rules.defaults());
    private static final AckBuilder ACKS = new AckBuilder("CAREWEAVE", "CAREWEAVE", ZoneId.of("Europe/London"));

    private static final String RESULT_WITHOUT_PATIENT_ID = String.join("\r",
            "MSH|^~\\&|GPSYS|Z99901|CAREWEAVE|CAREWEAVE|20251125231503||ORU^R01^ORU_R01|RSX0004|P|2.4",
            "PID|1||||Marchetti^Bruno||19580130|M",
            "OBR|1|RSX-ORD-5532||423..^Haemoglobin^READ|||20251124101500",
            "OBX|1|NM|423..^Haemoglobin^READ||138|g/L|130-180|N|||F|||20251124101500");

    @Test
    void anAcceptedMessage() {
        String message = RESULT_WITHOUT_PATIENT_ID.replace("PID|1||||", "PID|1||9990001022^^^NHS^NH||");

        ParsedAck ack = ParsedAck.parse(ackFor(message));

        assertThat(ack.code()).isEqualTo("AA");
        assertThat(ack.controlId()).isEqualTo("RSX0004");
        assertThat(ack.accepted()).isTrue();
        assertThat(ack.couldNotBeStored()).isFalse();
        assertThat(ack.reason()).isEmpty();
    }

    @Test
    void warningsOfAnAcceptedMessageAreNoReason() {
        String admissionWithoutVisit = String.join("\r",
                "MSH|^~\\&|PAS|RHMX1|CAREWEAVE|CAREWEAVE|20251125101500||ADT^A01|ADM-7|P|2.5",
                "EVN|A01|20251125101500",
                "PID|1||9990001030^^^NHS^NH||Quennell^Harriet||19910215|F");

        ParsedAck ack = ParsedAck.parse(ackFor(admissionWithoutVisit));

        assertThat(ack.code()).isEqualTo("AA");
        assertThat(ack.errors()).extracting(ParsedAck.ErrSegment::severity).containsExactly("W");
        assertThat(ack.reason()).isEmpty();
    }

    @Test
    void aRefusedMessageGivesTheFirstErrorWithItsLocation() {
        ParsedAck ack = ParsedAck.parse(ackFor(RESULT_WITHOUT_PATIENT_ID));

        assertThat(ack.code()).isEqualTo("AE");
        assertThat(ack.controlId()).isEqualTo("RSX0004");
        assertThat(ack.accepted()).isFalse();
        assertThat(ack.couldNotBeStored()).isFalse();
        assertThat(ack.errors()).first().satisfies(e -> {
            assertThat(e.code()).isEqualTo("101");
            assertThat(e.severity()).isEqualTo("E");
            assertThat(e.location()).isEqualTo("PID-3");
        });
        assertThat(ack.reason()).isEqualTo("PID-3: at least one patient identifier is required");
    }

    @Test
    void aMessageThatCouldNotBeStoredIsToBeResentNotCountedAsRefused() {
        Verdict verdict = VALIDATOR.validate(RESULT_WITHOUT_PATIENT_ID.getBytes(StandardCharsets.ISO_8859_1));
        String text = ACKS.build(verdict, AckCode.AE, List.of(Issue.error(Issue.ErrorCode.APPLICATION_INTERNAL_ERROR,
                "", "message could not be stored; it was not accepted, please resend")));

        ParsedAck ack = ParsedAck.parse(text);

        assertThat(ack.code()).isEqualTo("AE");
        assertThat(ack.couldNotBeStored()).isTrue();
        assertThat(ack.reason()).isEqualTo("message could not be stored; it was not accepted, please resend");
    }

    /**
     * AR with 207 is the answer to a message larger than Kafka's topics take: refused for good, so a resend would be
     * refused again. Only AE asks for the message again.
     */
    @Test
    void aRefusalWithErrorCode207IsARefusalNotARequestToResend() {
        Verdict verdict = VALIDATOR.validate(RESULT_WITHOUT_PATIENT_ID.getBytes(StandardCharsets.ISO_8859_1));
        String text = ACKS.build(verdict, AckCode.AR, List.of(Issue.error(Issue.ErrorCode.APPLICATION_INTERNAL_ERROR,
                "", "message of 2097152 bytes is larger than Kafka's topics take; not stored, do not resend as it is")));

        ParsedAck ack = ParsedAck.parse(text);

        assertThat(ack.code()).isEqualTo("AR");
        assertThat(ack.errors()).extracting(ParsedAck.ErrSegment::code).containsExactly("207");
        assertThat(ack.accepted()).isFalse();
        assertThat(ack.couldNotBeStored()).isFalse();
    }

    @Test
    void escapedSeparatorsInTheTextAreUndoneAndRepeatedSegmentsLocated() {
        String text = "MSH|^~\\&|CAREWEAVE|CAREWEAVE|GPSYS|Z99901|20251125231503+0000||ACK^R01^ACK|CW1|P|2.4\r"
                + "MSA|AE|RSX\\F\\9|value \\S\\ unit \\E\\ mismatch\r"
                + "ERR||OBX^2^11|101^Required field missing^HL70357|E\r";

        ParsedAck ack = ParsedAck.parse(text);

        assertThat(ack.controlId()).isEqualTo("RSX|9");
        assertThat(ack.text()).isEqualTo("value ^ unit \\ mismatch");
        assertThat(ack.reason()).isEqualTo("OBX[2]-11: value ^ unit \\ mismatch");
    }

    @Test
    void somethingThatIsNotAnAckReadsAsEmpty() {
        ParsedAck ack = ParsedAck.parse("HTTP/1.1 400 Bad Request\r\n");

        assertThat(ack.code()).isEmpty();
        assertThat(ack.controlId()).isEmpty();
        assertThat(ack.accepted()).isFalse();
        assertThat(ack.errors()).isEmpty();
    }

    private static String ackFor(String message) {
        Verdict verdict = VALIDATOR.validate(message.getBytes(StandardCharsets.ISO_8859_1));
        return ACKS.build(verdict, verdict.ackCode(), verdict.issues());
    }
}
