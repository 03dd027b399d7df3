package org.careweave.ingest.mllp;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.careweave.ingest.hl7.Hl7Charsets;

/**
 * A small blocking MLLP client: one connection, one message at a time, each {@link #send} waiting for its ACK. For
 * {@code careweave send}, tests and load generation; not for production sending, which interface engines do.
 *
 * <p>Frame: {@code 0x0B payload 0x1C 0x0D}. Thread-safe in the simplest way: sends are serialised.
 */
public final class MllpClient implements AutoCloseable {

    private static final int START_BLOCK = 0x0B;
    private static final int END_BLOCK = 0x1C;
    private static final int CARRIAGE_RETURN = 0x0D;
    /** An ACK is a few hundred bytes; this only stops a wrong peer from filling memory. */
    private static final int MAX_ACK_BYTES = 1024 * 1024;

    /**
     * Where and how to connect.
     *
     * @param readTimeout    how long to wait for an ACK; longer than the receiver's own store timeout (15 s for
     *                       careweave), or a slow but successful store looks like a failure
     * @param tls            null for plain TCP
     * @param verifyHostname whether the server certificate must name {@code host} (HTTPS rules); on unless the
     *                       certificates are issued without host names
     */
    public record Settings(String host, int port, Duration connectTimeout, Duration readTimeout,
                           SSLSocketFactory tls, boolean verifyHostname) {

        public static Settings plain(String host, int port) {
            return new Settings(host, port, Duration.ofSeconds(10), Duration.ofSeconds(30), null, true);
        }

        public Settings withTls(SSLSocketFactory factory, boolean verifyHostname) {
            return new Settings(host, port, connectTimeout, readTimeout, factory, verifyHostname);
        }

        public Settings withTimeouts(Duration connect, Duration read) {
            return new Settings(host, port, connect, read, tls, verifyHostname);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private MllpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    public static MllpClient connect(String host, int port) throws IOException {
        return connect(Settings.plain(host, port));
    }

    public static MllpClient connect(Settings settings) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(settings.host(), settings.port()),
                    (int) settings.connectTimeout().toMillis());
            plain.setSoTimeout((int) settings.readTimeout().toMillis());
            if (settings.tls() == null) {
                return new MllpClient(plain);
            }
            SSLSocket tls = (SSLSocket) settings.tls().createSocket(plain, settings.host(), settings.port(), true);
            if (settings.verifyHostname()) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
            }
            tls.startHandshake();
            return new MllpClient(tls);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /**
     * Sends one message and waits for the ACK frame.
     *
     * @return the ACK's text, read in the charset its MSH-18 names (ISO-8859-1 when it names none)
     * @throws java.net.SocketTimeoutException when no ACK came within the read timeout
     * @throws IOException                     when the connection failed or the peer answered with something other
     *                                         than an MLLP frame
     */
    public synchronized String send(byte[] message) throws IOException {
        out.write(START_BLOCK);
        out.write(message);
        out.write(END_BLOCK);
        out.write(CARRIAGE_RETURN);
        out.flush();
        return decode(readFrame());
    }

    private byte[] readFrame() throws IOException {
        int b = in.read();
        while (b == '\r' || b == '\n') {
            b = in.read();
        }
        if (b < 0) {
            throw new EOFException("connection closed by the receiver before it sent an ACK");
        }
        if (b != START_BLOCK) {
            throw new IOException("the receiver did not answer with an MLLP frame (no start block 0x0B)");
        }
        ByteArrayOutputStream ack = new ByteArrayOutputStream(512);
        while (true) {
            b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the receiver in the middle of an ACK");
            }
            if (b == END_BLOCK) {
                int cr = in.read();
                if (cr != CARRIAGE_RETURN) {
                    throw new IOException("malformed MLLP frame: end block 0x1C not followed by 0x0D");
                }
                return ack.toByteArray();
            }
            if (ack.size() >= MAX_ACK_BYTES) {
                throw new IOException("ACK larger than " + MAX_ACK_BYTES + " bytes");
            }
            ack.write(b);
        }
    }

    private static String decode(byte[] ack) {
        Hl7Charsets.Decoded decoded = Hl7Charsets.decode(ack, StandardCharsets.ISO_8859_1);
        return decoded.ok() ? decoded.text() : new String(ack, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * TLS with a client certificate, from PKCS#12 stores, as careweave's listener requires: the key store holds this
     * client's certificate and key, the trust store the CA (or certificate) of the server.
     *
     * @param keyStore null for TLS without a client certificate
     */
    public static SSLSocketFactory tlsSocketFactory(Path keyStore, String keyStorePassword, Path trustStore,
                                                    String trustStorePassword) throws IOException,
            GeneralSecurityException {
        KeyManagerFactory keys = null;
        if (keyStore != null) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keyStore, keyStorePassword), password(keyStorePassword));
        }
        TrustManagerFactory trust = null;
        if (trustStore != null) {
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(trustStore, trustStorePassword));
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                null);
        return context.getSocketFactory();
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream stream = Files.newInputStream(file)) {
            store.load(stream, password(password));
        }
        return store;
    }

    private static char[] password(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }
}
