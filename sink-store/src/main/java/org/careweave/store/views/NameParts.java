package org.careweave.store.views;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The parts of a double-barrelled or compound name as its writer separated them (spaces, hyphens): Smith-Jones is
 * Smith and Jones, Mary Jane is Mary and Jane. One organisation records such a name whole and another in part, so the
 * search by demographics finds a person by any part of a name and by the whole of it. Parts with fewer than two
 * letters (an initial) are not parts. Pure.
 */
public final class NameParts {

    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-\u2010\u2011\u2013]+");

    private NameParts() {
    }

    /** The name, then each of its parts when it has two or more; just the name when it has fewer. */
    public static List<String> withParts(String name) {
        List<String> parts = parts(name);
        List<String> all = new ArrayList<>();
        all.add(name);
        if (parts.size() >= 2) {
            all.addAll(parts);
        }
        return List.copyOf(all);
    }

    /** The name's parts as its writer separated them, initials left out: none, one (the name) or several. */
    public static List<String> parts(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : SEPARATORS.split(name.strip())) {
            if (part.codePoints().filter(Character::isLetter).count() >= 2) {
                parts.add(part);
            }
        }
        return List.copyOf(parts);
    }
}
