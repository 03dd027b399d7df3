package org.careweave.ingest.validation;

import java.util.Set;

/** The message types careweave maps to events, and what each must carry. */
public final class MessageTypes {

    /**
     * Visits (admit, transfer, discharge, registration, pre-admission, pending admission, leave of absence), their
     * cancellations, class changes, new visit numbers, two numbers of one visit merged (A42), updates and deletions
     * (A23), the person-only registrations,
     * updates and deletions A28, A31 and A29, and the triggers that say what may happen or who looks after the patient
     * ({@link #DEMOGRAPHICS_ONLY_TRIGGERS}).
     */
    public static final Set<String> ADT_PATIENT_TRIGGERS = Set.of("A01", "A02", "A03", "A04", "A05", "A06", "A07",
            "A08", "A11", "A12", "A13", "A14", "A17", "A21", "A22", "A23", "A27", "A28", "A31", "A38", "A50", "A52",
            "A53", "A09", "A10", "A15", "A16", "A25", "A26", "A32", "A33", "A54", "A55", "A29", "A61", "A62", "A60",
            "A48", "A49", "A51", "A42", "A35", "A41");
    /**
     * Delete person information (A29): the sender withdraws a registration it made in error (it undoes an A28). Its
     * record states no demographics from then on; its identifiers, and anything filed under them, stay.
     */
    public static final String DELETE_PERSON = "A29";
    /** Swap patients (A17): two patients, each with the PV1 of the bed the other had. */
    public static final String SWAP = "A17";
    /**
     * Triggers whose PID is the patient as the source knows them now, but whose visit part changes nothing careweave
     * shows: tracking a patient's departure and arrival (A09, A10, and their cancellations A32, A33), pending
     * transfers and discharges (A15, A16, cancelled by A25, A26: what may happen, not what did), changes of the
     * attending or consulting doctor (A54, A55, A61, A62), allergies (A60: careweave keeps none), and changes of
     * numbers careweave does not key anything by (A48 alternate patient id, A49 and its older form A35 account number,
     * A51 alternate visit id; their MRG names the old number, not a patient to merge), and two account numbers of one
     * patient merged into one (A41: careweave keeps no accounts, and the patient and their visits stay as they are). A
     * full hospital feed sends them all; refusing them would fill the sender's error queue, and their demographics are
     * as current as an A08's.
     */
    public static final Set<String> DEMOGRAPHICS_ONLY_TRIGGERS = Set.of("A09", "A10", "A15", "A16", "A25", "A26",
            "A32", "A33", "A54", "A55", "A61", "A62", "A60", "A48", "A49", "A51", "A35", "A41");
    /** The triggers that describe a visit, and so also produce an encounter event. */
    private static final Set<String> VISIT_TRIGGERS = Set.of("A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08",
            "A11", "A12", "A13", "A14", "A17", "A21", "A22", "A23", "A27", "A38", "A50", "A52", "A53", "A42");
    /**
     * Triggers whose MRG-5 gives the visit's previous number: a class change that renumbers the visit (A06, A07), a
     * plain change of visit number (A50), and a merge of two visit numbers of one patient into the PV1's (A42: one
     * stay registered twice). Their MRG-1 names the same patient, not one to merge.
     */
    public static final Set<String> VISIT_RENUMBERING_TRIGGERS = Set.of("A06", "A07", "A50", "A42");
    /** Triggers that tie an earlier visit number to the PV1's and say nothing else: both numbers are required. */
    public static final Set<String> VISIT_NUMBER_ONLY_TRIGGERS = Set.of("A50", "A42");
    /**
     * Triggers that fold a prior patient identifier (MRG-1) into the patient of PID-3: merges (A40, A34, A39), the
     * older merges that HL7 keeps for backward compatibility and older patient administration systems still send
     * (A18 from v2.2, A30 merge person, A36 merge patient and account: its account part is not kept, careweave has
     * no accounts), and a change of identifier (A47: a temporary number replaced by a permanent one, a number issued
     * in error; and A46, its name before HL7 2.3.1, which older systems still send).
     */
    public static final Set<String> ADT_MERGE_TRIGGERS = Set.of("A40", "A34", "A39", "A18", "A30", "A36", "A47",
            "A46");
    /**
     * Link (A24) and unlink (A37) two patient records: the first PID and the second name the same patient (A24), or
     * no longer do (A37). Each record stays as it is: an enterprise index or a trust's two sites say who is whom.
     */
    public static final Set<String> ADT_LINK_TRIGGERS = Set.of("A24", "A37");
    /**
     * Move a visit (A45): a visit recorded under the wrong patient. Each MRG names the patient it was under (MRG-1)
     * and its number there (MRG-5); the PV1 after it is the visit as it now is, under the PID's patient.
     */
    public static final String VISIT_MOVE = "A45";
    /** Segments of a result's orders, which belong to the patient whose PID comes before them. */
    public static final Set<String> RESULT_SEGMENTS = Set.of("ORC", "OBR", "OBX");

    private MessageTypes() {
    }

    public static boolean supported(String code, String trigger) {
        return isAdt(code, trigger) || isMerge(code, trigger) || isLink(code, trigger) || isVisitMove(code, trigger)
                || isResult(code, trigger);
    }

    public static boolean isAdt(String code, String trigger) {
        return "ADT".equals(code) && ADT_PATIENT_TRIGGERS.contains(trigger);
    }

    public static boolean isMerge(String code, String trigger) {
        return "ADT".equals(code) && ADT_MERGE_TRIGGERS.contains(trigger);
    }

    /** A link (A24) or unlink (A37) of two patient records: its message has two patient groups. */
    public static boolean isLink(String code, String trigger) {
        return "ADT".equals(code) && ADT_LINK_TRIGGERS.contains(trigger);
    }

    /** A visit moved from one patient to another (A45). */
    public static boolean isVisitMove(String code, String trigger) {
        return "ADT".equals(code) && VISIT_MOVE.equals(trigger);
    }

    /** A swap of two patients' locations (A17): its message has two patient groups. */
    public static boolean isSwap(String code, String trigger) {
        return "ADT".equals(code) && SWAP.equals(trigger);
    }

    public static boolean isResult(String code, String trigger) {
        return "ORU".equals(code) && "R01".equals(trigger);
    }

    /** Triggers that describe a visit, and so also produce an encounter event. */
    public static boolean hasEncounter(String trigger) {
        return VISIT_TRIGGERS.contains(trigger);
    }
}
