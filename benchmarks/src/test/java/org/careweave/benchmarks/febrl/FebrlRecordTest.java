package org.careweave.benchmarks.febrl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.careweave.processors.identity.matching.Demographics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FebrlRecordTest {

    @Test
    void readsFebrlCsvAndMapsToDemographicsWithoutTheId(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sample.csv");
        Files.writeString(file, """
                rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, \
                date_of_birth, soc_sec_id
                rec-12-org, testa, sampleson, 7, example place, , testville, 2119, sa, 19560409, 1804974
                rec-12-dup-3, testa, , 7, exampel place, unit 2, testville, 2191, sa, 19568409, 1804974
                """);
        List<FebrlRecord> records = FebrlCsv.read(file);
        assertThat(records).hasSize(2);
        assertThat(records).extracting(FebrlRecord::entity).containsExactly(12, 12);

        Demographics original = records.get(0).demographics(false);
        assertThat(original.addressLine()).isEqualTo("7 example place");
        assertThat(original.city()).isEqualTo("testville");
        assertThat(original.birthDate()).isEqualTo(LocalDate.of(1956, 4, 9));
        assertThat(original.identifier()).isNull();

        Demographics duplicate = records.get(1).demographics(true);
        assertThat(duplicate.familyName()).isNull();
        assertThat(duplicate.birthDate()).as("not a calendar date").isNull();
        assertThat(duplicate.addressLine()).isEqualTo("7 exampel place unit 2");
        assertThat(duplicate.identifier()).isEqualTo("1804974");
    }
}
