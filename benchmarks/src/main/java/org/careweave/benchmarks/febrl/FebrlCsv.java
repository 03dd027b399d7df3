package org.careweave.benchmarks.febrl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads FEBRL's CSV: a header, then fields separated by ", ", empty fields left empty. */
final class FebrlCsv {

    private static final String HEADER = "rec_id, given_name, surname, street_number, address_1, address_2, "
            + "suburb, postcode, state, date_of_birth, soc_sec_id";
    private static final int FIELDS = 11;

    private FebrlCsv() {
    }

    static List<FebrlRecord> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new IOException(file + " does not start with the FEBRL header");
        }
        List<FebrlRecord> out = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = splitFields(line);
            if (f.length != FIELDS) {
                throw new IOException(file + " line " + (i + 1) + ": " + f.length + " fields, expected " + FIELDS);
            }
            out.add(new FebrlRecord(f[0], blankToNull(f[1]), blankToNull(f[2]), blankToNull(f[3]),
                    blankToNull(f[4]), blankToNull(f[5]), blankToNull(f[6]), blankToNull(f[7]), blankToNull(f[8]),
                    blankToNull(f[9]), blankToNull(f[10])));
        }
        return out;
    }

    private static String[] splitFields(String line) {
        List<String> fields = new ArrayList<>(FIELDS);
        int start = 0;
        int comma;
        while ((comma = line.indexOf(',', start)) >= 0) {
            fields.add(line.substring(start, comma).strip());
            start = comma + 1;
        }
        fields.add(line.substring(start).strip());
        return fields.toArray(String[]::new);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
