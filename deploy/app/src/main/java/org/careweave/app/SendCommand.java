package org.careweave.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import javax.net.ssl.SSLSocketFactory;

import org.careweave.ingest.ack.ParsedAck;
import org.careweave.ingest.batch.Batch;
import org.careweave.ingest.batch.BatchFiles;
import org.careweave.ingest.batch.BatchMessage;
import org.careweave.ingest.mllp.MllpClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code careweave send}: sends HL7 v2 files (one message, several, or a batch extract with FHS/BHS envelope) to an
 * MLLP listener, one message at a time in file order, and prints each ACK. For testing a listener and for resending
 * refused messages by hand.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send the HL7 v2 messages in FILEs (batch files with or without FHS/BHS envelope) to an MLLP"
                + " listener, one at a time, and print one line per ACK: FILE#INDEX CONTROL-ID ACK-CODE [REASON].",
                "Exit status: 0 all AA, 1 some AE/AR, 2 could not send (connection failure, no ACK, unreadable file,"
                        + " a file with no message)."})
final class SendCommand implements Callable<Integer> {

    static final int ALL_ACCEPTED = 0;
    static final int SOME_REFUSED = 1;
    static final int NOT_SENT = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Listener host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "2575",
            description = "Listener port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--tls", description = "MLLP over TLS.")
    boolean tls;

    @Option(names = "--key-store", paramLabel = "FILE",
            description = "PKCS#12 key store with this client's certificate (TLS with client certificates).")
    Path keyStore;

    @Option(names = "--key-store-password", paramLabel = "PASSWORD",
            defaultValue = "${env:CAREWEAVE_SEND_KEY_STORE_PASSWORD}",
            description = "Key store password (default: environment variable CAREWEAVE_SEND_KEY_STORE_PASSWORD, which"
                    + " keeps it out of the process list).")
    String keyStorePassword;

    @Option(names = "--trust-store", paramLabel = "FILE",
            description = "PKCS#12 trust store with the listener's CA (default: the JVM's trusted CAs).")
    Path trustStore;

    @Option(names = "--trust-store-password", paramLabel = "PASSWORD",
            defaultValue = "${env:CAREWEAVE_SEND_TRUST_STORE_PASSWORD}",
            description = "Trust store password (default: environment variable CAREWEAVE_SEND_TRUST_STORE_PASSWORD).")
    String trustStorePassword;

    @Option(names = "--no-hostname-check",
            description = "Accept a listener certificate that does not name --host (certificates issued without host"
                    + " names).")
    boolean noHostnameCheck;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long to wait for each ACK (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files of HL7 v2 messages.")
    List<Path> files;

    /** A file and the messages found in it. */
    private record Loaded(String name, Batch batch) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!tls && (keyStore != null || trustStore != null)) {
            throw new ParameterException(spec.commandLine(), "--key-store and --trust-store need --tls");
        }
        // Read every file first: a missing file, or one with no message (empty, blank, the wrong file), stops the run
        // before anything is sent.
        List<Loaded> loaded = new ArrayList<>();
        for (Path file : files) {
            Loaded read;
            try {
                read = new Loaded(file.toString(), BatchFiles.split(Files.readAllBytes(file)));
            } catch (IOException e) {
                err.println("careweave send: cannot read " + file + ": " + e.getMessage());
                return NOT_SENT;
            }
            if (read.batch().messages().isEmpty()) {
                read.batch().warnings().forEach(w -> err.println(read.name() + ": warning: " + w));
                err.println("careweave send: no HL7 message (MSH segment) in " + file + "; nothing sent");
                return NOT_SENT;
            }
            loaded.add(read);
        }
        MllpClient.Settings settings;
        try {
            settings = settings();
        } catch (IOException | GeneralSecurityException e) {
            err.println("careweave send: cannot set up TLS: " + e.getMessage());
            return NOT_SENT;
        }
        Tally tally = new Tally();
        try (MllpClient client = connect(settings, err)) {
            if (client == null) {
                return NOT_SENT;
            }
            for (Loaded file : loaded) {
                file.batch().warnings().forEach(w -> err.println(file.name() + ": warning: " + w));
                for (BatchMessage message : file.batch().messages()) {
                    ParsedAck ack = ParsedAck.parse(client.send(message.payload()));
                    tally.count(ack);
                    out.println(line(file.name(), message.index(), ack));
                }
            }
        } catch (SocketTimeoutException e) {
            out.println(tally.summary(loaded.size()));
            err.println("careweave send: no ACK from " + host + ":" + port + " within " + timeoutSeconds + " s");
            return NOT_SENT;
        } catch (IOException e) {
            out.println(tally.summary(loaded.size()));
            err.println("careweave send: connection to " + host + ":" + port + " failed: " + e.getMessage());
            return NOT_SENT;
        }
        out.println(tally.summary(loaded.size()));
        return tally.allAccepted() ? ALL_ACCEPTED : SOME_REFUSED;
    }

    private MllpClient.Settings settings() throws IOException, GeneralSecurityException {
        MllpClient.Settings plain = MllpClient.Settings.plain(host, port)
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(timeoutSeconds));
        if (!tls) {
            return plain;
        }
        SSLSocketFactory factory = MllpClient.tlsSocketFactory(keyStore, keyStorePassword, trustStore,
                trustStorePassword);
        return plain.withTls(factory, !noHostnameCheck);
    }

    /** The connection, or null (with the reason printed) when there is none. */
    private MllpClient connect(MllpClient.Settings settings, PrintWriter err) {
        try {
            return MllpClient.connect(settings);
        } catch (IOException e) {
            err.println("careweave send: cannot connect to " + host + ":" + port + ": " + e.getMessage());
            return null;
        }
    }

    /** {@code <file>#<index> <control id> <ACK code> <reason>}; '-' for what the ACK does not say. */
    static String line(String file, int index, ParsedAck ack) {
        String reason = ack.reason();
        return file + "#" + index
                + " " + (ack.controlId().isEmpty() ? "-" : ack.controlId())
                + " " + (ack.code().isEmpty() ? "-" : ack.code())
                + (reason.isEmpty() ? "" : " " + reason);
    }

    /** How many messages got which answer. */
    private static final class Tally {
        private int sent;
        private int accepted;
        private int errors;
        private int rejects;
        private int other;

        void count(ParsedAck ack) {
            sent++;
            if (ack.accepted()) {
                accepted++;
            } else if (ack.code().equals("AE") || ack.code().equals("CE")) {
                errors++;
            } else if (ack.code().equals("AR") || ack.code().equals("CR")) {
                rejects++;
            } else {
                other++;
            }
        }

        boolean allAccepted() {
            return accepted == sent;
        }

        String summary(int files) {
            return "sent " + sent + " message" + (sent == 1 ? "" : "s") + " from " + files + " file"
                    + (files == 1 ? "" : "s") + ": " + accepted + " AA, " + errors + " AE, " + rejects + " AR"
                    + (other == 0 ? "" : ", " + other + " unreadable ACK" + (other == 1 ? "" : "s"));
        }
    }
}
