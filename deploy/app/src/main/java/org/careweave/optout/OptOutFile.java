package org.careweave.optout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.careweave.ingest.mapping.NhsNumbers;

/**
 * A national data opt-out list as a CSV file: {@code nhs_number[,recorded_date]} per line, an optional header line,
 * NHS numbers with or without spaces, dates as YYYY-MM-DD (or YYYYMMDD). Problems are reported by line number and
 * reason, never with the number itself.
 *
 * <p>A line with a valid NHS number and an unreadable date still counts as an opt-out (without a date): dropping it
 * would publish someone who asked not to be.
 *
 * @param optOuts  NHS number → recorded date (null when none was given), in file order
 * @param invalid  lines without a usable NHS number: not loaded
 * @param warnings lines loaded with something ignored
 */
public record OptOutFile(Map<String, LocalDate> optOuts, List<Problem> invalid, List<Problem> warnings,
                         int duplicates) {

    /** One line's problem: where and why, never its content. */
    public record Problem(int line, String reason) {
        @Override
        public String toString() {
            return "line " + line + ": " + reason;
        }
    }

    private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    public OptOutFile {
        optOuts = Collections.unmodifiableMap(new LinkedHashMap<>(optOuts));
        invalid = List.copyOf(invalid);
        warnings = List.copyOf(warnings);
    }

    public static OptOutFile read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader);
        }
    }

    public static OptOutFile read(Reader source) throws IOException {
        Map<String, LocalDate> optOuts = new LinkedHashMap<>();
        List<Problem> invalid = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        int duplicates = 0;
        BufferedReader reader = new BufferedReader(source);
        String line;
        int number = 0;
        boolean first = true;
        while ((line = reader.readLine()) != null) {
            number++;
            if (first && line.startsWith("\uFEFF")) {
                line = line.substring(1); // a byte order mark, as spreadsheet exports write
            }
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = fields(line);
            boolean header = first && isHeader(fields.get(0));
            first = false;
            if (header) {
                continue;
            }
            String nhsNumber = NhsNumbers.normalise(fields.get(0));
            Optional<String> problem = nhsNumber.isEmpty() ? Optional.of("no NHS number")
                    : NhsNumbers.problem(nhsNumber);
            if (problem.isPresent()) {
                invalid.add(new Problem(number, problem.get()));
                continue;
            }
            LocalDate recorded = null;
            if (fields.size() > 1 && !fields.get(1).isEmpty()) {
                recorded = date(fields.get(1));
                if (recorded == null) {
                    warnings.add(new Problem(number, "recorded_date is not a date (YYYY-MM-DD); loaded without one"));
                }
            }
            if (fields.size() > 2) {
                warnings.add(new Problem(number, "more than two columns; the rest were ignored"));
            }
            if (optOuts.containsKey(nhsNumber)) {
                duplicates++;
            }
            optOuts.put(nhsNumber, recorded);
        }
        return new OptOutFile(optOuts, invalid, warnings, duplicates);
    }

    /** A first line whose first field has no digit names the columns (nhs_number,recorded_date or similar). */
    private static boolean isHeader(String firstField) {
        return firstField.chars().noneMatch(Character::isDigit);
    }

    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        for (String raw : line.split(",", -1)) {
            String field = raw.strip();
            if (field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"")) {
                field = field.substring(1, field.length() - 1).strip();
            }
            fields.add(field);
        }
        return fields;
    }

    private static LocalDate date(String text) {
        try {
            return text.length() == 8 ? LocalDate.parse(text, BASIC_DATE) : LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
