package org.careweave.benchmarks.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends many messages over one MLLP connection without waiting for each ACK (up to a window of unanswered
 * messages), and reads the ACKs as they come. careweave answers in arrival order on a connection, so the messages
 * are stored in exactly the order given. For loading a data set quickly, not for measuring ACK latency.
 */
public final class PipelinedMllpSender {

    /** How many ACKs of each code came back. */
    public record Outcome(long aa, long other, double seconds) {
    }

    private PipelinedMllpSender() {
    }

    public static Outcome send(String host, int port, List<byte[]> messages, int window) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(60_000);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 65536);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
            Semaphore inFlight = new Semaphore(window);
            long t0 = System.nanoTime();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> write(out, messages, inFlight));
            long aa = 0;
            long other = 0;
            ByteArrayOutputStream ack = new ByteArrayOutputStream(512);
            for (int i = 0; i < messages.size(); i++) {
                readFrame(in, ack);
                if ("AA".equals(MllpConnection.ackCode(ack.toByteArray()))) {
                    aa++;
                } else {
                    other++;
                }
                inFlight.release();
            }
            writing.join();
            return new Outcome(aa, other, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static void write(OutputStream out, List<byte[]> messages, Semaphore inFlight) {
        try {
            for (byte[] message : messages) {
                if (!inFlight.tryAcquire()) {
                    out.flush();
                    if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
                        throw new IOException("no ACK for 60 s");
                    }
                }
                out.write(0x0B);
                out.write(message);
                out.write(0x1C);
                out.write(0x0D);
            }
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void readFrame(InputStream in, ByteArrayOutputStream ack) throws IOException {
        int b = in.read();
        while (b == '\r' || b == '\n') {
            b = in.read();
        }
        if (b != 0x0B) {
            throw b < 0 ? new EOFException("closed before all ACKs came") : new IOException("not an MLLP frame");
        }
        ack.reset();
        while ((b = in.read()) != 0x1C) {
            if (b < 0) {
                throw new EOFException("closed in the middle of an ACK");
            }
            ack.write(b);
        }
        in.read();
    }
}
