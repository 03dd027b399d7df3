package org.careweave.store.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import org.careweave.events.HumanName;
import org.careweave.events.PersonView;
import org.careweave.store.testing.People;
import org.junit.jupiter.api.Test;

class PostgresTextTest {

    @Test
    void aNulIsReplacedNotRemovedSoThatTheTextAroundItDoesNotJoin() {
        assertThat(PostgresText.withoutNul("A\u0000B")).isEqualTo("A\uFFFDB");
        assertThat(PostgresText.withoutNul("\u0000\u0000")).isEqualTo("\uFFFD\uFFFD");
        assertThat(PostgresText.withoutNul((String) null)).isNull();
    }

    @Test
    void aRecordWithoutANulIsTheSameInstance() {
        PersonView view = People.person("P1", 1, "9990000573", "Example", "Ann").build();

        assertThat(PostgresText.withoutNul(view)).isSameAs(view);
    }

    @Test
    void aNulAtAnyDepthIsReplacedInACopyAndTheRestKept() {
        PersonView view = People.person("P1", 1, "9990000581", "A\u0000B", "Jo\u0000")
                .setOtherNames(List.of(HumanName.newBuilder().setFamily("Maiden").setGiven(List.of("X\u0000")).build()))
                .setOtherBirthDates(List.of(LocalDate.of(1980, 2, 1)))
                .setResults(List.of(People.result("R1", "P1", People.HBA1C, "HbA1c\u0000", "48", "mmol/mol", null)
                        .setNotes(List.of("ok", "late\u0000")).build()))
                .build();

        PersonView clean = PostgresText.withoutNul(view);

        assertThat(clean).isNotSameAs(view);
        assertThat(clean.getName().getFamily()).isEqualTo("A\uFFFDB");
        assertThat(clean.getName().getGiven()).containsExactly("Jo\uFFFD");
        assertThat(clean.getOtherNames().get(0).getGiven()).containsExactly("X\uFFFD");
        assertThat(clean.getResults().get(0).getCode().getDisplay()).isEqualTo("HbA1c\uFFFD");
        assertThat(clean.getResults().get(0).getNotes()).containsExactly("ok", "late\uFFFD");
        assertThat(clean.getOtherBirthDates()).containsExactly(LocalDate.of(1980, 2, 1));
        assertThat(clean.getBirthDate()).isEqualTo(view.getBirthDate());
        assertThat(clean.getUpdatedAt()).isEqualTo(view.getUpdatedAt());
        assertThat(view.getName().getFamily()).as("the record read is left as it was").isEqualTo("A\u0000B");
    }
}
