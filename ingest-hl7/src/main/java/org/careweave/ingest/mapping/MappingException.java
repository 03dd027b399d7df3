package org.careweave.ingest.mapping;

/** A message that passed ingest validation but cannot be turned into events; the reason never quotes field values. */
public class MappingException extends RuntimeException {
    public MappingException(String message) {
        super(message);
    }
}
