package org.careweave.optout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OptOutFileTest {

    @Test
    void readsNumbersWithOptionalDatesAndAnOptionalHeader() throws IOException {
        OptOutFile withHeader = read("nhs_number,recorded_date\n9990000018,2025-11-01\n999 000 0026\n");
        OptOutFile without = read("9990000018,2025-11-01\r\n\"999-000-0026\",\r\n");

        assertThat(withHeader.optOuts()).containsExactly(entry("9990000018", LocalDate.of(2025, 11, 1)),
                entry("9990000026", null));
        assertThat(without.optOuts()).isEqualTo(withHeader.optOuts());
        assertThat(withHeader.invalid()).isEmpty();
        assertThat(withHeader.warnings()).isEmpty();
    }

    @Test
    void invalidLinesAreReportedByLineAndReasonNeverByNumber() throws IOException {
        OptOutFile file = read("NHS Number\n9990000018\n9990000019\n99900000\n\n,2025-01-01\nnot-a-number\n");

        assertThat(file.optOuts()).containsOnlyKeys("9990000018");
        assertThat(file.invalid()).extracting(Object::toString).containsExactly(
                "line 3: check digit does not match (Modulus 11)",
                "line 4: an NHS number has 10 digits",
                "line 6: no NHS number",
                "line 7: an NHS number has only digits");
        assertThat(file.invalid().toString()).doesNotContain("9990000019").doesNotContain("99900000");
    }

    @Test
    void anUnreadableDateKeepsTheOptOut() throws IOException {
        OptOutFile file = read("9990000034,01/11/2025\n9990000042,20251102,extra\n");

        assertThat(file.optOuts()).containsExactly(entry("9990000034", null),
                entry("9990000042", LocalDate.of(2025, 11, 2)));
        assertThat(file.warnings()).extracting(Object::toString).containsExactly(
                "line 1: recorded_date is not a date (YYYY-MM-DD); loaded without one",
                "line 2: more than two columns; the rest were ignored");
    }

    @Test
    void aByteOrderMarkAndDuplicatesAreHandled() throws IOException {
        OptOutFile file = read("\uFEFFnhs_number\n9990000050\n9990000050,2025-01-02\n");

        assertThat(file.optOuts()).containsExactly(entry("9990000050", LocalDate.of(2025, 1, 2)));
        assertThat(file.duplicates()).isEqualTo(1);
    }

    @Test
    void changesAreTheDifferenceBetweenTopicAndFile() {
        Map<String, LocalDate> current = new java.util.HashMap<>();
        current.put("9990000018", null);
        current.put("9990000026", LocalDate.of(2025, 1, 1));
        current.put("9990000034", null);
        Map<String, LocalDate> wanted = new java.util.LinkedHashMap<>();
        wanted.put("9990000018", null);
        wanted.put("9990000026", LocalDate.of(2025, 2, 1));
        wanted.put("9990000042", null);

        OptOutChanges changes = OptOutChanges.between(current, wanted);

        assertThat(changes.added()).containsExactly("9990000042");
        assertThat(changes.updated()).containsExactly("9990000026");
        assertThat(changes.removed()).containsExactly("9990000034");
        assertThat(changes.kept()).isEqualTo(2);
        assertThat(OptOutChanges.between(wanted, wanted).kept()).isEqualTo(3);
    }

    private static OptOutFile read(String text) throws IOException {
        return OptOutFile.read(new StringReader(text));
    }
}
