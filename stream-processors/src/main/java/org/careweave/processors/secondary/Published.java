package org.careweave.processors.secondary;

import java.util.Map;
import java.util.TreeMap;

/**
 * What is on the secondary-use topics for one person: their pseudonym and a fingerprint of each record, so that a
 * retraction can tombstone every key and an update republishes only what changed. Internal state.
 *
 * @param results result key → fingerprint
 */
record Published(String pseudonym, String personFingerprint, Map<String, String> results) {

    Published {
        results = new TreeMap<>(results == null ? Map.of() : results);
    }
}
