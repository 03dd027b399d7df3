package org.careweave.processors.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which results say the laboratory could not obtain a value, and which are findings. */
class NotObtainedTest {

    @Test
    void statusXMeansNoValueWhateverTheValueSays() {
        assertThat(NotObtained.of("X", null, null, List.of())).isTrue();
        assertThat(NotObtained.of(" x ", "see comment", null, List.of())).isTrue();
    }

    @Test
    void aValueThatSaysThereIsNoneIsNotObtained() {
        for (String value : List.of("Sample haemolysed", "HEMOLYSED", "Insufficient sample", "Sample clotted",
                "Specimen leaked in transit", "Unlabelled sample", "Test cancelled by laboratory", "Not received",
                "Sample not processed", "Test not performed", "Not done", "Unable to process: sample too old",
                "Sample too old to analyse", "Wrong tube", "No sample received", "Result cannot be obtained")) {
            assertThat(NotObtained.of("F", value, null, List.of())).as(value).isTrue();
        }
    }

    @Test
    void withoutAValueTheNotesSayWhy() {
        assertThat(NotObtained.of("F", null, null, List.of("Sample haemolysed - please repeat"))).isTrue();
        assertThat(NotObtained.of("F", "  ", null, List.of("Insufficient sample for analysis"))).isTrue();
        assertThat(NotObtained.of("F", null, null, List.of("Fasting sample"))).isFalse();
        assertThat(NotObtained.of("F", null, null, List.of())).as("nothing says the test failed").isFalse();
    }

    @Test
    void aNumberIsAValueEvenWithANoteAboutTheSample() {
        assertThat(NotObtained.of("F", "5.9", 5.9, List.of("Slightly haemolysed: potassium may be raised")))
                .isFalse();
        assertThat(NotObtained.of("C", "48", 48.0, List.of())).isFalse();
    }

    @Test
    void findingsInWordsAreValues() {
        for (String value : List.of("Not detected", "No growth", "Negative", "Positive", "Normal", "<0.1", ">90",
                "No significant growth", "Detected", "No haemoglobin variant detected", "Within normal limits",
                "Mixed growth of doubtful significance")) {
            assertThat(NotObtained.of("F", value, null, List.of("Insufficient sample for sensitivities")))
                    .as(value).isFalse();
        }
    }

    @Test
    void aFindingFollowedByWhatWasNotDoneIsAFinding() {
        for (String value : List.of("Escherichia coli >10^5 cfu/mL. Sensitivities not performed",
                "No growth. Microscopy not done", "Non-haemolysed trace", "Haemolysed trace", "Haemolysed 1+",
                "Staphylococcus aureus isolated; further identification cancelled",
                "Mixed growth. Sample was not received in boric acid")) {
            assertThat(NotObtained.of("F", value, null, List.of())).as(value).isFalse();
        }
    }

    @Test
    void theSampleOrTheTestMayBeNamedBeforeWhatHappenedToIt() {
        for (String value : List.of("Specimen: haemolysed", "The sample was haemolysed", "Test - not performed",
                "Specimen is unsuitable for analysis", "Sample has been cancelled")) {
            assertThat(NotObtained.of("F", value, null, List.of())).as(value).isTrue();
        }
    }
}
