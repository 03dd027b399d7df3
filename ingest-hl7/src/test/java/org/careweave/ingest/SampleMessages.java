package org.careweave.ingest;

/**
 * HL7 v2 messages about invented people (NHS numbers in the 999 range, which are never issued), built per test so
 * that each test has its own control ids.
 */
public final class SampleMessages {

    /** Valid by Modulus 11. */
    public static final String NHS_A = "9990000018";
    public static final String NHS_B = "9990000026";

    private SampleMessages() {
    }

    public static String adtA01(String facility, String controlId, String nhs, String mrn, String family,
                                String given) {
        return "MSH|^~\\&|PAS|" + facility + "|CAREWEAVE|CAREWEAVE|20240601120000+0100||ADT^A01^ADT_A01|" + controlId
                + "|P|2.5|||||GBR|UNICODE UTF-8\r"
                + "EVN|A01|20240601120000+0100\r"
                + "PID|1||" + nhs + "^^^NHS^NH~" + mrn + "^^^" + facility + "^MR||" + family + "^" + given
                + "^^^Mr||19800101|M|||1 Test Street^^Leeds^^LS1 4AB^GBR||01130000000\r"
                + "PV1|1|I|WARD1^BED2^^" + facility + "||||||||||||||||V" + controlId + "^^^" + facility
                + "|||||||||||||||||||||||||20240601115500+0100\r";
    }

    public static String oruR01(String facility, String controlId, String nhs, String mrn) {
        return "MSH|^~\\&|LAB|" + facility + "|CAREWEAVE|CAREWEAVE|20240601130000+0100||ORU^R01^ORU_R01|" + controlId
                + "|P|2.5\r"
                + "PID|1||" + nhs + "^^^NHS^NH~" + mrn + "^^^" + facility + "^MR||Testperson^Alex||19800101|F\r"
                + "OBR|1|PL" + controlId + "|FI" + controlId + "|4548-4^HbA1c^LN|||20240601090000\r"
                + "OBX|1|NM|4548-4^Hemoglobin A1c^LN||48|mmol/mol|20-41|H|||F|||20240601100000\r"
                + "NTE|1||Sample slightly haemolysed\r"
                + "OBX|2|NM|2345-7^Glucose^LN||5.4|mmol/L|3.5-7.8|N|||F\r"
                + "ZLB|internal|lab-only\r";
    }

    /** Validation accepts it (PID-3, OBR and OBX are all there) but mapping cannot: the OBX precedes its OBR. */
    public static String oruObxBeforeObr(String facility, String controlId, String mrn) {
        return "MSH|^~\\&|LAB|" + facility + "|CAREWEAVE|CAREWEAVE|20240601130000||ORU^R01|" + controlId
                + "|P|2.5\r"
                + "PID|1||" + mrn + "^^^" + facility + "^MR||Testperson^Sam||19750505|M\r"
                + "OBX|1|NM|718-7^Hb^LN||130|g/L|||||F\r"
                + "OBR|1|PL1|FI1|CBC^Full blood count^L|||20240601090000\r";
    }

    public static String oruWithoutPatientIdentifier(String facility, String controlId) {
        return "MSH|^~\\&|LAB|" + facility + "|CAREWEAVE|CAREWEAVE|20240601130000||ORU^R01|" + controlId
                + "|P|2.5\r"
                + "PID|1||||Testperson^Kim||19900202|F\r"
                + "OBR|1|PL1|FI1|4548-4^HbA1c^LN|||20240601090000\r"
                + "OBX|1|NM|4548-4^HbA1c^LN||40|mmol/mol|||||F\r";
    }

    public static String unsupportedType(String facility, String controlId) {
        return "MSH|^~\\&|SCHED|" + facility + "|CAREWEAVE|CAREWEAVE|20240601130000||SIU^S12|" + controlId
                + "|P|2.5\r"
                + "SCH|1\r";
    }
}
