package org.careweave.benchmarks.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.careweave.benchmarks.load.GeneratedMessage;
import org.careweave.events.AckCode;
import org.careweave.events.RawMessage;
import org.careweave.events.Transport;
import org.careweave.ingest.hl7.MshHeader;
import org.careweave.ingest.hl7.MshReader;
import org.careweave.ingest.intake.MessageIds;

/** The raw record careweave's ingest would archive for a generated message that it accepted (AA). */
public final class RawRecords {

    private RawRecords() {
    }

    public static RawMessage of(GeneratedMessage message, Instant receivedAt) {
        return of(message.bytes(), receivedAt);
    }

    public static RawMessage of(byte[] bytes, Instant receivedAt) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        MshHeader msh = MshReader.read(text).orElseThrow(() -> new IllegalArgumentException("no MSH"));
        return RawMessage.newBuilder()
                .setMessageId(MessageIds.of(msh.sendingFacility(), msh.controlId(), bytes))
                .setSendingFacility(msh.sendingFacility())
                .setSendingApplication(msh.sendingApplication())
                .setMessageType(msh.messageType())
                .setControlId(msh.controlId())
                .setHl7Version(msh.version())
                .setReceivedAt(receivedAt)
                .setPayload(ByteBuffer.wrap(bytes))
                .setCharset(StandardCharsets.ISO_8859_1.name())
                .setTransport(Transport.MLLP)
                .setRemoteAddress("127.0.0.1")
                .setReceivedBy("benchmark")
                .setAckCode(AckCode.AA)
                .setIssues(List.of())
                .build();
    }
}
