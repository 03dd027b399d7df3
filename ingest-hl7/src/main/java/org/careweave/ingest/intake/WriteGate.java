package org.careweave.ingest.intake;

import java.util.Optional;

/**
 * Whether ingest may write to Kafka now. When it may not, a message is answered AE with the reason and nothing is
 * written: the sender keeps it and resends, as after any AE. `careweave up` closes it while its disk is nearly full.
 */
@FunctionalInterface
public interface WriteGate {

    WriteGate OPEN = Optional::empty;

    /** Empty while writes are allowed; otherwise why not, in words a sender's support team can act on. */
    Optional<String> closedBecause();
}
