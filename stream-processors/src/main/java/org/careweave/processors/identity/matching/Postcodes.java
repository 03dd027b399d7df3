package org.careweave.processors.identity.matching;

/** Postcode areas, for the "same district" comparison level and for blocking. */
final class Postcodes {

    private Postcodes() {
    }

    /**
     * The part of a normalised (lower-case, no spaces) postcode that names an area rather than a street.
     * UK postcodes end in a three-character inward code (digit, letter, letter): the district is what precedes it
     * ("ls1" of "ls14ab"). Numeric postcodes (Australian, US ZIP) narrow from left to right: the district is all
     * but the last digit ("412" of "4123"). Anything else has no district.
     */
    static String district(String postcode) {
        if (postcode == null) {
            return null;
        }
        int n = postcode.length();
        if (n >= 5 && n <= 7 && Character.isLetter(postcode.charAt(0)) && Character.isDigit(postcode.charAt(n - 3))
                && Character.isLetter(postcode.charAt(n - 2)) && Character.isLetter(postcode.charAt(n - 1))) {
            return postcode.substring(0, n - 3);
        }
        if (n >= 3 && allDigits(postcode)) {
            return postcode.substring(0, n - 1);
        }
        return null;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
