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
 * Groups of given names that refer to the same person (Bill and William), read from a resource with one group per
 * line: {@code formal: variant, variant}. A name can belong to several groups.
 */
public final class Nicknames {

    private static final String RESOURCE = "/identity/nicknames.txt";
    private static final int[] NONE = new int[0];

    private final Map<String, int[]> groupsByName;

    private Nicknames(Map<String, int[]> groupsByName) {
        this.groupsByName = groupsByName;
    }

    public static Nicknames shipped() {
        return Holder.SHIPPED;
    }

    public static Nicknames parse(List<String> lines) {
        Map<String, List<Integer>> groups = new HashMap<>();
        int group = 0;
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("Nickname line without 'formal:' part: " + trimmed);
            }
            List<String> names = new ArrayList<>();
            names.add(trimmed.substring(0, colon));
            names.addAll(Arrays.asList(trimmed.substring(colon + 1).split(",")));
            for (String name : names) {
                String key = Text.letters(name);
                if (key != null) {
                    List<Integer> of = groups.computeIfAbsent(key, k -> new ArrayList<>());
                    if (!of.contains(group)) {
                        of.add(group);
                    }
                }
            }
            group++;
        }
        Map<String, int[]> out = new HashMap<>();
        groups.forEach((name, ids) -> out.put(name, ids.stream().mapToInt(Integer::intValue).sorted().toArray()));
        return new Nicknames(out);
    }

    /** @param letters a name as normalised by the matcher (lower-case letters only) */
    int[] groupsOf(String letters) {
        return letters == null ? NONE : groupsByName.getOrDefault(letters, NONE);
    }

    public boolean areVariants(String nameA, String nameB) {
        return shareGroup(groupsOf(Text.letters(nameA)), groupsOf(Text.letters(nameB)));
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
