package org.careweave.ingest.ack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;

import org.careweave.events.AckCode;
import org.careweave.events.RejectionStage;
import org.careweave.ingest.Hl7Fixtures;
import org.careweave.ingest.hl7.Hl7Message;
import org.careweave.ingest.hl7.Hl7Parser;
import org.careweave.ingest.hl7.MshReader;
import org.careweave.ingest.validation.Issue;
import org.careweave.ingest.validation.Issue.ErrorCode;
import org.careweave.ingest.validation.MessageValidator;
import org.careweave.ingest.validation.Verdict;
import org.junit.jupiter.api.Test;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;

class AckBuilderTest {

    private final AckBuilder acks = new AckBuilder("CAREWEAVE-INGEST", "CWHUB", ZoneId.of("Europe/London"));
    private final MessageValidator validator = new MessageValidator(MessageValidator.Rules.defaults());

    @Test
    void anAcceptAckSwapsSenderAndReceiverAndQuotesTheControlId() throws HL7Exception {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("adt_a01.hl7"));

        String ack = acks.build(verdict, verdict.ackCode(), verdict.issues());
        Hl7Message parsed = parse(ack);
        Segment msh = parsed.first("MSH").orElseThrow();
        Segment msa = parsed.first("MSA").orElseThrow();

        assertThat(parsed.segments()).extracting(Segment::getName).containsExactly("MSH", "MSA");
        assertThat(Hl7Message.value(msh, 3)).isEqualTo("CAREWEAVE");
        assertThat(Hl7Message.value(msh, 4)).isEqualTo("CW");
        assertThat(Hl7Message.value(msh, 5)).isEqualTo("PAS");
        assertThat(Hl7Message.value(msh, 6)).isEqualTo("RHMX1");
        assertThat(Hl7Message.value(msh, 7)).matches("\\d{14}[+-]\\d{4}");
        assertThat(Hl7Message.value(msh, 9, 0, 1)).isEqualTo("ACK");
        assertThat(Hl7Message.value(msh, 9, 0, 2)).isEqualTo("A01");
        assertThat(Hl7Message.value(msh, 9, 0, 3)).isEqualTo("ACK");
        assertThat(Hl7Message.value(msh, 10)).startsWith("CW").isNotEqualTo("RHMX1-ADT-000101");
        assertThat(Hl7Message.value(msh, 11)).isEqualTo("P");
        assertThat(Hl7Message.value(msh, 12)).isEqualTo("2.5");
        assertThat(Hl7Message.value(msh, 18)).isEmpty();
        assertThat(Hl7Message.value(msa, 1)).isEqualTo("AA");
        assertThat(Hl7Message.value(msa, 2)).isEqualTo("RHMX1-ADT-000101");
        assertThat(Hl7Message.value(msa, 3)).isEmpty();
        assertThat(ack).endsWith("\r").doesNotContain("\n");
    }

    @Test
    void theAckIsReadableByTheSameMshReaderAsAnyMessage() {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("oru_r01_hba1c.hl7"));

        String ack = acks.build(verdict, verdict.ackCode(), verdict.issues());

        assertThat(MshReader.read(ack).orElseThrow()).satisfies(msh -> {
            assertThat(msh.messageType()).isEqualTo("ACK^R01");
            assertThat(msh.sendingApplication()).isEqualTo("CAREWEAVE");
            assertThat(msh.receivingFacility()).isEqualTo("RHMX1");
            assertThat(msh.version()).isEqualTo("2.4");
            assertThat(msh.characterSet()).isEqualTo("8859/1");
        });
    }

    @Test
    void anErrorAckCarriesOneErrPerIssueWithLocationCodeAndSeverity() throws HL7Exception {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("oru_missing_pid3.hl7"));

        String ack = acks.build(verdict, verdict.ackCode(), verdict.issues());
        Hl7Message parsed = parse(ack);
        Segment msa = parsed.first("MSA").orElseThrow();
        Segment err = parsed.first("ERR").orElseThrow();

        assertThat(Hl7Message.value(msa, 1)).isEqualTo("AE");
        assertThat(Hl7Message.value(msa, 2)).isEqualTo("RHMX1-LAB-000299");
        assertThat(Hl7Message.value(msa, 3)).isEqualTo("at least one patient identifier is required");
        assertThat(parsed.all("ERR")).hasSize(1);
        assertErl(err, "PID", "1", "3");
        assertThat(Hl7Message.value(err, 3, 0, 1)).isEqualTo("101");
        assertThat(Hl7Message.value(err, 3, 0, 2)).isEqualTo("Required field missing");
        assertThat(Hl7Message.value(err, 3, 0, 3)).isEqualTo("HL70357");
        assertThat(Hl7Message.value(err, 4)).isEqualTo("E");
        // ERR-8, the user message: the explanation for the sender's interface team (ERR-9 is a coded field).
        assertThat(Hl7Message.value(err, 8)).isEqualTo("at least one patient identifier is required");
        assertThat(Hl7Message.value(err, 7)).isEmpty();
        assertThat(Hl7Message.value(err, 9)).isEmpty();
    }

    @Test
    void locationsNameTheSegmentRepetitionAndField() throws HL7Exception {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("oru_r01_hba1c.hl7"));
        List<Issue> issues = List.of(
                Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, "OBX[2]-11", "observation result status is required"),
                Issue.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, "PID", "PID segment is required"),
                Issue.warning(ErrorCode.DATA_TYPE_ERROR, "MSH-7", "not an HL7 date/time"),
                Issue.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, "", "not parseable HL7"));

        Hl7Message parsed = parse(acks.build(verdict, AckCode.AE, issues));
        List<Segment> errs = parsed.all("ERR");

        assertThat(errs).hasSize(4);
        assertErl(errs.get(0), "OBX", "2", "11");
        assertErl(errs.get(1), "PID", "1", "");
        assertErl(errs.get(2), "MSH", "1", "7");
        assertErl(errs.get(3), "", "", "");
        assertThat(errs).extracting(e -> Hl7Message.value(e, 4)).containsExactly("E", "E", "W", "E");
        // MSA-3 quotes the first error.
        assertThat(Hl7Message.value(parsed.first("MSA").orElseThrow(), 3))
                .isEqualTo("observation result status is required");
    }

    /**
     * Before 2.5, ERR-1 (ELD) is segment^sequence^field position^code: the code is always the fourth component, also
     * when the location has no field or no segment at all. It was written after the last component the location had,
     * so a reader of ERR-1 found the code as the sequence (no location) or the field position (a segment alone).
     */
    @Test
    void beforeVersion25Err1HasTheCodeInItsFourthComponentWhateverTheLocation() throws HL7Exception {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("oru_r01_hba1c.hl7"));
        assertThat(verdict.msh().version()).isEqualTo("2.4");
        List<Issue> issues = List.of(
                Issue.error(ErrorCode.APPLICATION_INTERNAL_ERROR, "", "message could not be stored"),
                Issue.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, "PID", "PID segment is required"),
                Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, "PID-3", "at least one patient identifier is required"),
                Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, "OBX[2]-11", "observation result status is required"));

        String ack = acks.build(verdict, AckCode.AE, issues);
        List<Segment> errs = parse(ack).all("ERR");

        assertThat(errs).extracting(e -> Hl7Message.value(e, 1, 0, 1), e -> Hl7Message.value(e, 1, 0, 2),
                e -> Hl7Message.value(e, 1, 0, 3), e -> Hl7Message.value(e, 1, 0, 4, 1),
                e -> Hl7Message.value(e, 1, 0, 4, 3)).containsExactly(
                tuple("", "", "", "207", "HL70357"),
                tuple("PID", "1", "", "100", "HL70357"),
                tuple("PID", "1", "3", "101", "HL70357"),
                tuple("OBX", "2", "11", "101", "HL70357"));
        assertThat(ack).contains("ERR|^^^207&message could not be stored&HL70357|")
                .contains("ERR|PID^1^^100&PID segment is required&HL70357|PID^1|");
        // ERR-2 and ERR-3, for readers of 2.5 and later, as before.
        assertErl(errs.get(1), "PID", "1", "");
        assertThat(errs).extracting(e -> Hl7Message.value(e, 3, 0, 1)).containsExactly("207", "100", "101", "101");
    }

    @Test
    void warningsAloneLeaveMsa3Empty() throws HL7Exception {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("adt_a01.hl7"));

        Hl7Message parsed = parse(acks.build(verdict, AckCode.AA, List.of(
                Issue.warning(ErrorCode.SEGMENT_SEQUENCE_ERROR, "PV1", "no PV1: no encounter recorded"))));

        assertThat(Hl7Message.value(parsed.first("MSA").orElseThrow(), 3)).isEmpty();
        assertThat(Hl7Message.value(parsed.first("ERR").orElseThrow(), 4)).isEqualTo("W");
    }

    @Test
    void aRejectOfSomethingThatIsNotHl7UsesOurOwnHeader() throws HL7Exception {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("garbage.txt"));

        String ack = acks.build(verdict, verdict.ackCode(), verdict.issues());
        Hl7Message parsed = parse(ack);
        Segment msh = parsed.first("MSH").orElseThrow();

        assertThat(ack).startsWith("MSH|^~\\&|CAREWEAVE-INGEST|CWHUB|||");
        assertThat(Hl7Message.value(msh, 5)).isEmpty();
        assertThat(Hl7Message.value(msh, 6)).isEmpty();
        assertThat(Hl7Message.value(msh, 9)).isEqualTo("ACK");
        assertThat(Hl7Message.value(msh, 9, 0, 2)).isEmpty();
        assertThat(Hl7Message.value(msh, 12)).isEqualTo("2.5");
        assertThat(Hl7Message.value(parsed.first("MSA").orElseThrow(), 1)).isEqualTo("AR");
        assertThat(Hl7Message.value(parsed.first("MSA").orElseThrow(), 2)).isEmpty();
        assertErl(parsed.first("ERR").orElseThrow(), "MSH", "1", "");
        assertThat(Hl7Message.value(parsed.first("ERR").orElseThrow(), 3)).isEqualTo("100");
    }

    @Test
    void aStoreFailureOverridesTheVerdict() throws HL7Exception {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("adt_a01.hl7"));

        Hl7Message parsed = parse(acks.build(verdict, AckCode.AE, List.of(Issue.error(
                ErrorCode.APPLICATION_INTERNAL_ERROR, "", "message could not be stored; please resend"))));

        assertThat(Hl7Message.value(parsed.first("MSA").orElseThrow(), 1)).isEqualTo("AE");
        assertThat(Hl7Message.value(parsed.first("ERR").orElseThrow(), 3, 0, 1)).isEqualTo("207");
        assertThat(Hl7Message.value(parsed.first("ERR").orElseThrow(), 3, 0, 2))
                .isEqualTo("Application internal error");
    }

    @Test
    void escapesSeparatorsInTextAndRoundTripsThroughHapi() throws HL7Exception {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("adt_a01.hl7"));
        String text = "field | component ^ repetition ~ escape \\ subcomponent & end";

        String ack = acks.build(verdict, AckCode.AE, List.of(
                Issue.error(ErrorCode.DATA_TYPE_ERROR, "PID-7", text + "\r\nsecond line")));
        Hl7Message parsed = parse(ack);

        assertThat(ack).contains("field \\F\\ component \\S\\ repetition \\R\\ escape \\E\\ subcomponent \\T\\ end");
        assertThat(parsed.all("ERR")).hasSize(1);
        assertThat(Hl7Message.value(parsed.first("MSA").orElseThrow(), 3)).isEqualTo(text + "  second line");
        assertThat(Hl7Message.value(parsed.first("ERR").orElseThrow(), 8)).isEqualTo(text + "  second line");
    }

    @Test
    void readsBackWithParsedAck() {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("oru_missing_pid3.hl7"));

        ParsedAck parsed = ParsedAck.parse(acks.build(verdict, verdict.ackCode(), verdict.issues()));

        assertThat(parsed.code()).isEqualTo("AE");
        assertThat(parsed.controlId()).isEqualTo("RHMX1-LAB-000299");
        assertThat(parsed.errors()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo("101");
            assertThat(e.severity()).isEqualTo("E");
            assertThat(e.location()).isEqualTo("PID-3");
            assertThat(e.message()).isEqualTo("at least one patient identifier is required");
        });
        assertThat(parsed.reason()).isEqualTo("PID-3: at least one patient identifier is required");
    }

    @Test
    void escapesWithTheSeparatorsOfTheMessage() {
        assertThat(AckBuilder.escape("a#b$c*d!e%f", '#', "$*!%")).isEqualTo("a!F!b!S!c!R!d!E!e!T!f");
        assertThat(AckBuilder.escape("plain text", '|', "^~\\&")).isEqualTo("plain text");
        assertThat(AckBuilder.escape("", '|', "^~\\&")).isEmpty();
    }

    @Test
    void answersInTheSeparatorsOfTheMessage() throws HL7Exception {
        String text = "MSH#$*\\!#PAS#RHMX1#CAREWEAVE#CW#20240101120000##ADT$A08#C$77#P#2.5\r"
                + "PID#1##M1$$$RHMX1$MR##FICTIONAL$Alice\rPV1#1#I";
        Verdict verdict = validator.validate(text.getBytes(StandardCharsets.ISO_8859_1));

        String ack = acks.build(verdict, verdict.ackCode(), verdict.issues());
        Hl7Message parsed = parse(ack);

        assertThat(verdict.ackCode()).isEqualTo(AckCode.AA);
        assertThat(ack).startsWith("MSH#$*\\!#CAREWEAVE#CW#PAS#RHMX1#");
        assertThat(Hl7Message.value(parsed.first("MSH").orElseThrow(), 9, 0, 2)).isEqualTo("A08");
        // The control id contained the component separator: escaped in MSA-2, and read back as sent.
        assertThat(ack).contains("MSA#AA#C\\S\\77");
        assertThat(Hl7Message.value(parsed.first("MSA").orElseThrow(), 2)).isEqualTo("C$77");
    }

    @Test
    void echoesTheCharsetWhenTheMessageDeclaredOne() throws HL7Exception {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("oru_r01_v282.hl7"));

        String ack = acks.build(verdict, verdict.ackCode(), verdict.issues());
        Segment msh = parse(ack).first("MSH").orElseThrow();

        assertThat(Hl7Message.value(msh, 12)).isEqualTo("2.8.2");
        assertThat(Hl7Message.value(msh, 18)).isEqualTo("UNICODE UTF-8");
        assertThat(MshReader.read(ack).orElseThrow().characterSet()).isEqualTo("UNICODE UTF-8");
    }

    @Test
    void controlIdsAreUniqueAndIncreasing() {
        Verdict verdict = validator.validate(Hl7Fixtures.bytes("adt_a01.hl7"));

        String first = MshReader.read(acks.build(verdict, AckCode.AA, List.of())).orElseThrow().controlId();
        String second = MshReader.read(acks.build(verdict, AckCode.AA, List.of())).orElseThrow().controlId();

        assertThat(first).isNotEqualTo(second).matches("CW[0-9A-Z]+-1");
        assertThat(second).endsWith("-2");
        assertThat(second.length()).isLessThanOrEqualTo(20);
    }

    @Test
    void processingIdDefaultsToProduction() throws HL7Exception {
        Verdict verdict = validator.validate(Hl7Fixtures.load("adt_a01.hl7").replace("|P|2.5|", "|T|2.5|")
                .getBytes(StandardCharsets.ISO_8859_1));

        assertThat(Hl7Message.value(parse(acks.build(verdict, AckCode.AA, List.of())).first("MSH").orElseThrow(),
                11)).isEqualTo("T");
        Verdict noHeader = new Verdict(AckCode.AR, RejectionStage.FRAMING, List.of(), null, null, false);
        assertThat(Hl7Message.value(parse(acks.build(noHeader, AckCode.AR, List.of())).first("MSH").orElseThrow(),
                11)).isEqualTo("P");
    }

    private static void assertErl(Segment err, String segment, String sequence, String field) {
        assertThat(Hl7Message.value(err, 2, 0, 1)).isEqualTo(segment);
        assertThat(Hl7Message.value(err, 2, 0, 2)).isEqualTo(sequence);
        assertThat(Hl7Message.value(err, 2, 0, 3)).isEqualTo(field);
    }

    private static Hl7Message parse(String ack) throws HL7Exception {
        String version = MshReader.read(ack).orElseThrow().version();
        return Hl7Parser.parse(ack, Hl7Parser.parseVersion(version).orElseThrow());
    }
}
