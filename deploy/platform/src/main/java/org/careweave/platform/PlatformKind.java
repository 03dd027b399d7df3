package org.careweave.platform;

import java.util.Locale;

public enum PlatformKind {
    /** Kafka, the registry and PostgreSQL started here, with their data under one directory. */
    EMBEDDED,
    /** Endpoints of services someone else runs, from configuration. */
    EXTERNAL,
    /** Containers, when a Docker engine is reachable. */
    TESTCONTAINERS;

    public static PlatformKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Unknown platform kind '" + text + "': use embedded, external or testcontainers", e);
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
