package org.careweave.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormattedTextTest {

    @Test
    void lineBreaksAndSkippedLinesBecomeLineBreaks() {
        assertThat(FormattedText.plain("Macroscopy:\\.br\\Two cores.")).isEqualTo("Macroscopy:\nTwo cores.");
        assertThat(FormattedText.plain("A\\.sp\\B")).isEqualTo("A\n\nB");
        assertThat(FormattedText.plain("A\\.sp2\\B")).isEqualTo("A\n\n\nB");
        assertThat(FormattedText.plain("A\\.sp 2\\B")).isEqualTo("A\n\n\nB");
        assertThat(FormattedText.plain("Report\\.ce\\Microscopy")).isEqualTo("Report\nMicroscopy");
        assertThat(FormattedText.plain("A\\.sk3\\B")).isEqualTo("A   B");
    }

    @Test
    void lineBreaksSentAsCharactersAreLineBreaks() {
        assertThat(FormattedText.plain("No effusion.\r\nHeart normal.")).isEqualTo("No effusion.\nHeart normal.");
        assertThat(FormattedText.plain("A\rB\nC\r\n\r\nD")).isEqualTo("A\nB\nC\n\nD");
        assertThat(FormattedText.plain("A\r\nB\\.br\\C")).isEqualTo("A\nB\nC");
    }

    @Test
    void highlightingIndentationAndFillModesGo() {
        assertThat(FormattedText.plain("\\H\\Result:\\N\\ \\.in+4\\\\.ti-2\\normal\\.nf\\ text\\.fi\\"))
                .isEqualTo("Result: normal text");
    }

    @Test
    void textWithoutCommandsIsLeftAsItIs() {
        assertThat(FormattedText.plain("5.4 mmol/L; C:\\path")).isEqualTo("5.4 mmol/L; C:\\path");
        assertThat(FormattedText.plain(null)).isNull();
        assertThat(FormattedText.plain("A & B | C")).isEqualTo("A & B | C");
    }
}
