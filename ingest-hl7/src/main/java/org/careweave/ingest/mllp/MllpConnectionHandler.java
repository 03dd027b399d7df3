package org.careweave.ingest.mllp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLPeerUnverifiedException;

import org.careweave.ingest.intake.Ingestor;
import org.careweave.ingest.intake.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One MLLP connection: hands each message to the {@link Ingestor} in arrival order and writes the ACKs back in the
 * same order, each only once its message is durably stored. A sender may pipeline; ACKs still come back in order.
 * When too many messages are awaiting their ACKs, reading pauses, so a fast sender cannot exhaust memory.
 */
final class MllpConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(MllpConnectionHandler.class);
    private static final int MAX_IN_FLIGHT = 1_000;

    private final Ingestor ingestor;
    private final String receivedBy;
    private final long frameTimeoutNanos;
    private final MllpFrameDecoder decoder;
    /** Completes when the previous ACK has been handed to the channel; only touched on the event loop. */
    private CompletableFuture<Void> lastAck = CompletableFuture.completedFuture(null);
    private int inFlight;
    private Origin origin;
    private ScheduledFuture<?> slowFrameCheck;

    MllpConnectionHandler(Ingestor ingestor, String receivedBy, long frameTimeoutNanos, MllpFrameDecoder decoder) {
        this.ingestor = ingestor;
        this.receivedBy = receivedBy;
        this.frameTimeoutNanos = frameTimeoutNanos;
        this.decoder = decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long period = Math.max(TimeUnit.NANOSECONDS.toMillis(frameTimeoutNanos) / 4, 50);
        slowFrameCheck = ctx.executor().scheduleAtFixedRate(() -> refuseSlowFrame(ctx), period, period,
                TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (slowFrameCheck != null) {
            slowFrameCheck.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MllpFrame.Message message) {
            CompletableFuture<Ingestor.Reply> reply = ingestor.receive(message.payload(), origin(ctx));
            inFlight++;
            if (inFlight >= MAX_IN_FLIGHT) {
                ctx.channel().config().setAutoRead(false);
            }
            // The reply completes on the producer's network thread: hand it to this connection's event loop in one
            // task (framing, write, flush, flow control), always queued so that ACKs leave in the order of messages.
            lastAck = lastAck.thenCompose(previous -> reply).handle((r, error) -> {
                ctx.executor().execute(() -> answer(ctx, r, error));
                return null;
            });
        } else if (msg instanceof MllpFrame.Unframed unframed) {
            refuseAndClose(ctx, unframed.keptBytes(), unframed.reason());
        } else if (msg instanceof ByteBuf buf) {
            buf.release();
        }
    }

    private void answer(ChannelHandlerContext ctx, Ingestor.Reply reply, Throwable error) {
        if (reply != null) {
            ctx.writeAndFlush(frame(ctx, reply.bytes()));
        } else {
            // The Ingestor answers every failure with an ACK; reaching here is a bug, so fail safe.
            log.error("No ACK could be built; closing the connection so the sender resends", error);
            ctx.close();
        }
        inFlight--;
        if (inFlight < MAX_IN_FLIGHT / 2 && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            log.debug("Closing idle MLLP connection from {}", remote(ctx));
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Exception messages can quote the bytes received; log only the kind of failure.
        log.info("Closing MLLP connection from {} after {}", remote(ctx), cause.getClass().getSimpleName());
        ctx.close();
    }

    /** Slowloris guard: a frame must be complete within the frame timeout, however slowly bytes trickle in. */
    private void refuseSlowFrame(ChannelHandlerContext ctx) {
        long started = decoder.frameStartedNanos();
        if (started >= 0 && System.nanoTime() - started > frameTimeoutNanos && ctx.channel().isActive()) {
            log.info("Closing MLLP connection from {}: frame not completed within the frame timeout", remote(ctx));
            if (slowFrameCheck != null) {
                slowFrameCheck.cancel(false);
            }
            refuseAndClose(ctx, decoder.abandonFrame(), "message not completed within the frame timeout");
        }
    }

    private void refuseAndClose(ChannelHandlerContext ctx, byte[] kept, String reason) {
        ctx.channel().config().setAutoRead(false);
        CompletableFuture<Ingestor.Reply> reply = ingestor.refuseUnframed(kept, origin(ctx), reason);
        lastAck = lastAck.thenCompose(previous -> reply).handle((r, error) -> {
            if (r != null && ctx.channel().isActive()) {
                ctx.writeAndFlush(frame(ctx, r.bytes())).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
            return null;
        });
    }

    private Origin origin(ChannelHandlerContext ctx) {
        if (origin == null) {
            origin = Origin.mllp(remote(ctx), tlsPeer(ctx), receivedBy);
        }
        return origin;
    }

    private static String tlsPeer(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        try {
            return ssl.engine().getSession().getPeerPrincipal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static String remote(ChannelHandlerContext ctx) {
        SocketAddress address = ctx.channel().remoteAddress();
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    private static ByteBuf frame(ChannelHandlerContext ctx, byte[] ack) {
        ByteBuf out = ctx.alloc().buffer(ack.length + 3);
        out.writeByte(MllpFrameDecoder.START_BLOCK);
        out.writeBytes(ack);
        out.writeByte(MllpFrameDecoder.END_BLOCK);
        out.writeByte(MllpFrameDecoder.CARRIAGE_RETURN);
        return out;
    }
}
