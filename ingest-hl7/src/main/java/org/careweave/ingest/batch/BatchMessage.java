package org.careweave.ingest.batch;

/**
 * One message of a batch file.
 *
 * @param index   1-based position among the file's messages, as reported to operators ({@code file#3})
 * @param line    1-based line of the file where the message starts, to find it in the file
 * @param payload the message's bytes exactly as in the file, without trailing line breaks
 */
public record BatchMessage(int index, int line, byte[] payload) {
}
