package org.careweave.processors.identity;

import org.careweave.processors.identity.matching.MatchOutcome;
import org.careweave.processors.identity.matching.MatchResult;

/**
 * Children of one birth, as their senders state it (PID-24 multiple birth, PID-25 birth order). Twins share family
 * name, birth date, address and often sex, and their given names may differ by a letter (Jayden and Jaden), which
 * demographics cannot tell from a typo; a false link shows one twin's results in the other's record. So what the
 * sender says about the birth decides where demographics cannot.
 */
final class MultipleBirths {

    /** The guard a result names when both records state different places in one birth. */
    static final String DIFFERENT_BIRTH_ORDER = "different children of one birth";
    /** The guard a result names when one record is stated to be one of a multiple birth and the other says nothing. */
    static final String ONE_OF_A_MULTIPLE_BIRTH = "one of a multiple birth";

    private MultipleBirths() {
    }

    /**
     * The result with what the two records state about a multiple birth applied: different birth orders are never
     * linked by demographics (at most NO_LINK); a link where one record is stated to be one of a multiple birth and
     * the other states no birth order is at most REVIEW. Two records stating the same birth order, or neither
     * stating anything, keep their result.
     */
    static MatchResult apply(MatchResult result, SourceRecord a, SourceRecord b) {
        if (result.outcome() == MatchOutcome.NO_LINK) {
            return result;
        }
        String orderA = a.value(SourceRecord.BIRTH_ORDER);
        String orderB = b.value(SourceRecord.BIRTH_ORDER);
        if (orderA != null && orderB != null) {
            return orderA.equals(orderB) ? result
                    : new MatchResult(result.score(), MatchOutcome.NO_LINK, result.evidence(), DIFFERENT_BIRTH_ORDER);
        }
        if (result.outcome() == MatchOutcome.LINK && (ofMultipleBirth(a) || ofMultipleBirth(b))) {
            return new MatchResult(result.score(), MatchOutcome.REVIEW, result.evidence(), ONE_OF_A_MULTIPLE_BIRTH);
        }
        return result;
    }

    private static boolean ofMultipleBirth(SourceRecord record) {
        return "Y".equals(record.value(SourceRecord.MULTIPLE_BIRTH)) || record.value(SourceRecord.BIRTH_ORDER) != null;
    }
}
