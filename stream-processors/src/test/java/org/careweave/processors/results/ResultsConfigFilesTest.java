package org.careweave.processors.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.careweave.processors.results.Observations.local;
import static org.careweave.processors.results.Observations.loinc;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.careweave.events.Coding;
import org.junit.jupiter.api.Test;

/** The shipped local-code mapping and retest rules, and how their files are checked. */
class ResultsConfigFilesTest {

    private static InputStream yaml(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shippedRetestRulesLoadAndCiteTheirSource() {
        RepeatTestRules rules = RepeatTestRules.defaults();
        assertThat(rules.rules()).extracting(RepeatTestRule::id)
                .contains("hba1c", "cholesterol", "tsh", "vitamin-d", "ferritin", "vitamin-b12", "psa");
        assertThat(rules.rules()).allSatisfy(r -> {
            assertThat(r.source()).contains("G147");
            assertThat(r.note()).isNotBlank();
        });
        assertThat(rules.ruleFor(loinc("4548-4"))).hasValueSatisfying(r -> {
            assertThat(r.id()).isEqualTo("hba1c");
            assertThat(r.minimumIntervalDays()).isEqualTo(90);
        });
        assertThat(rules.ruleFor(loinc("59261-8")).map(RepeatTestRule::id)).contains("hba1c");
        assertThat(rules.ruleFor(loinc("718-7"))).isEmpty();
    }

    @Test
    void shippedLocalCodesMapToLoincAndKeepTheCodeAsSent() {
        LocalCodes.Mapped mapped = LocalCodes.defaults().map(local("RHMX1", "HBA1C"), "RHMX1");
        assertThat(mapped.code().getSystem()).isEqualTo(LocalCodes.LOINC);
        assertThat(mapped.code().getCode()).isEqualTo("4548-4");
        assertThat(mapped.code().getDisplay()).isEqualTo("Hemoglobin A1c/Hemoglobin.total in Blood");
        assertThat(mapped.sourceCode()).isEqualTo(local("RHMX1", "HBA1C"));

        LocalCodes.Mapped alreadyLoinc = LocalCodes.defaults().map(loinc("4548-4"), "RHMX1");
        assertThat(alreadyLoinc.code()).isEqualTo(loinc("4548-4"));
        assertThat(alreadyLoinc.sourceCode()).isNull();

        assertThat(LocalCodes.defaults().map(local("RHMX1", "NOPE"), "RHMX1").sourceCode()).isNull();
    }

    @Test
    void anEntryWithASystemMatchesOnlyThatSystem() {
        assertThat(LocalCodes.defaults().map(local("WINPATH", "TSH"), "RAE01").code().getCode()).isEqualTo("3016-3");
        assertThat(LocalCodes.defaults().map(local("RAE01", "TSH"), "RAE01").sourceCode()).isNull();
    }

    @Test
    void rulesFilesAreChecked() {
        RepeatTestRules custom = RepeatTestRules.load(yaml("""
                rules:
                  - id: crp
                    codes: ["http://loinc.org|1988-5"]
                    minimumIntervalDays: 2
                    source: "local policy"
                """));
        assertThat(custom.ruleFor(loinc("1988-5")).map(RepeatTestRule::minimumIntervalDays)).contains(2);

        assertThatThrownBy(() -> RepeatTestRules.load(yaml("""
                rules:
                  - id: crp
                    codes: ["http://loinc.org|1988-5"]
                    minimumIntervalDays: 0
                    source: "local policy"
                """))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumIntervalDays");
        assertThatThrownBy(() -> RepeatTestRules.load(yaml("""
                rules:
                  - id: a
                    codes: ["http://loinc.org|1988-5"]
                    minimumIntervalDays: 2
                    source: "x"
                  - id: b
                    codes: ["http://loinc.org|1988-5"]
                    minimumIntervalDays: 3
                    source: "y"
                """))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1988-5");
        assertThatThrownBy(() -> RepeatTestRules.load(yaml("""
                rules:
                  - id: crp
                    code: ["http://loinc.org|1988-5"]
                    minimumIntervalDays: 2
                    source: "misspelt key"
                """))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNationalCodeIsMappedForEverySenderUnlessTheSenderMapsItItsOwnWay() {
        LocalCodes codes = LocalCodes.load(yaml("""
                facilities:
                  XYZ01:
                    - code: "900001"
                      system: http://snomed.info/sct
                      loinc: 2951-2
                systems:
                  http://snomed.info/sct:
                    - code: 900001
                      loinc: 2823-3
                      display: Potassium [Moles/volume] in Serum or Plasma
                """));
        Coding sct = Coding.newBuilder().setSystem("http://snomed.info/sct").setCode("900001").build();

        LocalCodes.Mapped anyPractice = codes.map(sct, "B99999");
        assertThat(anyPractice.code().getCode()).isEqualTo("2823-3");
        assertThat(anyPractice.code().getDisplay()).isEqualTo("Potassium [Moles/volume] in Serum or Plasma");
        assertThat(anyPractice.sourceCode()).isEqualTo(sct);
        assertThat(codes.map(sct, "XYZ01").code().getCode()).as("the facility's own entry wins")
                .isEqualTo("2951-2");
        Coding otherSystem = Coding.newBuilder().setSystem("READ").setCode("900001").build();
        assertThat(codes.map(otherSystem, "B99999").code()).as("a code means something in its own system only")
                .isEqualTo(otherSystem);

        assertThatThrownBy(() -> LocalCodes.load(yaml("""
                systems:
                  http://snomed.info/sct:
                    - code: "900001"
                      loinc: 2823-3
                    - code: "900001"
                      loinc: 2951-2
                """))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> LocalCodes.load(yaml("""
                systems:
                  http://loinc.org:
                    - code: 2823-3
                      loinc: 2823-3
                """))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kept as sent");
    }

    @Test
    void localCodeFilesAreChecked() {
        LocalCodes custom = LocalCodes.load(yaml("""
                facilities:
                  XYZ01:
                    - code: GLU
                      loinc: 14749-6
                """));
        assertThat(custom.map(local("XYZ01", "GLU"), "XYZ01").code().getCode()).isEqualTo("14749-6");

        assertThatThrownBy(() -> LocalCodes.load(yaml("""
                facilities:
                  XYZ01:
                    - code: GLU
                      loinc: glucose
                """))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LOINC");
        assertThatThrownBy(() -> LocalCodes.load(yaml("""
                facilities:
                  XYZ01:
                    - code: GLU
                      loinc: 14749-6
                    - code: GLU
                      loinc: 2345-7
                """))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }
}
