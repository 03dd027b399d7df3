package org.careweave.processors.identity.matching;

/**
 * Jaro–Winkler similarity (Winkler 1990: prefix scale 0.1, prefix up to 4 characters, boost above Jaro 0.7).
 * Strings of up to 64 characters are compared with bit masks so that the hot path allocates nothing.
 */
public final class JaroWinkler {

    private static final double PREFIX_SCALE = 0.1;
    private static final double BOOST_THRESHOLD = 0.7;

    private JaroWinkler() {
    }

    public static double similarity(String a, String b) {
        if (a.equals(b)) {
            return 1.0;
        }
        double jaro = a.length() <= 64 && b.length() <= 64 ? jaroShort(a, b) : jaroLong(a, b);
        if (jaro <= BOOST_THRESHOLD) {
            return jaro;
        }
        int limit = Math.min(4, Math.min(a.length(), b.length()));
        int prefix = 0;
        while (prefix < limit && a.charAt(prefix) == b.charAt(prefix)) {
            prefix++;
        }
        return jaro + prefix * PREFIX_SCALE * (1.0 - jaro);
    }

    private static double jaroShort(String a, String b) {
        int la = a.length();
        int lb = b.length();
        if (la == 0 || lb == 0) {
            return 0.0;
        }
        int window = Math.max(0, Math.max(la, lb) / 2 - 1);
        long matchedA = 0;
        long matchedB = 0;
        int matches = 0;
        for (int i = 0; i < la; i++) {
            char c = a.charAt(i);
            int from = Math.max(0, i - window);
            int to = Math.min(lb - 1, i + window);
            for (int j = from; j <= to; j++) {
                if ((matchedB & (1L << j)) == 0 && b.charAt(j) == c) {
                    matchedA |= 1L << i;
                    matchedB |= 1L << j;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0.0;
        }
        int halfTranspositions = 0;
        int j = 0;
        for (int i = 0; i < la; i++) {
            if ((matchedA & (1L << i)) != 0) {
                while ((matchedB & (1L << j)) == 0) {
                    j++;
                }
                if (a.charAt(i) != b.charAt(j)) {
                    halfTranspositions++;
                }
                j++;
            }
        }
        return jaro(matches, halfTranspositions / 2, la, lb);
    }

    private static double jaroLong(String a, String b) {
        int la = a.length();
        int lb = b.length();
        int window = Math.max(0, Math.max(la, lb) / 2 - 1);
        boolean[] matchedA = new boolean[la];
        boolean[] matchedB = new boolean[lb];
        int matches = 0;
        for (int i = 0; i < la; i++) {
            char c = a.charAt(i);
            int from = Math.max(0, i - window);
            int to = Math.min(lb - 1, i + window);
            for (int j = from; j <= to; j++) {
                if (!matchedB[j] && b.charAt(j) == c) {
                    matchedA[i] = true;
                    matchedB[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0.0;
        }
        int halfTranspositions = 0;
        int j = 0;
        for (int i = 0; i < la; i++) {
            if (matchedA[i]) {
                while (!matchedB[j]) {
                    j++;
                }
                if (a.charAt(i) != b.charAt(j)) {
                    halfTranspositions++;
                }
                j++;
            }
        }
        return jaro(matches, halfTranspositions / 2, la, lb);
    }

    private static double jaro(int matches, int transpositions, int la, int lb) {
        double m = matches;
        return (m / la + m / lb + (m - transpositions) / m) / 3.0;
    }
}
