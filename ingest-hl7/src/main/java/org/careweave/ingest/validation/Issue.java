package org.careweave.ingest.validation;

/**
 * One finding about a message, in the terms an ACK's ERR segment uses.
 *
 * @param code     HL7 table 0357 error code, e.g. 101 required field missing
 * @param location ERR-2 style location such as PID-3 or OBX[2]-11; empty when it concerns the whole message
 * @param text     a sentence for the sender's interface team; never contains field values
 */
public record Issue(String code, Severity severity, String location, String text) {

    public enum Severity { ERROR, WARNING }

    public static Issue error(ErrorCode code, String location, String text) {
        return new Issue(code.code(), Severity.ERROR, location, text);
    }

    public static Issue warning(ErrorCode code, String location, String text) {
        return new Issue(code.code(), Severity.WARNING, location, text);
    }

    /** HL7 table 0357 (message error condition codes) as far as careweave uses it. */
    public enum ErrorCode {
        SEGMENT_SEQUENCE_ERROR("100", "Segment sequence error"),
        REQUIRED_FIELD_MISSING("101", "Required field missing"),
        DATA_TYPE_ERROR("102", "Data type error"),
        TABLE_VALUE_NOT_FOUND("103", "Table value not found"),
        UNSUPPORTED_MESSAGE_TYPE("200", "Unsupported message type"),
        UNSUPPORTED_EVENT_CODE("201", "Unsupported event code"),
        UNSUPPORTED_PROCESSING_ID("202", "Unsupported processing id"),
        UNSUPPORTED_VERSION_ID("203", "Unsupported version id"),
        UNKNOWN_KEY_IDENTIFIER("204", "Unknown key identifier"),
        APPLICATION_RECORD_LOCKED("206", "Application record locked"),
        APPLICATION_INTERNAL_ERROR("207", "Application internal error");

        private final String code;
        private final String text;

        ErrorCode(String code, String text) {
            this.code = code;
            this.text = text;
        }

        public String code() {
            return code;
        }

        public String text() {
            return text;
        }

        public static String textOf(String code) {
            for (ErrorCode c : values()) {
                if (c.code.equals(code)) {
                    return c.text;
                }
            }
            return "";
        }
    }
}
