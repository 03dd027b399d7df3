package org.careweave.processors.identity.matching;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups of given names that refer to the same person, read from a resource with one group per line. A name can
 * belong to several groups.
 * <ul>
 *   <li>{@code formal: variant, variant} (Bill and William): a variant is one name with its formal name only. Two
 *   variants of one formal name are not (Molly and Polly of Mary, Henry and Harold of Harry): they are names of their
 *   own that twins are given, and to the matcher one name would link the twins.</li>
 *   <li>{@code name = spelling, spelling} (Mohammed and Muhammad): spellings of one name, any two of which are one
 *   name.</li>
 * </ul>
 */
public final class Nicknames {

    private static final String RESOURCE = "/identity/nicknames.txt";
    private static final int[] NONE = new int[0];

    /** Every group a name is in. */
    private final Map<String, int[]> groupsByName;
    /** The groups in which a name is one name with every other member: as the formal name, or as a spelling. */
    private final Map<String, int[]> headedByName;

    private Nicknames(Map<String, int[]> groupsByName, Map<String, int[]> headedByName) {
        this.groupsByName = groupsByName;
        this.headedByName = headedByName;
    }

    public static Nicknames shipped() {
        return Holder.SHIPPED;
    }

    public static Nicknames parse(List<String> lines) {
        Map<String, List<Integer>> groups = new HashMap<>();
        Map<String, List<Integer>> headed = new HashMap<>();
        int group = 0;
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            int equals = trimmed.indexOf('=');
            boolean spellings = colon < 0 && equals >= 0;
            int separator = spellings ? equals : colon;
            if (separator < 0) {
                throw new IllegalArgumentException("Nickname line without 'formal:' or 'name =' part: " + trimmed);
            }
            List<String> names = new ArrayList<>();
            names.add(trimmed.substring(0, separator));
            names.addAll(Arrays.asList(trimmed.substring(separator + 1).split(",")));
            for (int n = 0; n < names.size(); n++) {
                String key = Text.letters(names.get(n));
                if (key != null) {
                    add(groups, key, group);
                    if (n == 0 || spellings) {
                        add(headed, key, group);
                    }
                }
            }
            group++;
        }
        return new Nicknames(sorted(groups), sorted(headed));
    }

    private static void add(Map<String, List<Integer>> groups, String name, int group) {
        List<Integer> of = groups.computeIfAbsent(name, k -> new ArrayList<>());
        if (!of.contains(group)) {
            of.add(group);
        }
    }

    private static Map<String, int[]> sorted(Map<String, List<Integer>> groups) {
        Map<String, int[]> out = new HashMap<>();
        groups.forEach((name, ids) -> out.put(name, ids.stream().mapToInt(Integer::intValue).sorted().toArray()));
        return out;
    }

    /** @param letters a name as normalised by the matcher (lower-case letters only) */
    int[] groupsOf(String letters) {
        return letters == null ? NONE : groupsByName.getOrDefault(letters, NONE);
    }

    /** The groups in which the name is one name with every member; a subset of {@link #groupsOf}. */
    int[] headedBy(String letters) {
        return letters == null ? NONE : headedByName.getOrDefault(letters, NONE);
    }

    public boolean areVariants(String nameA, String nameB) {
        String a = Text.letters(nameA);
        String b = Text.letters(nameB);
        return areOneName(groupsOf(a), headedBy(a), groupsOf(b), headedBy(b));
    }

    /** Whether two names share a group that one of them heads (or where both are spellings). */
    static boolean areOneName(int[] groupsA, int[] headedA, int[] groupsB, int[] headedB) {
        return shareGroup(headedA, groupsB) || shareGroup(headedB, groupsA);
    }

    static boolean shareGroup(int[] a, int[] b) {
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                return true;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return false;
    }

    private static final class Holder {
        static final Nicknames SHIPPED = load();

        private static Nicknames load() {
            try (InputStream in = Nicknames.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("Missing resource " + RESOURCE);
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                return parse(reader.lines().toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
