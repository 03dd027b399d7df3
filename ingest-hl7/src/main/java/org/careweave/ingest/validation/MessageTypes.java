package org.careweave.ingest.validation;

import java.util.Set;

/** The message types careweave maps to events, and what each must carry. */
public final class MessageTypes {

    public static final Set<String> ADT_PATIENT_TRIGGERS =
            Set.of("A01", "A02", "A03", "A04", "A05", "A08", "A11", "A13", "A28", "A31");
    public static final Set<String> ADT_MERGE_TRIGGERS = Set.of("A40", "A34", "A39");

    private MessageTypes() {
    }

    public static boolean supported(String code, String trigger) {
        return isAdt(code, trigger) || isMerge(code, trigger) || isResult(code, trigger);
    }

    public static boolean isAdt(String code, String trigger) {
        return "ADT".equals(code) && ADT_PATIENT_TRIGGERS.contains(trigger);
    }

    public static boolean isMerge(String code, String trigger) {
        return "ADT".equals(code) && ADT_MERGE_TRIGGERS.contains(trigger);
    }

    public static boolean isResult(String code, String trigger) {
        return "ORU".equals(code) && "R01".equals(trigger);
    }

    /** Triggers that describe a visit, and so also produce an encounter event. */
    public static boolean hasEncounter(String trigger) {
        return Set.of("A01", "A02", "A03", "A04", "A05", "A08", "A11", "A13").contains(trigger);
    }
}
