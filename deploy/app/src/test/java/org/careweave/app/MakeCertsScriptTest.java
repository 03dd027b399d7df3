package org.careweave.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.careweave.ingest.intake.FacilityAllowlist;
import org.careweave.ingest.mllp.MllpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * deploy/compose/make-certs.sh makes what the compose stack mounts, and the certificates work: the listener's and a
 * client's complete a mutual TLS handshake, each trusting the test CA, and the allowlist ties each client to its
 * facility.
 */
class MakeCertsScriptTest {

    private static final String HOSPITAL = "CN=Trial hospital interface engine,O=Invented Trust,C=GB";
    private static final String GP = "CN=Trial GP practice system,O=Invented Practice,C=GB";

    @TempDir
    static Path out;

    private static Map<String, String> tls;
    private static String clientPassword;

    @BeforeAll
    static void runTheScript() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", DeploymentFiles.MAKE_CERTS.toString(), out.toString())
                .redirectErrorStream(true);
        // The keytool of the JDK running the tests.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process script = builder.start();
        String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(script.waitFor(180, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(script.exitValue()).as(output).isZero();
        tls = DeploymentFiles.envFile(out.resolve("mllp-tls.env"));
        clientPassword = Files.readString(out.resolve("client-store.password")).strip();
    }

    @Test
    void writesEveryFileTheComposeStackReadsFromSecrets() {
        JsonNode services = DeploymentFiles.compose().path("services");
        services.fields().forEachRemaining(service -> {
            for (String envFile : CareweaveContainers.words(service.getValue().path("env_file"))) {
                if (envFile.startsWith("secrets/")) {
                    assertThat(out.resolve(envFile.substring("secrets/".length()))).as(service.getKey())
                            .isRegularFile();
                }
            }
            for (String volume : CareweaveContainers.words(service.getValue().path("volumes"))) {
                if (volume.startsWith("./secrets/")) {
                    String file = volume.substring("./secrets/".length(), volume.indexOf(':'));
                    assertThat(out.resolve(file)).as(service.getKey()).isRegularFile();
                }
            }
        });
    }

    @Test
    void theListenersKeyStoreHoldsACertificateForTheComposeNamesSignedByTheCa() throws Exception {
        KeyStore server = load("mllp-server.p12", tls.get("CAREWEAVE_MLLP_TLS_KEY_STORE_PASSWORD"));
        String alias = server.aliases().nextElement();
        assertThat(server.isKeyEntry(alias)).isTrue();
        Certificate[] chain = server.getCertificateChain(alias);
        assertThat(chain).hasSize(2);
        X509Certificate leaf = (X509Certificate) chain[0];
        X509Certificate ca = caCertificate();
        leaf.verify(ca.getPublicKey());
        assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // serverAuth
        assertThat(leaf.getSubjectAlternativeNames()).extracting(name -> name.get(1).toString())
                .contains("localhost", "127.0.0.1", "mllp", "ingest-a", "ingest-b");
    }

    @Test
    void theAllowlistTiesEachClientCertificateToItsFacility() throws Exception {
        FacilityAllowlist allowlist = FacilityAllowlist.load(out.resolve("mllp-allowlist.txt"));
        assertThat(subject("hospital-client.p12")).isEqualTo(HOSPITAL);
        assertThat(subject("gp-client.p12")).isEqualTo(GP);
        assertThat(allowlist.allows(HOSPITAL, "RHMX1")).isTrue();
        assertThat(allowlist.allows(HOSPITAL, "B86001")).isFalse();
        assertThat(allowlist.allows(GP, "B86001")).isTrue();
        assertThat(allowlist.allows(GP, "RHMX1")).isFalse();
    }

    @Test
    void listenerAndClientCompleteAMutualTlsHandshake() throws Exception {
        SSLContext serverContext = SSLContext.getInstance("TLS");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        String keyPassword = tls.get("CAREWEAVE_MLLP_TLS_KEY_STORE_PASSWORD");
        keys.init(load("mllp-server.p12", keyPassword), keyPassword.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load("ca-trust.p12", tls.get("CAREWEAVE_MLLP_TLS_TRUST_STORE_PASSWORD")));
        serverContext.init(keys.getKeyManagers(), trust.getTrustManagers(), null);

        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.startHandshake();
                    return accepted.getSession().getPeerPrincipal().getName();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            var client = MllpClient.tlsSocketFactory(out.resolve("hospital-client.p12"), clientPassword,
                    out.resolve("ca-trust.p12"), tls.get("CAREWEAVE_MLLP_TLS_TRUST_STORE_PASSWORD"));
            try (SSLSocket socket = (SSLSocket) client.createSocket("127.0.0.1", listener.getLocalPort())) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // as careweave send checks the host name
                socket.setSSLParameters(parameters);
                socket.startHandshake();
            }
            assertThat(peer.get(30, TimeUnit.SECONDS)).isEqualTo(HOSPITAL);
        }
    }

    @Test
    void theApiTokensFileHoldsTheClinicianTokensHashOnly() throws Exception {
        String token = Files.readString(out.resolve("clinician.token")).strip();
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
        List<String> lines = Files.readAllLines(out.resolve("api-tokens.txt")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(lines).singleElement().asString().startsWith(hash + " clinician ");
        assertThat(String.join("\n", lines)).doesNotContain(token);
        assertThat(Files.readString(out.resolve("admin.token")).strip()).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void thePseudonymKeyIsLongEnoughForTheProcessors() {
        // stream-processors' PseudonymKey refuses keys shorter than 32 characters.
        String key = DeploymentFiles.envFile(out.resolve("pseudonym.env"))
                .get(KnownSettings.environmentVariable("secondary.pseudonym.key"));
        assertThat(key).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void secretsAreReadableByTheirOwnerOnlyWhereNoContainerNeedsThem() throws IOException {
        for (String file : List.of("ca.p12", "clinician.token", "database.env", "mllp-tls.env", "pseudonym.env")) {
            assertThat(Files.getPosixFilePermissions(out.resolve(file))).as(file)
                    .extracting(Object::toString).allSatisfy(p -> assertThat(p).startsWith("OWNER_"));
        }
    }

    private static X509Certificate caCertificate() throws Exception {
        KeyStore trust = load("ca-trust.p12", tls.get("CAREWEAVE_MLLP_TLS_TRUST_STORE_PASSWORD"));
        String alias = trust.aliases().nextElement();
        assertThat(trust.isCertificateEntry(alias)).isTrue();
        return (X509Certificate) trust.getCertificate(alias);
    }

    private static String subject(String store) throws Exception {
        KeyStore keys = load(store, clientPassword);
        X509Certificate certificate = (X509Certificate) keys.getCertificate(keys.aliases().nextElement());
        certificate.verify(caCertificate().getPublicKey());
        return certificate.getSubjectX500Principal().getName();
    }

    private static KeyStore load(String file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(out.resolve(file))) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
