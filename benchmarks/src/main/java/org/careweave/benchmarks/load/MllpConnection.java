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
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One blocking MLLP connection over loopback TCP: write a frame, read the ACK frame. Reuses its buffers, so that
 * the generator spends as little CPU per message as it can.
 */
final class MllpConnection implements AutoCloseable {

    private static final int START_BLOCK = 0x0B;
    private static final int END_BLOCK = 0x1C;
    private static final int CARRIAGE_RETURN = 0x0D;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream ack = new ByteArrayOutputStream(512);

    private MllpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16384);
    }

    static MllpConnection open(String host, int port, Duration ackTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout((int) ackTimeout.toMillis());
            return new MllpConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one message and returns MSA-1 of the ACK (AA, AE, AR, CA, CE, CR), or "??" when it has none. */
    String send(byte[] message) throws IOException {
        out.write(START_BLOCK);
        out.write(message);
        out.write(END_BLOCK);
        out.write(CARRIAGE_RETURN);
        out.flush();
        return ackCode(readFrame());
    }

    private byte[] readFrame() throws IOException {
        int b = in.read();
        while (b == '\r' || b == '\n') {
            b = in.read();
        }
        if (b != START_BLOCK) {
            throw b < 0 ? new EOFException("closed before the ACK") : new IOException("not an MLLP frame");
        }
        ack.reset();
        while ((b = in.read()) != END_BLOCK) {
            if (b < 0) {
                throw new EOFException("closed in the middle of an ACK");
            }
            ack.write(b);
        }
        if (in.read() != CARRIAGE_RETURN) {
            throw new IOException("end block not followed by CR");
        }
        return ack.toByteArray();
    }

    static String ackCode(byte[] ack) {
        String text = new String(ack, StandardCharsets.ISO_8859_1);
        int msa = text.indexOf("MSA|");
        return msa < 0 || msa + 6 > text.length() ? "??" : text.substring(msa + 4, msa + 6);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }
}
