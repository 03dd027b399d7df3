package org.careweave.platform;

/** The requested kind of platform cannot run on this machine at all (e.g. no Docker engine for testcontainers). */
public class PlatformUnavailableException extends PlatformStartupException {
    public PlatformUnavailableException(String message) {
        super(message);
    }
}
