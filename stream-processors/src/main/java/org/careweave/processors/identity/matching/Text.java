package org.careweave.processors.identity.matching;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Normalisation of raw source values into the compact forms the comparisons use. Runs once per record. */
final class Text {

    /**
     * Street-type words are written out in full so that "12 Acacia Ave" and "12 Acacia Avenue" read the same and a
     * run-together "acaciaavenue" stays close to "acacia avenue".
     */
    private static final Map<String, String> ADDRESS_WORDS = Map.ofEntries(
            Map.entry("st", "street"), Map.entry("str", "street"), Map.entry("rd", "road"),
            Map.entry("ave", "avenue"), Map.entry("av", "avenue"), Map.entry("ln", "lane"),
            Map.entry("dr", "drive"), Map.entry("cl", "close"), Map.entry("cres", "crescent"),
            Map.entry("cresc", "crescent"), Map.entry("ct", "court"), Map.entry("pl", "place"),
            Map.entry("sq", "square"), Map.entry("ter", "terrace"), Map.entry("terr", "terrace"),
            Map.entry("gdns", "gardens"), Map.entry("gro", "grove"), Map.entry("gr", "grove"),
            Map.entry("pk", "park"), Map.entry("pde", "parade"), Map.entry("hwy", "highway"),
            Map.entry("blvd", "boulevard"), Map.entry("cct", "circuit"), Map.entry("mt", "mount"),
            Map.entry("nth", "north"), Map.entry("sth", "south"), Map.entry("apt", "flat"),
            Map.entry("apartment", "flat"));

    private Text() {
    }

    /** Lower-case a–z only (accents folded, spaces, hyphens and apostrophes dropped); null when nothing is left. */
    static String letters(String raw) {
        return compact(raw, false);
    }

    /**
     * What maternity and emergency departments register before a patient has a name ("Baby", "Baby Boy", "Twin 1",
     * "Baby of Jane", "Unknown"), in the form {@link #letters} gives. Two newborn twins registered as "Baby Smith"
     * share family name, birth date, address and often sex: a placeholder agreeing with a placeholder is no
     * evidence that they are one child, so matching takes it as no given name at all.
     */
    private static final Set<String> PLACEHOLDER_GIVEN_NAMES = Set.of("baby", "babyboy", "babygirl", "babya",
            "babyb", "babyc", "babyone", "babytwo", "twin", "twina", "twinb", "twinone", "twintwo", "triplet",
            "tripleta", "tripletb", "tripletc", "infant", "infantboy", "infantgirl", "newborn", "neonate", "boy",
            "girl", "male", "female", "unknown", "unk", "unnamed", "notknown", "nk", "bb", "bg", "mbaby", "fbaby");

    /** A given name as {@link #letters} gives it, or null when it is only a placeholder for one. */
    static String realGivenName(String letters) {
        if (letters == null || PLACEHOLDER_GIVEN_NAMES.contains(letters) || letters.startsWith("babyof")) {
            return null;
        }
        return letters;
    }

    /**
     * What an emergency department registers as the family name of a patient it cannot identify ("Unknown",
     * "Unidentified", "Not Known", a major incident's "Major Incident 014"), in the form {@link #letters} gives (the
     * digits dropped). Two such patients, often with the same estimated birth date (1 January of a year) and sex,
     * agree on it exactly: "John Unknown" and "John Unknown" were linked as one patient.
     */
    private static final Set<String> PLACEHOLDER_FAMILY_NAMES = Set.of("unknown", "unk", "notknown", "nk",
            "unidentified", "unidentifiedpatient", "unknownpatient", "unknownmale", "unknownfemale", "unnamed",
            "anonymous", "anon", "noname", "nosurname", "nofamilyname", "majorincident", "majorincidentpatient",
            "incident", "emergency", "emergencypatient", "traumapatient");

    /** A family name as {@link #letters} gives it, or null when it is only a placeholder for one. */
    static String realFamilyName(String letters) {
        return letters == null || PLACEHOLDER_FAMILY_NAMES.contains(letters) ? null : letters;
    }

    /** Spaces and hyphens, including the Unicode hyphens and the en dash that forms put between name parts. */
    private static final Pattern NAME_SEPARATORS = Pattern.compile("[\\s\\-\u2010\u2011\u2013]+");

    /**
     * A name's parts as its writer separated them (spaces, hyphens), each in the form {@link #letters} gives, parts
     * under two letters left out: "Smith-Jones" gives smith and jones, "O'Neill" one part, oneill. Null for no name.
     */
    static String[] nameParts(String raw) {
        if (raw == null) {
            return null;
        }
        List<String> parts = new ArrayList<>(2);
        for (String part : NAME_SEPARATORS.split(raw)) {
            String letters = letters(part);
            if (letters != null && letters.length() >= 2) {
                parts.add(letters);
            }
        }
        return parts.isEmpty() ? null : parts.toArray(String[]::new);
    }

    /**
     * Whether one name is a proper part of the other as written: every part of the name with fewer parts is a part
     * of the other (Jones and Smith-Jones; Sarah and Sarah Jane). A double-barrelled family name or a compound given
     * name is often recorded whole by one organisation and in part by another (a field too short, a form with room
     * for one name).
     */
    static boolean isPartOf(String[] a, String[] b) {
        if (a == null || b == null || a.length == b.length) {
            return false;
        }
        String[] fewer = a.length < b.length ? a : b;
        String[] more = fewer == a ? b : a;
        for (String part : fewer) {
            boolean found = false;
            for (String other : more) {
                if (other.equals(part)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    /** Lower-case a–z and 0–9 only; null when nothing is left. */
    static String alphanumeric(String raw) {
        return compact(raw, true);
    }

    /** Lower-case alphanumeric words, in order. */
    static List<String> words(String raw) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        String s = folded(raw);
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = Character.toLowerCase(s.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                word.append(c);
            } else if (word.length() > 0) {
                out.add(word.toString());
                word.setLength(0);
            }
        }
        if (word.length() > 0) {
            out.add(word.toString());
        }
        return out;
    }

    /**
     * What is recorded for a patient with no address, in the form {@link #address} gives ("No Fixed Abode", "NFA",
     * "Address unknown"): two homeless patients agree on it exactly, which scores like sharing a home.
     */
    private static final Set<String> PLACEHOLDER_ADDRESSES = Set.of("nfa", "unknown", "notknown", "nk",
            "addressunknown", "unknownaddress", "addressnotknown", "noaddress", "none", "homeless", "notstated",
            "notgiven", "refused", "overseas", "abroad");

    /** An address line or town as {@link #address} gives it, or null when it only says there is none. */
    static String realAddress(String address) {
        if (address == null || PLACEHOLDER_ADDRESSES.contains(address) || address.contains("nofixedabode")
                || address.contains("nofixedaddress") || address.contains("nofixedresidence")) {
            return null;
        }
        return address;
    }

    /**
     * A postcode as {@link #alphanumeric} gives it, or null when it only says there is none: the NHS's
     * pseudo-postcodes (ZZ99 3VZ no fixed abode, ZZ99 3WZ not known, ZZ99 3CZ and the like for a country), anything
     * without a digit ("NFA", "N/A", "NK", "Unknown", "None": every UK postcode, and the numeric ones of other
     * countries, has one) and zeros only. They say where a patient is not, and every homeless patient shares one.
     */
    static String realPostcode(String postcode) {
        if (postcode == null || postcode.startsWith("zz99")) {
            return null;
        }
        boolean digit = false;
        boolean zerosOnly = true;
        for (int i = 0; i < postcode.length(); i++) {
            char c = postcode.charAt(i);
            digit |= c >= '0' && c <= '9';
            zerosOnly &= c == '0';
        }
        return digit && !zerosOnly ? postcode : null;
    }

    /** An address line as one run of characters with street-type words written out. */
    static String address(String raw) {
        List<String> words = words(raw);
        if (words.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String w : words) {
            out.append(ADDRESS_WORDS.getOrDefault(w, w));
        }
        return out.toString();
    }

    /** The first word that starts with a digit ("12" of "12a Acacia Avenue"), or null. */
    static String houseNumber(String raw) {
        for (String w : words(raw)) {
            if (Character.isDigit(w.charAt(0))) {
                return w;
            }
        }
        return null;
    }

    private static String compact(String raw, boolean digits) {
        if (raw == null) {
            return null;
        }
        String s = folded(raw);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = Character.toLowerCase(s.charAt(i));
            if ((c >= 'a' && c <= 'z') || (digits && c >= '0' && c <= '9')) {
                out.append(c);
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    /**
     * Letters Unicode does not decompose into a plain letter and a mark, written as the letters they stand for:
     * without this they were dropped ("Łukasz" became "ukasz", a different Soundex).
     */
    private static final Map<Character, String> TRANSLITERATED = Map.ofEntries(
            Map.entry('ł', "l"), Map.entry('Ł', "l"), Map.entry('ø', "o"), Map.entry('Ø', "o"),
            Map.entry('ß', "ss"), Map.entry('ẞ', "ss"), Map.entry('æ', "ae"), Map.entry('Æ', "ae"),
            Map.entry('œ', "oe"), Map.entry('Œ', "oe"), Map.entry('đ', "d"), Map.entry('Đ', "d"),
            Map.entry('ð', "d"), Map.entry('Ð', "d"), Map.entry('þ', "th"), Map.entry('Þ', "th"),
            Map.entry('ı', "i"), Map.entry('ħ', "h"), Map.entry('Ħ', "h"));

    /** Accents removed (é → e) and the letters above transliterated; ASCII input is returned as is. */
    private static String folded(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) > 127) {
                String decomposed = Normalizer.normalize(raw, Normalizer.Form.NFD);
                StringBuilder out = new StringBuilder(decomposed.length());
                for (int j = 0; j < decomposed.length(); j++) {
                    char c = decomposed.charAt(j);
                    String written = TRANSLITERATED.get(c);
                    if (written != null) {
                        out.append(written);
                    } else if (Character.getType(c) != Character.NON_SPACING_MARK) {
                        out.append(c);
                    }
                }
                return out.toString();
            }
        }
        return raw;
    }
}
