package org.careweave.ingest.validation;

import java.nio.charset.Charset;
import java.util.List;

import org.careweave.events.AckCode;
import org.careweave.events.RejectionStage;
import org.careweave.ingest.hl7.MshHeader;

/**
 * What validation decided about one message: the ACK code, why, and what could be read of it.
 *
 * @param msh         null when the message has no readable MSH
 * @param charset     the charset the payload was read with
 * @param archiveOnly accepted and archived, but of a type careweave does not map (when so configured)
 */
public record Verdict(AckCode ackCode, RejectionStage stage, List<Issue> issues, MshHeader msh, Charset charset,
                      boolean archiveOnly) {

    public Verdict {
        issues = List.copyOf(issues);
    }

    public boolean accepted() {
        return ackCode == AckCode.AA;
    }

    /** The first error, as the one-line reason kept with a refused message. */
    public String reason() {
        return issues.stream().filter(i -> i.severity() == Issue.Severity.ERROR).findFirst()
                .map(i -> (i.location().isEmpty() ? "" : i.location() + ": ") + i.text())
                .orElse("accepted");
    }
}
