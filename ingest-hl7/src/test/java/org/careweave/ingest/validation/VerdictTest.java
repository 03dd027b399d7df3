package org.careweave.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.careweave.events.AckCode;
import org.careweave.events.RejectionStage;
import org.careweave.ingest.validation.Issue.ErrorCode;
import org.junit.jupiter.api.Test;

class VerdictTest {

    @Test
    void theReasonIsTheFirstErrorWithItsLocation() {
        Verdict verdict = new Verdict(AckCode.AE, RejectionStage.VALIDATION, List.of(
                Issue.warning(ErrorCode.DATA_TYPE_ERROR, "MSH-7", "a warning"),
                Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, "OBX[2]-11", "observation result status is required"),
                Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, "PID-3", "second error")),
                null, StandardCharsets.ISO_8859_1, false);

        assertThat(verdict.reason()).isEqualTo("OBX[2]-11: observation result status is required");
        assertThat(verdict.accepted()).isFalse();
    }

    @Test
    void anErrorWithoutLocationIsJustItsText() {
        Verdict verdict = new Verdict(AckCode.AR, RejectionStage.FRAMING, List.of(
                Issue.error(ErrorCode.SEGMENT_SEQUENCE_ERROR, "", "data outside an MLLP frame")),
                null, StandardCharsets.ISO_8859_1, false);

        assertThat(verdict.reason()).isEqualTo("data outside an MLLP frame");
    }

    @Test
    void withoutErrorsTheReasonIsAccepted() {
        Verdict verdict = new Verdict(AckCode.AA, null, List.of(
                Issue.warning(ErrorCode.SEGMENT_SEQUENCE_ERROR, "PV1", "no PV1: no encounter recorded")),
                null, StandardCharsets.UTF_8, false);

        assertThat(verdict.reason()).isEqualTo("accepted");
        assertThat(verdict.accepted()).isTrue();
    }

    @Test
    void issuesAreCopiedAndImmutable() {
        List<Issue> issues = new ArrayList<>();
        issues.add(Issue.error(ErrorCode.REQUIRED_FIELD_MISSING, "PID-3", "x"));
        Verdict verdict = new Verdict(AckCode.AE, RejectionStage.VALIDATION, issues, null, null, false);
        issues.clear();

        assertThat(verdict.issues()).hasSize(1);
        assertThatThrownBy(() -> verdict.issues().add(issues.get(0))).isInstanceOf(RuntimeException.class);
    }

    @Test
    void errorCodesAreHl7Table0357() {
        assertThat(ErrorCode.REQUIRED_FIELD_MISSING.code()).isEqualTo("101");
        assertThat(ErrorCode.UNSUPPORTED_VERSION_ID.code()).isEqualTo("203");
        assertThat(ErrorCode.APPLICATION_INTERNAL_ERROR.code()).isEqualTo("207");
        assertThat(ErrorCode.textOf("102")).isEqualTo("Data type error");
        assertThat(ErrorCode.textOf("999")).isEmpty();
        assertThat(Issue.error(ErrorCode.DATA_TYPE_ERROR, "PID-7", "t").severity()).isEqualTo(Issue.Severity.ERROR);
        assertThat(Issue.warning(ErrorCode.DATA_TYPE_ERROR, "PID-7", "t").severity())
                .isEqualTo(Issue.Severity.WARNING);
    }
}
