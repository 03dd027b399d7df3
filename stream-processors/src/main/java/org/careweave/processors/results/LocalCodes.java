package org.careweave.processors.results;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.careweave.events.Coding;

/**
 * Local test codes to LOINC, per sending facility. A local code means something only at the facility that uses it
 * (HB at one lab may be HBA1C at another), so the facility is part of the key.
 *
 * <p>File format (YAML):
 * <pre>
 * facilities:
 *   RHMX1:                       # MSH-4 sending facility
 *     - code: HBA1C              # OBX-3.1 as sent
 *       system: L                # optional: only when OBX-3.3 is this system (the facility when OBX-3.3 is empty)
 *       loinc: 4548-4
 *       display: Hemoglobin A1c/Hemoglobin.total in Blood
 * </pre>
 */
public final class LocalCodes {

    public static final String LOINC = "http://loinc.org";
    public static final String DEFAULT_RESOURCE = "/results/local-codes.yaml";

    private static final Pattern LOINC_CODE = Pattern.compile("[0-9]{1,7}-[0-9]");
    private static final LocalCodes EMPTY = new LocalCodes(Map.of());

    /** One mapping; system null matches any local system. */
    public record Entry(String code, String system, String loinc, String display) {
    }

    /** The file as written. */
    record File(Map<String, List<Entry>> facilities) {
    }

    /** The code to use and, when it was mapped, the code as sent. */
    public record Mapped(Coding code, Coding sourceCode) {
    }

    private final Map<String, Map<String, List<Entry>>> byFacilityAndCode;

    private LocalCodes(Map<String, Map<String, List<Entry>>> byFacilityAndCode) {
        this.byFacilityAndCode = byFacilityAndCode;
    }

    public static LocalCodes empty() {
        return EMPTY;
    }

    /** The mapping shipped in the jar (src/main/resources/results/local-codes.yaml). */
    public static LocalCodes defaults() {
        return Defaults.CODES;
    }

    public static LocalCodes load(Path file) {
        return of(Yaml.read(file, File.class));
    }

    public static LocalCodes load(InputStream in) {
        return of(Yaml.read(in, File.class, "local code mapping"));
    }

    static LocalCodes of(File file) {
        Map<String, Map<String, List<Entry>>> index = new HashMap<>();
        if (file.facilities() != null) {
            file.facilities().forEach((facility, entries) -> {
                for (Entry e : entries == null ? List.<Entry>of() : entries) {
                    validate(facility, e);
                    List<Entry> same = index.computeIfAbsent(facility, f -> new HashMap<>())
                            .computeIfAbsent(e.code(), c -> new ArrayList<>());
                    if (same.stream().anyMatch(o -> Objects.equals(o.system(), e.system()))) {
                        throw new IllegalArgumentException("local code " + facility + " " + e.code()
                                + " is mapped twice");
                    }
                    same.add(e);
                }
            });
        }
        return new LocalCodes(index);
    }

    private static void validate(String facility, Entry e) {
        if (e == null || e.code() == null || e.code().isBlank()) {
            throw new IllegalArgumentException("a local code of " + facility + " has no code");
        }
        if (e.loinc() == null || !LOINC_CODE.matcher(e.loinc()).matches()) {
            throw new IllegalArgumentException("local code " + facility + " " + e.code()
                    + " needs a LOINC code like 4548-4, not " + e.loinc());
        }
    }

    /**
     * The code to use for a result: LOINC as sent, LOINC mapped from a known local code (keeping the local code as
     * the source code), or the local code as sent when there is no mapping.
     */
    public Mapped map(Coding code, String facility) {
        if (LOINC.equals(code.getSystem())) {
            return new Mapped(code, null);
        }
        List<Entry> candidates = byFacilityAndCode.getOrDefault(facility, Map.of()).getOrDefault(code.getCode(),
                List.of());
        // a mapping for the exact system wins over one for any system
        Entry match = candidates.stream().filter(e -> Objects.equals(e.system(), code.getSystem())).findFirst()
                .orElseGet(() -> candidates.stream().filter(e -> e.system() == null).findFirst().orElse(null));
        if (match == null) {
            return new Mapped(code, null);
        }
        Coding loinc = Coding.newBuilder().setSystem(LOINC).setCode(match.loinc())
                .setDisplay(match.display() != null ? match.display() : code.getDisplay()).build();
        return new Mapped(loinc, code);
    }

    /** Loaded on first use, so that a broken shipped file fails a test rather than class loading. */
    private static final class Defaults {
        static final LocalCodes CODES = of(Yaml.resource(DEFAULT_RESOURCE, File.class));
    }
}
