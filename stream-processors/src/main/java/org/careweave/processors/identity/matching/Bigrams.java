package org.careweave.processors.identity.matching;

import java.util.Arrays;

/** Character bigram profiles: robust to typos, run-together words and words in another order. */
final class Bigrams {

    static final int[] NONE = new int[0];

    private Bigrams() {
    }

    /** The sorted multiset of adjacent character pairs, each packed into one int. */
    static int[] of(String s) {
        if (s == null || s.length() < 2) {
            return NONE;
        }
        int[] out = new int[s.length() - 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = (s.charAt(i) << 16) | s.charAt(i + 1);
        }
        Arrays.sort(out);
        return out;
    }

    /** Sørensen–Dice coefficient of two sorted bigram multisets: 2|A∩B| / (|A|+|B|). */
    static double dice(int[] a, int[] b) {
        if (a.length == 0 || b.length == 0) {
            return 0.0;
        }
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return 2.0 * common / (a.length + b.length);
    }
}
