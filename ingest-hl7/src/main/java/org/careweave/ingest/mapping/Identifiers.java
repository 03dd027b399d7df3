package org.careweave.ingest.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.careweave.events.Identifier;
import org.careweave.ingest.hl7.Hl7Fields;
import org.careweave.ingest.hl7.Hl7Message;

/**
 * Turns CX repetitions (PID-3, MRG-1) into {@code system|value} identifiers. The system is the assigning authority,
 * or the sending facility when none is given, so the same local number at two facilities is two identifiers.
 * NHS numbers are recognised by identifier type NH, or by assigning authority NHS or its OID, and checked with
 * Modulus 11: an invalid one is kept, flagged invalid, and never used to link.
 */
public final class Identifiers {

    private Identifiers() {
    }

    public static List<Identifier> fromCx(Hl7Fields segment, int field, String sendingFacility) {
        List<Identifier> out = new ArrayList<>();
        for (int rep = 0, n = segment.repetitions(field); rep < n; rep++) {
            String value = segment.value(field, rep, 1).trim();
            if (value.isEmpty() || Hl7Message.isExplicitNull(value)) {
                continue;
            }
            String namespace = segment.value(field, rep, 4, 1).trim();
            String universalId = segment.value(field, rep, 4, 2).trim();
            String type = segment.value(field, rep, 5).trim();
            out.add(identifier(value, namespace, universalId, type, sendingFacility));
        }
        return out;
    }

    /**
     * A PID's identifiers: PID-3's, then the NHS numbers in PID-2 (external id) and PID-4 (alternate id) that PID-3
     * does not carry. Feeds written for HL7 2.3 and 2.4 often send the NHS number in PID-2 and only the local number in
     * PID-3; read from PID-3 alone, such a patient was linked on demographics at best. Only a repetition labelled an
     * NHS number (type NH, or authority NHS or its OID) is taken from PID-2 and PID-4: other systems' ids there say
     * nothing identity can rely on, and ten digits alone pass the check digit by chance about once in eleven.
     */
    public static List<Identifier> ofPatient(Hl7Fields pid, String sendingFacility) {
        List<Identifier> out = fromCx(pid, 3, sendingFacility);
        for (int field : new int[] {2, 4}) {
            for (Identifier id : fromCx(pid, field, sendingFacility)) {
                if (NhsNumbers.SYSTEM.equals(id.getSystem())
                        && out.stream().noneMatch(known -> key(known).equals(key(id)))) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    /**
     * Whether any repetition is an identifier identity can file a patient under: a local one, or an NHS number that
     * passes its checks. Validation asks this of every message, so it builds nothing.
     */
    public static boolean anyUsable(Hl7Fields segment, int field) {
        for (int rep = 0, n = segment.repetitions(field); rep < n; rep++) {
            String value = segment.value(field, rep, 1).trim();
            if (value.isEmpty() || Hl7Message.isExplicitNull(value)) {
                continue;
            }
            boolean nhs = isNhsNumber(segment.value(field, rep, 4, 1).trim(), segment.value(field, rep, 4, 2).trim(),
                    segment.value(field, rep, 5).trim());
            if (nhs ? NhsNumbers.problem(NhsNumbers.normalise(value)).isEmpty() : !isPlaceholder(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNhsNumber(String namespace, String universalId, String type) {
        return "NH".equalsIgnoreCase(type) || "NHS".equals(namespace.toUpperCase(Locale.ROOT))
                || NhsNumbers.OID.equals(universalId) || NhsNumbers.OID.equals(namespace);
    }

    static Identifier identifier(String value, String namespace, String universalId, String type,
                                 String sendingFacility) {
        boolean nhs = isNhsNumber(namespace, universalId, type);
        Identifier.Builder b = Identifier.newBuilder().setType(type.isEmpty() ? null : type);
        if (nhs) {
            String number = NhsNumbers.normalise(value);
            b.setSystem(NhsNumbers.SYSTEM).setValue(number);
            NhsNumbers.problem(number).ifPresentOrElse(p -> b.setValid(false).setInvalidReason(p),
                    () -> b.setValid(true));
        } else {
            String system = !namespace.isEmpty() ? namespace : !universalId.isEmpty() ? universalId : sendingFacility;
            b.setSystem(system).setValue(value);
            if (isPlaceholder(value)) {
                b.setValid(false).setInvalidReason(PLACEHOLDER);
            } else {
                b.setValid(true);
            }
        }
        return b.build();
    }

    static final String PLACEHOLDER = "a placeholder, not a patient identifier";

    private static final Set<String> PLACEHOLDER_VALUES = Set.of("UNKNOWN", "UNK", "NOTKNOWN",
            "NOT KNOWN", "NK", "NONE", "N/A", "NA", "NULL", "TBC", "TBA", "TEMP", "NOMRN", "NO MRN");

    /**
     * A local identifier that stands for none: "UNKNOWN", "TBC", "N/A", "0", "000000", or punctuation. Some systems
     * send one when a patient has no number yet; every such patient would be one source record, their demographics
     * and results folded together. Kept, flagged invalid, and never used to key or link.
     */
    static boolean isPlaceholder(String value) {
        String v = value.trim();
        return PLACEHOLDER_VALUES.contains(v.toUpperCase(Locale.ROOT)) || v.chars().allMatch(c -> c == '0')
                || v.chars().noneMatch(Character::isLetterOrDigit);
    }

    public static String key(Identifier identifier) {
        return identifier.getSystem() + "|" + identifier.getValue();
    }

    /**
     * The topic key of a patient: its record at the source, as identity keys source records: the first valid local
     * identifier, else the first valid identifier (an NHS number), else the first. Routing files each event under its
     * key and follows that key's link, so a result keyed by the NHS number a message listed first stayed with that
     * number's patient when identity moved the record (a separation, a corrected NHS number), while the views took it
     * out with the record: shown under no one. Until the twenty-third session the first valid identifier keyed it.
     */
    public static String patientKey(List<Identifier> identifiers) {
        return identifiers.stream().filter(i -> i.getValid() && !NhsNumbers.SYSTEM.equals(i.getSystem())).findFirst()
                .or(() -> identifiers.stream().filter(Identifier::getValid).findFirst())
                .or(() -> identifiers.stream().findFirst())
                .map(Identifiers::key)
                .orElseThrow(() -> new MappingException("no usable patient identifier in PID-3"));
    }
}
