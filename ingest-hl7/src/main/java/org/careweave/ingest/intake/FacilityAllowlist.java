package org.careweave.ingest.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

/**
 * Which sending facilities (MSH-4) each client certificate may send for. A certificate proves who is connected;
 * this list decides what they may claim to be.
 *
 * <p>File format, one certificate per line: {@code <subject DN> = FACILITY1, FACILITY2}; {@code *} allows any
 * facility; {@code #} starts a comment. Subject DNs are compared in canonical form, so spacing and case of
 * attribute names do not matter.
 */
public final class FacilityAllowlist {

    private final Map<String, Set<String>> facilitiesBySubject;

    private FacilityAllowlist(Map<String, Set<String>> facilitiesBySubject) {
        this.facilitiesBySubject = Map.copyOf(facilitiesBySubject);
    }

    public static FacilityAllowlist parse(Iterable<String> lines) {
        Map<String, Set<String>> map = new HashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.lastIndexOf('=');
            // The DN itself contains '='; the facilities follow the last ' = '.
            int sep = line.lastIndexOf(" = ");
            if (sep < 0 || eq < 0) {
                throw new IllegalArgumentException("allowlist line must be '<subject DN> = FACILITY[, FACILITY]'");
            }
            String subject = canonical(line.substring(0, sep).strip());
            Set<String> facilities = new HashSet<>();
            for (String f : line.substring(sep + 3).split(",")) {
                if (!f.isBlank()) {
                    facilities.add(f.strip());
                }
            }
            map.computeIfAbsent(subject, k -> new HashSet<>()).addAll(facilities);
        }
        return new FacilityAllowlist(map);
    }

    public static FacilityAllowlist load(Path file) throws IOException {
        return parse(Files.readAllLines(file));
    }

    public boolean allows(String subjectDn, String facility) {
        Set<String> allowed = facilitiesBySubject.get(canonical(subjectDn));
        return allowed != null && (allowed.contains("*") || allowed.contains(facility));
    }

    private static String canonical(String dn) {
        return new X500Principal(dn).getName(X500Principal.CANONICAL);
    }
}
