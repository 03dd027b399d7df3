package org.careweave.processors.results;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.careweave.events.Coding;
import org.careweave.events.Identifier;
import org.careweave.events.ObservationEvent;

/**
 * The identities of a result.
 *
 * <ul>
 *   <li><b>version key</b>: which result an OBX is a version of, within its source: sending facility, order number
 *       (filler, else placer), test code as sent and OBX-4 sub-id. P, F and C of one result share it.</li>
 *   <li><b>message key</b>: which message sent the version: version key, MSH-10 and OBX-1. A verbatim resend has
 *       the same message key and is the same version.</li>
 *   <li><b>content key</b>: what the result says, so that copies from different organisations (different control
 *       and order numbers) are recognised: person, test code after local→LOINC mapping, specimen collection
 *       instant, value (numbers compared as numbers) and units (UCUM spelling).</li>
 * </ul>
 */
public final class ResultKeys {

    public static final String NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    private static final char SEP = '\u001f'; // cannot occur in HL7 field values, so keys cannot collide by joining

    private ResultKeys() {
    }

    /**
     * facility|order|code system|code|sub-id, readable. Without any order number an OBX cannot be recognised in a
     * later message, so its version key is its own message (facility, MSH-10, OBX-1): it is a result of its own,
     * which content deduplication can still merge with copies.
     */
    public static String versionKey(ObservationEvent event) {
        String facility = event.getProvenance().getSendingFacility();
        String order = event.getFillerOrderNumber() != null && !event.getFillerOrderNumber().isBlank()
                ? "F:" + event.getFillerOrderNumber().strip()
                : event.getPlacerOrderNumber() != null && !event.getPlacerOrderNumber().isBlank()
                ? "P:" + event.getPlacerOrderNumber().strip()
                : "M:" + event.getProvenance().getControlId() + "#" + event.getSetId();
        Coding code = event.getCode();
        String subId = event.getSubId() == null ? "" : event.getSubId().strip();
        return facility + "|" + order + "|" + code.getSystem() + "|" + code.getCode() + "|" + subId;
    }

    /** The version key, MSH-10 and OBX-1: identical for a verbatim resend of the same message. */
    public static String messageKey(ObservationEvent event) {
        return versionKey(event) + "|" + event.getProvenance().getControlId() + "|" + event.getSetId();
    }

    /** The content key with the shipped local code mapping. */
    public static Optional<String> contentKey(String personId, ObservationEvent event) {
        return contentKey(personId, event, LocalCodes.defaults());
    }

    /**
     * An opaque key equal for two observations that are the same test result of the same person, whoever sent
     * them; empty when the observation cannot be compared by content: no value, no specimen collection time, or a
     * retraction (which says nothing about the value).
     */
    public static Optional<String> contentKey(String personId, ObservationEvent event, LocalCodes codes) {
        Coding code = codes.map(event.getCode(), event.getProvenance().getSendingFacility()).code();
        return contentFingerprint(event, code).map(fingerprint -> digest(personId + SEP + fingerprint));
    }

    /** The content key without the person: what a person's state keeps, so it survives moving to another person. */
    static Optional<String> contentFingerprint(ObservationEvent event, Coding mappedCode) {
        String value = Values.canonical(event.getValue(), event.getNumericValue());
        if (value == null || event.getCollectedAt() == null || ResultStatus.isRetraction(event.getStatus())) {
            return Optional.empty();
        }
        String units = Units.normalise(event.getUnits());
        return Optional.of(digest(mappedCode.getSystem() + SEP + mappedCode.getCode()
                + SEP + event.getCollectedAt().getInstant().toEpochMilli()
                + SEP + value
                + SEP + (units == null ? "" : units)));
    }

    /**
     * Whether two versions are of two results the same laboratory told apart, which must stay two results even when
     * they say the same thing: two blood cultures taken together both say "Culture in progress" until one grows
     * Staphylococcus aureus, and two organisms of one culture are both "S" to amoxicillin. Content keys are for
     * recognising copies (another organisation's, or a resend under a new control id); a facility's own order numbers
     * and OBX-4 sub-ids already say which result a version belongs to. So: same facility, different version keys,
     * and either they name different orders ({@link #differentOrders}) or their sub-ids differ. Versions without an
     * order number are keyed by their message, so a resend of one under a new control id may still join it by
     * content.
     */
    static boolean distinctResults(ResultVersion a, ResultVersion b) {
        if (!Objects.equals(a.sendingFacility(), b.sendingFacility()) || a.versionKey().equals(b.versionKey())) {
            return false;
        }
        return !subId(a).equals(subId(b)) || differentOrders(a, b);
    }

    /**
     * Whether the two name different orders: by the laboratory's numbers when both have one, else by the requester's
     * when both have one. A version without the laboratory's number (a preliminary sent before it assigned one) is
     * the same order as one that has it under the same requester's number.
     */
    private static boolean differentOrders(ResultVersion a, ResultVersion b) {
        String fillerA = orderNumber(a.fillerOrderNumber());
        String fillerB = orderNumber(b.fillerOrderNumber());
        if (fillerA != null && fillerB != null) {
            return !fillerA.equals(fillerB);
        }
        String placerA = orderNumber(a.placerOrderNumber());
        String placerB = orderNumber(b.placerOrderNumber());
        return placerA != null && placerB != null && !placerA.equals(placerB);
    }

    private static String orderNumber(String sent) {
        return sent == null || sent.isBlank() ? null : sent.strip();
    }

    private static String subId(ResultVersion v) {
        return v.subId() == null ? "" : v.subId().strip();
    }

    /** A result's id: opaque, the same whatever order its versions and copies arrived in. */
    static String resultId(String personId, String namingVersionKey) {
        return "cwr-" + digest(personId + SEP + namingVersionKey).substring(0, 32);
    }

    static String alertId(String personId, String ruleId, String previousResultId, String currentResultId) {
        return "cwa-" + digest(personId + SEP + ruleId + SEP + previousResultId + SEP + currentResultId)
                .substring(0, 32);
    }

    /**
     * The patient's record at the source, as identity keys source records: the first valid local identifier, or
     * facility|NHS number when there is none.
     */
    public static String sourceIdentifier(ObservationEvent event) {
        List<Identifier> ids = event.getPatientIdentifiers();
        return ids.stream().filter(i -> i.getValid() && !NHS_SYSTEM.equals(i.getSystem()))
                .map(ResultKeys::key).findFirst()
                .orElseGet(() -> ids.stream().filter(i -> i.getValid() && NHS_SYSTEM.equals(i.getSystem()))
                        .findFirst().map(i -> event.getProvenance().getSendingFacility() + "|" + key(i))
                        .orElse(null));
    }

    static List<String> patientIdentifiers(ObservationEvent event) {
        return event.getPatientIdentifiers().stream().filter(Identifier::getValid).map(ResultKeys::key).distinct()
                .toList();
    }

    private static String key(Identifier identifier) {
        return identifier.getSystem() + "|" + identifier.getValue();
    }

    static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
