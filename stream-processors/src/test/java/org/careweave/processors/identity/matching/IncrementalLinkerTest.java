package org.careweave.processors.identity.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class IncrementalLinkerTest {

    private final Matcher matcher = new Matcher(MatchModel.defaults());

    @Test
    void aLaterRecordOfTheSamePersonJoinsThatPerson() {
        IncrementalLinker linker = new IncrementalLinker(matcher);
        IncrementalLinker.Decision first = linker.add(new Demographics("Olivia", "Testlink",
                LocalDate.of(1992, 7, 1), "F", "LS6 3HN", "14 Cardigan Road", "Leeds"));
        IncrementalLinker.Decision other = linker.add(new Demographics("Marcus", "Sampleperson",
                LocalDate.of(1948, 2, 20), "M", "WF2 8QP", "2 Pit Lane", "Wakefield"));
        IncrementalLinker.Decision again = linker.add(new Demographics("Livvy", "Testlink",
                LocalDate.of(1992, 7, 1), "F", "LS63HN", "14 Cardigan Rd", null));

        assertThat(first.outcome()).isEqualTo(MatchOutcome.NO_LINK);
        assertThat(first.person()).isZero();
        assertThat(other.person()).isEqualTo(1);
        assertThat(again.outcome()).isEqualTo(MatchOutcome.LINK);
        assertThat(again.matchedRecord()).isZero();
        assertThat(linker.personOf(2)).isEqualTo(linker.personOf(0));
        assertThat(linker.personCount()).isEqualTo(2);
        assertThat(linker.explain(2, 0).evidence()).isNotEmpty();
    }

    @Test
    void twinsStayTwoPersonsAndTheSameSexPairIsRecordedForReview() {
        IncrementalLinker linker = new IncrementalLinker(matcher);
        linker.add(new Demographics("Ella", "Testtwin", LocalDate.of(2015, 4, 4), "F", "LS2 3CD", "5 Twin Street",
                "Leeds"));
        IncrementalLinker.Decision twin = linker.add(new Demographics("Emma", "Testtwin", LocalDate.of(2015, 4, 4),
                "F", "LS2 3CD", "5 Twin Street", "Leeds"));
        assertThat(twin.outcome()).isEqualTo(MatchOutcome.REVIEW);
        assertThat(linker.personCount()).isEqualTo(2);
        assertThat(linker.reviewPairs()).singleElement()
                .satisfies(p -> assertThat(p.record()).isEqualTo(1))
                .satisfies(p -> assertThat(p.candidate()).isZero());
    }

    @Test
    void theSameRecordsInTheSameOrderGiveTheSamePersons() {
        InventedPeople generator = new InventedPeople(5L);
        List<Demographics> people = generator.people(300);
        List<Demographics> records = new ArrayList<>(people);
        for (Demographics p : people) {
            records.add(generator.noisyCopy(p));
        }
        assertThat(persons(records)).isEqualTo(persons(records));
        int[] persons = persons(records);
        int linked = 0;
        for (int i = 0; i < people.size(); i++) {
            if (persons[i] == persons[i + people.size()]) {
                linked++;
            }
        }
        assertThat(linked).isGreaterThan(270);
    }

    private int[] persons(List<Demographics> records) {
        IncrementalLinker linker = new IncrementalLinker(matcher);
        records.forEach(linker::add);
        int[] out = new int[records.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = linker.personOf(i);
        }
        return out;
    }
}
