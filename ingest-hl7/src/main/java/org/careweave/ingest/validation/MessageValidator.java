package org.careweave.ingest.validation;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.careweave.events.AckCode;
import org.careweave.events.RejectionStage;
import org.careweave.ingest.hl7.Hl7Charsets;
import org.careweave.ingest.hl7.Hl7Fields;
import org.careweave.ingest.hl7.Hl7Message;
import org.careweave.ingest.hl7.Hl7Parser;
import org.careweave.ingest.hl7.Hl7Segments;
import org.careweave.ingest.hl7.Hl7Time;
import org.careweave.ingest.hl7.LightMessage;
import org.careweave.ingest.hl7.MshHeader;
import org.careweave.ingest.hl7.MshReader;
import org.careweave.ingest.hl7.PatientGroups;
import org.careweave.ingest.mapping.Identifiers;
import org.careweave.ingest.validation.Issue.ErrorCode;

import ca.uhn.hl7v2.HL7Exception;

/**
 * Decides AA, AE or AR for one received payload, checking as much as the ACK must answer for: that it is HL7 at all,
 * MSH, the message type, and the fields each supported type needs to become events. Pure: no I/O, never throws.
 *
 * <p>AR (reject) is for messages careweave cannot process at all: not HL7, unreadable MSH, unsupported type or version.
 * AE (error) is for content errors in a message it understands: a result without a patient identifier, a required
 * field missing, an unparseable date.
 */
public final class MessageValidator {

    /** How the validator treats what it does not map. */
    public record Rules(Charset defaultCharset, boolean archiveUnsupportedTypes, ZoneId zone) {
        public static Rules defaults() {
            return new Rules(StandardCharsets.ISO_8859_1, false, ZoneId.of("Europe/London"));
        }
    }

    private final Rules rules;
    /** Off only in tests that check the light reader against HAPI. */
    private final boolean lightReader;

    public MessageValidator(Rules rules) {
        this(rules, true);
    }

    MessageValidator(Rules rules, boolean lightReader) {
        this.rules = rules;
        this.lightReader = lightReader;
    }

    public Verdict validate(byte[] payload) {
        Hl7Charsets.Decoded decoded = Hl7Charsets.decode(payload, rules.defaultCharset());
        if (!decoded.ok()) {
            Optional<MshHeader> msh = MshReader.read(new String(payload, 0, Math.min(payload.length, 4096),
                    StandardCharsets.ISO_8859_1));
            return reject(RejectionStage.VALIDATION, msh.orElse(null), decoded.charset(),
                    Issue.error(ErrorCode.DATA_TYPE_ERROR, "MSH-18", decoded.error()));
        }
        String text = decoded.text();
        Optional<MshHeader> maybeMsh = MshReader.read(stripLeadingWhitespace(text));
        if (maybeMsh.isEmpty()) {
            String start = stripLeadingWhitespace(text);
            return reject(RejectionStage.VALIDATION, null, decoded.charset(), Issue.error(
                    ErrorCode.SEGMENT_SEQUENCE_ERROR, "MSH", start.startsWith("FHS") || start.startsWith("BHS")
                            ? "a batch (FHS/BHS) is not one message: send each of its messages in a frame of its"
                                    + " own, or put the batch file in the intake directory"
                            : "not an HL7 v2 message: it must start with an MSH segment with valid encoding"
                                    + " characters"));
        }
        MshHeader msh = maybeMsh.get();
        List<Issue> issues = new ArrayList<>();
        require(issues, msh.sendingFacility(), "MSH-4", "sending facility is required");
        require(issues, msh.messageCode(), "MSH-9", "message type is required");
        require(issues, msh.controlId(), "MSH-10", "message control id is required");
        require(issues, msh.version(), "MSH-12", "version id is required");
        if (!issues.isEmpty()) {
            return new Verdict(AckCode.AR, RejectionStage.VALIDATION, issues, msh, decoded.charset(), false);
        }
        Optional<String> hapiVersion = Hl7Parser.parseVersion(msh.version());
        if (hapiVersion.isEmpty()) {
            return reject(RejectionStage.VALIDATION, msh, decoded.charset(), Issue.error(
                    ErrorCode.UNSUPPORTED_VERSION_ID, "MSH-12", "HL7 version must be 2.2 to 2.8.x"));
        }
        String normalised = normaliseSegmentSeparators(text);
        int secondHeader = secondHeader(normalised);
        if (secondHeader > 0) {
            // Two messages in one frame would be taken as one: the second's segments filed under the first's
            // control id, and the second never answered.
            return reject(RejectionStage.VALIDATION, msh, decoded.charset(), Issue.error(
                    ErrorCode.SEGMENT_SEQUENCE_ERROR, "MSH[2]", "a second MSH/BHS/FHS at segment " + secondHeader
                            + ": one message per frame"));
        }
        boolean supported = MessageTypes.supported(msh.messageCode(), msh.triggerEvent());
        if (!supported && !rules.archiveUnsupportedTypes()) {
            ErrorCode code = "ADT".equals(msh.messageCode()) || "ORU".equals(msh.messageCode())
                    ? ErrorCode.UNSUPPORTED_EVENT_CODE : ErrorCode.UNSUPPORTED_MESSAGE_TYPE;
            return reject(RejectionStage.VALIDATION, msh, decoded.charset(), Issue.error(code, "MSH-9",
                    "message type " + msh.messageType() + " is not supported"));
        }
        if (supported && lightReader) {
            // The light reader answers when it can be sure HAPI would parse the text and read the same values.
            Optional<LightMessage> light = LightMessage.read(normalised, msh);
            if (light.isPresent()) {
                try {
                    return checked(msh, decoded.charset(), issues, light.get());
                } catch (LightMessage.Unsure e) {
                    // fall through to HAPI
                }
            }
        }
        Hl7Message message;
        try {
            message = Hl7Parser.parse(normalised, hapiVersion.get(), decoded.charset());
        } catch (HL7Exception | RuntimeException e) {
            return reject(RejectionStage.VALIDATION, msh, decoded.charset(), Issue.error(
                    ErrorCode.SEGMENT_SEQUENCE_ERROR, "", "not parseable HL7: " + describe(e)));
        }
        if (!supported) {
            return new Verdict(AckCode.AA, null, List.of(Issue.warning(ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "MSH-9",
                    "archived only: " + msh.messageType() + " is not mapped")), msh, decoded.charset(), true);
        }
        return checked(msh, decoded.charset(), issues, message.asSegments());
    }

    /** The checks of a supported message; {@code issues} is left as it was (the light reader may give up midway). */
    private Verdict checked(MshHeader msh, Charset charset, List<Issue> mshIssues, Hl7Segments message) {
        List<Issue> issues = new ArrayList<>(mshIssues);
        checkTime(issues, msh.messageTime(), "MSH-7", false);
        checkContent(issues, msh, message);
        boolean errors = issues.stream().anyMatch(i -> i.severity() == Issue.Severity.ERROR);
        return new Verdict(errors ? AckCode.AE : AckCode.AA, errors ? RejectionStage.VALIDATION : null, issues, msh,
                charset, false);
    }

    private void checkContent(List<Issue> issues, MshHeader msh, Hl7Segments message) {
        List<Hl7Segments> patients = PatientGroups.of(message);
        if (patients.isEmpty()) {
            issues.add(Issue.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, "PID", "PID segment is required"));
            return;
        }
        String code = msh.messageCode();
        String trigger = msh.triggerEvent();
        boolean result = MessageTypes.isResult(code, trigger);
        boolean merge = MessageTypes.isMerge(code, trigger);
        boolean swap = MessageTypes.isSwap(code, trigger);
        boolean link = MessageTypes.isLink(code, trigger);
        if (!result && !merge && !swap && !link && patients.size() > 1) {
            // Only results, merges, swaps and links have repeating patient groups; a second PID elsewhere is a
            // malformed message, and which patient it means cannot be told.
            issues.add(Issue.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, "PID[2]",
                    "one patient per " + code + "^" + trigger + " message"));
        }
        if (swap && (patients.size() != 2 || patients.stream().anyMatch(p -> p.first("PV1").isEmpty()))) {
            issues.add(Issue.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, "PID",
                    "a swap (A17) names two patients, each followed by the PV1 of their new bed"));
        }
        if (link && patients.size() != 2) {
            issues.add(Issue.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, "PID", "a " + (trigger.equals("A24") ? "link"
                    : "unlink") + " (" + trigger + ") names two patient records: a PID for each"));
        }
        for (int i = 0; i < patients.size(); i++) {
            checkPatient(issues, patients.get(i), patients.size() == 1 ? "" : "[" + (i + 1) + "]", code, trigger);
        }
        if (result) {
            if (PatientGroups.beforeFirstPatient(message).stream()
                    .anyMatch(s -> MessageTypes.RESULT_SEGMENTS.contains(s.name()))) {
                issues.add(Issue.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, "PID",
                        "results before the first PID belong to no patient"));
            }
            checkResults(issues, message);
        }
    }

    /** One patient group: its PID, and what its message type needs of it; {@code at} is "" or "[n]". */
    private void checkPatient(List<Issue> issues, Hl7Segments patient, String at, String code, String trigger) {
        Hl7Fields pid = patient.first("PID").orElseThrow();
        if (!hasPatientIdentifier(pid)) {
            issues.add(Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, "PID" + at + "-3",
                    "at least one patient identifier is required"));
        } else if (!hasUsableIdentifier(pid, 3)) {
            // Accepted, such a message would be archived and mapped, but identity could file it under nobody: its
            // results would never show. The sender must hear of it.
            issues.add(Issue.error(ErrorCode.DATA_TYPE_ERROR, "PID" + at + "-3", "no usable patient identifier:"
                    + " " + NO_USABLE_IDENTIFIER));
        }
        String birth = pid.value(7);
        try {
            Hl7Time.parseDate(birth);
        } catch (DateTimeException e) {
            issues.add(Issue.error(ErrorCode.DATA_TYPE_ERROR, "PID" + at + "-7", "date of birth is not an HL7 date"));
        }
        // Refused rather than read without it: PID-30 need not be sent, and without the date the death itself is lost.
        checkTime(issues, pid.value(29), "PID" + at + "-29", true);
        if ("ADT".equals(code)) {
            checkVisitTimes(issues, patient, at);
        }
        if (MessageTypes.isMerge(code, trigger)) {
            Optional<Hl7Fields> mrg = patient.first("MRG");
            if (mrg.isEmpty() || mrg.get().value(1).isEmpty()) {
                issues.add(Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, "MRG" + at + "-1",
                        "a merge needs the prior patient identifier in MRG-1"));
            } else if (!hasUsableIdentifier(mrg.get(), 1)) {
                issues.add(Issue.error(ErrorCode.DATA_TYPE_ERROR, "MRG" + at + "-1", "no usable prior patient"
                        + " identifier: " + NO_USABLE_IDENTIFIER));
            }
        }
        if (MessageTypes.isVisitMove(code, trigger)) {
            checkVisitMoves(issues, patient);
        }
        if ("ADT".equals(code) && MessageTypes.VISIT_NUMBER_ONLY_TRIGGERS.contains(trigger)) {
            // A change or merge of visit numbers that does not say both numbers changes nothing, and the sender would
            // not know.
            String what = "A42".equals(trigger) ? "a merge of visits" : "a change of visit number";
            Optional<Hl7Fields> mrg = patient.first("MRG");
            if (mrg.isEmpty() || blankValue(mrg.get().value(5))) {
                issues.add(Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, "MRG-5",
                        what + " needs the prior visit number in MRG-5"));
            }
            if (patient.first("PV1").map(pv1 -> blankValue(pv1.value(19))).orElse(true)) {
                issues.add(Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, "PV1-19",
                        what + " needs the " + ("A42".equals(trigger) ? "surviving" : "new")
                                + " visit number in PV1-19"));
            }
        }
        if (MessageTypes.isAdt(code, trigger) && MessageTypes.hasEncounter(trigger) && at.isEmpty()
                && patient.first("PV1").isEmpty()) {
            issues.add(Issue.warning(ErrorCode.SEGMENT_SEQUENCE_ERROR, "PV1", "no PV1: no encounter recorded"));
        }
        if (MessageTypes.isResult(code, trigger) && !at.isEmpty() && patient.all("OBX").isEmpty()) {
            issues.add(Issue.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, "PID" + at,
                    "a patient in a result message needs at least one OBX"));
        }
    }

    /**
     * An A45's moves: each MRG names the patient the visit was under (MRG-1, a usable identifier) and is followed by
     * the PV1 of the visit, whose number is MRG-5 or PV1-19. A move that does not say whose visit, or which, would
     * move nothing, and the sender would not know.
     */
    private static void checkVisitMoves(List<Issue> issues, Hl7Segments patient) {
        List<Hl7Fields> segments = patient.segments();
        int moves = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (!segments.get(i).name().equals("MRG")) {
                continue;
            }
            moves++;
            Hl7Fields mrg = segments.get(i);
            String at = "MRG[" + moves + "]";
            if (mrg.value(1).isEmpty()) {
                issues.add(Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, at + "-1",
                        "a visit move needs the patient it was under in MRG-1"));
            } else if (!hasUsableIdentifier(mrg, 1)) {
                issues.add(Issue.error(ErrorCode.DATA_TYPE_ERROR, at + "-1", "no usable prior patient identifier:"
                        + " " + NO_USABLE_IDENTIFIER));
            }
            Hl7Fields pv1 = i + 1 < segments.size() && segments.get(i + 1).name().equals("PV1")
                    ? segments.get(i + 1) : null;
            if (pv1 == null) {
                issues.add(Issue.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, at,
                        "a visit move needs the visit's PV1 right after its MRG"));
            } else if (blankValue(mrg.value(5)) && blankValue(pv1.value(19))) {
                issues.add(Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, at + "-5",
                        "a visit move needs the visit number in MRG-5 or PV1-19"));
            }
        }
        if (moves == 0) {
            issues.add(Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, "MRG",
                    "a visit move needs an MRG naming the patient the visit was under"));
        }
    }

    /**
     * PV1-44 and PV1-45 (admitted, discharged) of each PV1: the mapping reads one that is not an HL7 time as not
     * stated, since the trigger states what happened to the visit and a discharge is worth more without its time
     * than refused; the sender is told, as for MSH-7.
     */
    private void checkVisitTimes(List<Issue> issues, Hl7Segments patient, String at) {
        List<Hl7Fields> visits = patient.all("PV1");
        for (int i = 0; i < visits.size(); i++) {
            String pv1 = "PV1" + at + (visits.size() == 1 ? "" : "[" + (i + 1) + "]");
            checkTime(issues, visits.get(i).value(44), pv1 + "-44", false);
            checkTime(issues, visits.get(i).value(45), pv1 + "-45", false);
        }
    }

    private static boolean blankValue(String value) {
        return value.isEmpty() || Hl7Message.isExplicitNull(value);
    }

    private void checkResults(List<Issue> issues, Hl7Segments message) {
        List<Hl7Fields> obrs = message.all("OBR");
        List<Hl7Fields> obxs = message.all("OBX");
        if (obrs.isEmpty()) {
            issues.add(Issue.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, "OBR", "a result needs an OBR segment"));
        }
        if (obxs.isEmpty()) {
            issues.add(Issue.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, "OBX", "a result needs at least one OBX"));
        }
        for (int i = 0; i < obrs.size(); i++) {
            checkTime(issues, obrs.get(i).value(7), "OBR[" + (i + 1) + "]-7", true);
            // The status change time orders versions of equal status, after OBX-14 without it: the mapping reads one
            // that is not an HL7 time as not stated, and the result counts.
            checkTime(issues, obrs.get(i).value(22), "OBR[" + (i + 1) + "]-22", false);
        }
        for (int i = 0; i < obxs.size(); i++) {
            Hl7Fields obx = obxs.get(i);
            String at = "OBX[" + (i + 1) + "]";
            require(issues, obx.value(3), at + "-3", "observation identifier is required");
            require(issues, obx.value(11), at + "-11", "observation result status is required");
            if (!obx.value(5).isEmpty()) {
                require(issues, obx.value(2), at + "-2", "value type is required when a value is sent");
            }
            checkTime(issues, obx.value(14), at + "-14", true);
        }
    }

    private void checkTime(List<Issue> issues, String value, String location, boolean error) {
        try {
            Hl7Time.parse(value, rules.zone());
        } catch (DateTimeException | NumberFormatException e) {
            String text = "not an HL7 date/time (YYYYMMDDHHMMSS[+/-ZZZZ])";
            issues.add(error ? Issue.error(ErrorCode.DATA_TYPE_ERROR, location, text)
                    : Issue.warning(ErrorCode.DATA_TYPE_ERROR, location, text));
        }
    }

    /** At least one identifier identity can file the patient under: NHS numbers failing their checks never are. */
    private static final String NO_USABLE_IDENTIFIER = "the only ones are NHS numbers that fail their checks (check"
            + " digit or length) or placeholders (UNKNOWN, 0)";

    private static boolean hasUsableIdentifier(Hl7Fields segment, int field) {
        return Identifiers.anyUsable(segment, field);
    }

    private static boolean hasPatientIdentifier(Hl7Fields pid) {
        for (int rep = 0; rep < pid.repetitions(3); rep++) {
            String id = pid.value(3, rep, 1);
            if (!id.isEmpty() && !Hl7Message.isExplicitNull(id)) {
                return true;
            }
        }
        return false;
    }

    private static void require(List<Issue> issues, String value, String location, String text) {
        if (value.isEmpty() || Hl7Message.isExplicitNull(value)) {
            issues.add(Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, location, text));
        }
    }

    private static Verdict reject(RejectionStage stage, MshHeader msh, Charset charset, Issue issue) {
        return new Verdict(AckCode.AR, stage, List.of(issue), msh, charset, false);
    }

    /** HAPI's messages can quote message text; keep only the first line and cap its length. */
    private static String describe(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    /**
     * The text as HAPI and the MSH reader need it: CR between segments, nothing before MSH, nothing after the last
     * segment. The mapper reads archived payloads through this too, so it accepts exactly what validation accepted.
     */
    public static String normaliseSegmentSeparators(String text) {
        String t = stripLeadingWhitespace(text).replace("\r\n", "\r").replace('\n', '\r');
        // Trailing separators make HAPI see an empty last segment.
        int end = t.length();
        while (end > 0 && (t.charAt(end - 1) == '\r' || t.charAt(end - 1) == ' ')) {
            end--;
        }
        return t.substring(0, end);
    }

    /** The MLLP start block, which the frame decoder leaves in a payload when it is not the frame's first byte. */
    private static final char START_BLOCK = 0x0B;

    /**
     * The 1-based number of the first segment after the first that is a header (MSH, BHS, FHS); 0 if none. HAPI strips
     * whitespace (Character.isWhitespace: the MLLP start block 0x0B and 0x1C to 0x1F too) from the start of every
     * segment, so a header after whitespace is one: an indented line, or a start block where a sender dropped an end
     * block. A start block is never text, so one followed by a header inside a segment (the end block dropped with the
     * CR before it) starts a message too.
     */
    private static int secondHeader(String normalised) {
        int segment = 1;
        for (int at = normalised.indexOf('\r'); at >= 0; at = normalised.indexOf('\r', at + 1)) {
            segment++;
            if (isHeaderAt(normalised, afterWhitespace(normalised, at + 1))) {
                return segment;
            }
        }
        for (int at = normalised.indexOf(START_BLOCK); at >= 0; at = normalised.indexOf(START_BLOCK, at + 1)) {
            if (isHeaderAt(normalised, afterWhitespace(normalised, at + 1))) {
                return 1 + (int) normalised.substring(0, at).chars().filter(c -> c == '\r').count();
            }
        }
        return 0;
    }

    private static boolean isHeaderAt(String text, int at) {
        return text.startsWith("MSH", at) || text.startsWith("BHS", at) || text.startsWith("FHS", at);
    }

    /** Where the segment text from {@code at} starts once HAPI has stripped its leading whitespace. */
    private static int afterWhitespace(String text, int at) {
        int i = at;
        while (i < text.length() && text.charAt(i) != '\r' && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static String stripLeadingWhitespace(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i == 0 ? text : text.substring(i);
    }
}
