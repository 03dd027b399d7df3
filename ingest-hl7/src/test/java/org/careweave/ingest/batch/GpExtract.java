package org.careweave.ingest.batch;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A nightly extract from an invented GP practice (Riverside Test Surgery, Z99901) as its clinical system would write
 * it: HL7 v2.4, registrations (ADT^A28), demographic updates (ADT^A31) and results (ORU^R01). Every person is invented;
 * NHS numbers are in the 999 test range and pass the Modulus 11 check.
 */
final class GpExtract {

    static final String FACILITY = "Z99901";

    private GpExtract() {
    }

    /** A new registration. */
    static List<String> registration(String controlId) {
        return List.of(
                msh("ADT^A28^ADT_A05", controlId),
                "EVN|A28|20251125231501",
                "PID|1||9990001006^^^NHS^NH~RSX100231^^^Z99901^PI||Thornbury^Eleanor^May^^Mrs||19470312|F|||"
                        + "14 Willow Lane^^Exampleton^^ZZ99 3AA^GBR||01632 960123",
                "PD1|||Riverside Test Surgery^^Z99901|G9999998^Okafor^Adaeze^^^Dr",
                "PV1|1|N");
    }

    /** A change of address. */
    static List<String> update(String controlId) {
        return List.of(
                msh("ADT^A31^ADT_A05", controlId),
                "EVN|A31|20251125231502",
                "PID|1||9990001014^^^NHS^NH~RSX100232^^^Z99901^PI||Pennick^Samuel^James^^Mr||19820704|M|||"
                        + "Flat 2, 9 Harbour Road^^Exampleton^^ZZ99 4BB^GBR",
                "PV1|1|N");
    }

    /** A cholesterol result. */
    static List<String> result(String controlId) {
        return List.of(
                msh("ORU^R01^ORU_R01", controlId),
                "PID|1||9990001022^^^NHS^NH||Achterberg^Lotte||19650921|F",
                "OBR|1|RSX-ORD-5531|RSX-RES-5531|44P3.^Serum cholesterol^READ|||20251124093000",
                "OBX|1|NM|44P3.^Serum cholesterol^READ||5.2|mmol/L|<5.0|H|||F|||20251124093000",
                "OBX|2|NM|44P4.^Serum HDL cholesterol^READ||1.4|mmol/L|>1.0|N|||F|||20251124093000");
    }

    /** A result whose PID carries no identifier at all: careweave answers AE (PID-3 required). */
    static List<String> resultWithoutPatientId(String controlId) {
        return List.of(
                msh("ORU^R01^ORU_R01", controlId),
                "PID|1||||Marchetti^Bruno||19580130|M",
                "OBR|1|RSX-ORD-5532||423..^Haemoglobin^READ|||20251124101500",
                "OBX|1|NM|423..^Haemoglobin^READ||138|g/L|130-180|N|||F|||20251124101500");
    }

    static String fileHeader() {
        return "FHS|^~\\&|GPSYS|" + FACILITY + "|CAREWEAVE|CAREWEAVE|20251125231500||riverside-20251125.hl7"
                + "|NIGHTLY EXTRACT|RSX-F-20251125";
    }

    static String batchHeader() {
        return "BHS|^~\\&|GPSYS|" + FACILITY + "|CAREWEAVE|CAREWEAVE|20251125231500||||RSX-B-20251125-1";
    }

    static String batchTrailer(int count) {
        return "BTS|" + count + "|Riverside nightly extract";
    }

    static String fileTrailer(int batches) {
        return "FTS|" + batches;
    }

    /** Segments joined with a line ending, one after each segment, as most systems write files. */
    static String lines(String lineEnding, List<String> segments) {
        StringBuilder b = new StringBuilder();
        for (String segment : segments) {
            b.append(segment).append(lineEnding);
        }
        return b.toString();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String msh(String type, String controlId) {
        return "MSH|^~\\&|GPSYS|" + FACILITY + "|CAREWEAVE|CAREWEAVE|20251125231501||" + type + "|" + controlId
                + "|P|2.4|||AL|NE|GBR|8859/1";
    }
}
