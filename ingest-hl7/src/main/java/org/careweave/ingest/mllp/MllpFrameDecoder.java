package org.careweave.ingest.mllp;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * MLLP framing: {@code 0x0B payload 0x1C 0x0D}. Several frames in one read and one frame over many reads both work
 * because Netty accumulates bytes until a whole frame is there. CR/LF between frames is tolerated (some senders
 * add it); anything else outside a frame is refused. A frame over {@code maxMessageBytes} is refused as soon as it
 * crosses the limit, without buffering the rest.
 */
final class MllpFrameDecoder extends ByteToMessageDecoder {

    static final byte START_BLOCK = 0x0B;
    static final byte END_BLOCK = 0x1C;
    static final byte CARRIAGE_RETURN = 0x0D;
    /** How much of a refused payload is kept in the dead-letter topic. */
    static final int KEPT_PREFIX_BYTES = 64 * 1024;

    private final int maxMessageBytes;
    private boolean inFrame;
    private boolean failed;
    /** Bytes of the current frame already scanned for an end block, so that a long frame is scanned once. */
    private int scanned;
    private long frameStartedNanos;

    MllpFrameDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** When the frame now being received started, or -1 when between frames. */
    long frameStartedNanos() {
        return inFrame ? frameStartedNanos : -1;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (!failed && in.isReadable()) {
            if (!inFrame) {
                byte b = in.getByte(in.readerIndex());
                if (b == START_BLOCK) {
                    in.skipBytes(1);
                    inFrame = true;
                    scanned = 0;
                    frameStartedNanos = System.nanoTime();
                } else if (b == '\r' || b == '\n') {
                    in.skipBytes(1);
                } else {
                    out.add(new MllpFrame.Unframed(take(in, Math.min(in.readableBytes(), KEPT_PREFIX_BYTES)),
                            "data outside an MLLP frame (expected start block 0x0B)"));
                    fail(in);
                    return;
                }
                continue;
            }
            int start = in.readerIndex();
            int end = -1;
            int from = start + scanned;
            // ByteBuf.indexOf searches a word at a time; a loop of getByte checks bounds on every byte.
            int found = from < in.writerIndex() ? in.indexOf(from, in.writerIndex(), END_BLOCK) : -1;
            if (found >= 0 && found + 1 < in.writerIndex()) {
                end = found; // else the byte after the end block has not arrived yet
            }
            if (end < 0) {
                scanned = Math.max(0, in.readableBytes() - 1);
                // An end block still waiting for its CR is not payload: without this a message of exactly the
                // maximum size would be refused whenever 0x1C and 0x0D arrive in different reads.
                int payloadSoFar = in.getByte(in.writerIndex() - 1) == END_BLOCK
                        ? in.readableBytes() - 1 : in.readableBytes();
                if (payloadSoFar > maxMessageBytes) {
                    out.add(new MllpFrame.Unframed(take(in, Math.min(in.readableBytes(), KEPT_PREFIX_BYTES)),
                            "message larger than the maximum of " + maxMessageBytes + " bytes"));
                    fail(in);
                }
                return;
            }
            int length = end - start;
            if (length > maxMessageBytes) {
                out.add(new MllpFrame.Unframed(take(in, Math.min(length, KEPT_PREFIX_BYTES)),
                        "message larger than the maximum of " + maxMessageBytes + " bytes"));
                fail(in);
                return;
            }
            byte[] payload = take(in, length);
            in.skipBytes(1); // end block
            if (in.getByte(in.readerIndex()) == CARRIAGE_RETURN) {
                in.skipBytes(1);
            }
            inFrame = false;
            out.add(new MllpFrame.Message(payload));
        }
    }

    /**
     * Gives up on the frame being received (the sender was too slow): returns what has arrived of it, at most
     * {@link #KEPT_PREFIX_BYTES}, and reads nothing more, so the partial message is dead-lettered once, not again
     * when the connection closes.
     */
    byte[] abandonFrame() {
        ByteBuf pending = internalBuffer();
        byte[] kept = pending.isReadable()
                ? take(pending, Math.min(pending.readableBytes(), KEPT_PREFIX_BYTES)) : new byte[0];
        fail(pending);
        return kept;
    }

    /** A connection that closes mid-frame leaves a partial message: keep it, so that it is not silently dropped. */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!failed && inFrame && in.isReadable()) {
            out.add(new MllpFrame.Unframed(take(in, Math.min(in.readableBytes(), KEPT_PREFIX_BYTES)),
                    "connection closed before the end of the frame"));
            fail(in);
            return;
        }
        decode(ctx, in, out);
    }

    private static byte[] take(ByteBuf in, int length) {
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }

    /** After a framing error nothing more from this connection is read as messages. */
    private void fail(ByteBuf in) {
        failed = true;
        inFrame = false;
        in.skipBytes(in.readableBytes());
    }
}
