package org.careweave.ingest.batch;

import java.util.List;

/**
 * The messages found in one batch file, in file order, and what looked wrong with its envelope. Warnings never quote
 * file content: they name lines and counts only.
 */
public record Batch(List<BatchMessage> messages, List<String> warnings) {

    public Batch {
        messages = List.copyOf(messages);
        warnings = List.copyOf(warnings);
    }
}
