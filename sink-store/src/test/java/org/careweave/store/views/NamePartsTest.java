package org.careweave.store.views;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamePartsTest {

    @Test
    void aNameOfSeveralPartsIsAlsoEachPart() {
        assertThat(NameParts.withParts("Testsmith-Testjones")).containsExactly("Testsmith-Testjones", "Testsmith",
                "Testjones");
        assertThat(NameParts.withParts("Mary Jane")).containsExactly("Mary Jane", "Mary", "Jane");
        assertThat(NameParts.withParts("Van  Test")).containsExactly("Van  Test", "Van", "Test");
    }

    @Test
    void initialsAndApostrophesMakeNoParts() {
        assertThat(NameParts.withParts("O'Neil")).containsExactly("O'Neil");
        assertThat(NameParts.withParts("Anna J")).containsExactly("Anna J");
        assertThat(NameParts.withParts("Testperson")).containsExactly("Testperson");
    }
}
