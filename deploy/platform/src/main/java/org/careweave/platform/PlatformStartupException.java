package org.careweave.platform;

/** A component of the platform could not start; the message says which and what to do about it. */
public class PlatformStartupException extends RuntimeException {
    public PlatformStartupException(String message) {
        super(message);
    }

    public PlatformStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
