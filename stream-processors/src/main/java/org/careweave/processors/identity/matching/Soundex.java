package org.careweave.processors.identity.matching;

/** American Soundex, for blocking keys that survive most spelling variants of a surname. */
final class Soundex {

    //                                     abcdefghijklmnopqrstuvwxyz
    private static final String CODES = "01230120022455012623010202";

    private Soundex() {
    }

    /** @param letters lower-case a–z only (as normalised by {@link Text#letters}) */
    static String encode(String letters) {
        if (letters == null || letters.isEmpty()) {
            return null;
        }
        char[] out = {Character.toUpperCase(letters.charAt(0)), '0', '0', '0'};
        int n = 1;
        char previous = CODES.charAt(letters.charAt(0) - 'a');
        for (int i = 1; i < letters.length() && n < 4; i++) {
            char c = letters.charAt(i);
            char code = CODES.charAt(c - 'a');
            if (code != '0' && code != previous) {
                out[n++] = code;
            }
            // 'h' and 'w' do not separate two letters with the same code; vowels do.
            if (c != 'h' && c != 'w') {
                previous = code;
            }
        }
        return new String(out);
    }
}
