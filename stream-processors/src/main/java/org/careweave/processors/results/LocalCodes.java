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
 * Test codes to LOINC: local codes per sending facility, and codes of national coding systems for every sender. A
 * local code means something only at the facility that uses it (HB at one lab may be HBA1C at another), so the
 * facility is part of its key. A national code (SNOMED CT from the Pathology Bounded Code List, as GP systems code
 * results, or Read codes in older extracts) means the same from every sender; mapping it per facility would mean the
 * same entries for each of thousands of practices, and a practice left out would have its results never recognised
 * as copies of the hospital's.
 *
 * <p>File format (YAML):
 * <pre>
 * facilities:
 *   RHMX1:                       # MSH-4 sending facility
 *     - code: HBA1C              # OBX-3.1 as sent
 *       system: L                # optional: only when OBX-3.3 is this system (the facility when OBX-3.3 is empty)
 *       loinc: 4548-4
 *       display: Hemoglobin A1c/Hemoglobin.total in Blood
 * systems:
 *   http://snomed.info/sct:      # OBX-3.3 as ingest names it (SCT → http://snomed.info/sct)
 *     - code: "1234567"          # OBX-3.1
 *       loinc: 2823-3
 * </pre>
 *
 * <p>A facility's own entry wins over a national one, so a sender that uses a national code its own way can be
 * mapped apart.
 */
public final class LocalCodes {

    public static final String LOINC = "http://loinc.org";
    public static final String DEFAULT_RESOURCE = "/results/local-codes.yaml";

    private static final Pattern LOINC_CODE = Pattern.compile("[0-9]{1,7}-[0-9]");
    private static final LocalCodes EMPTY = new LocalCodes(Map.of(), Map.of());

    /** One mapping; system null matches any local system. */
    public record Entry(String code, String system, String loinc, String display) {
    }

    /** The file as written. */
    record File(Map<String, List<Entry>> facilities, Map<String, List<Entry>> systems) {
    }

    /** The code to use and, when it was mapped, the code as sent. */
    public record Mapped(Coding code, Coding sourceCode) {
    }

    private final Map<String, Map<String, List<Entry>>> byFacilityAndCode;
    /** Coding system → code → entry, for every sender. */
    private final Map<String, Map<String, Entry>> bySystemAndCode;

    private LocalCodes(Map<String, Map<String, List<Entry>>> byFacilityAndCode,
                       Map<String, Map<String, Entry>> bySystemAndCode) {
        this.byFacilityAndCode = byFacilityAndCode;
        this.bySystemAndCode = bySystemAndCode;
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
        Map<String, Map<String, Entry>> national = new HashMap<>();
        if (file.systems() != null) {
            file.systems().forEach((system, entries) -> {
                if (LOINC.equals(system)) {
                    throw new IllegalArgumentException("LOINC codes are kept as sent; " + system
                            + " needs no mapping");
                }
                for (Entry e : entries == null ? List.<Entry>of() : entries) {
                    validate(system, e);
                    if (e.system() != null) {
                        throw new IllegalArgumentException("code " + system + " " + e.code() + " is under its system"
                                + " already; an entry here takes no system");
                    }
                    if (national.computeIfAbsent(system, c -> new HashMap<>()).putIfAbsent(e.code(), e) != null) {
                        throw new IllegalArgumentException("code " + system + " " + e.code() + " is mapped twice");
                    }
                }
            });
        }
        return new LocalCodes(index, national);
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
                .orElseGet(() -> candidates.stream().filter(e -> e.system() == null).findFirst()
                        .orElseGet(() -> bySystemAndCode.getOrDefault(code.getSystem(), Map.of())
                                .get(code.getCode())));
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
