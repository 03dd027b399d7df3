package org.careweave.processors.identity.matching;

/** Cheap "at most one typing error apart" tests, without building a distance matrix. */
final class EditDistance {

    private EditDistance() {
    }

    /**
     * True when b is a from at most one substitution, insertion, deletion or swap of two adjacent characters
     * (Damerau's single-error classes, which cover most keying errors in dates and postcodes).
     */
    static boolean withinOneEdit(String a, String b) {
        int la = a.length();
        int lb = b.length();
        if (Math.abs(la - lb) > 1) {
            return false;
        }
        int start = 0;
        int max = Math.min(la, lb);
        while (start < max && a.charAt(start) == b.charAt(start)) {
            start++;
        }
        if (start == max) {
            return true;
        }
        int endA = la - 1;
        int endB = lb - 1;
        while (endA >= start && endB >= start && a.charAt(endA) == b.charAt(endB)) {
            endA--;
            endB--;
        }
        int restA = endA - start + 1;
        int restB = endB - start + 1;
        if (restA <= 1 && restB <= 1) {
            return true;
        }
        return restA == 2 && restB == 2
                && a.charAt(start) == b.charAt(start + 1) && a.charAt(start + 1) == b.charAt(start);
    }
}
