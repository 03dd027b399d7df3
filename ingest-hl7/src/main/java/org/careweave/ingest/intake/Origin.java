package org.careweave.ingest.intake;

import org.careweave.events.Transport;

/**
 * How a message reached careweave.
 *
 * @param tlsPeer    subject DN of the client certificate, null without TLS
 * @param receivedBy the listener or intake, e.g. mllp:2575
 * @param batchFile  file name for batch extracts, else null
 */
public record Origin(Transport transport, String remoteAddress, String tlsPeer, String receivedBy, String batchFile) {

    public static Origin mllp(String remoteAddress, String tlsPeer, String receivedBy) {
        return new Origin(tlsPeer == null ? Transport.MLLP : Transport.MLLP_TLS, remoteAddress, tlsPeer, receivedBy,
                null);
    }
}
