package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.careweave.store.auth.AdminToken;
import org.careweave.store.health.HealthCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The operations endpoints of ingest, process and sink speak HTTPS when {@code api.tls.key.store} is set, as the API
 * does: the admin token that /metrics takes never crosses the network in clear.
 */
class OperationsServerTlsTest {

    private static final String PASSWORD = "invented-" + UUID.randomUUID();

    @TempDir
    static Path dir;
    private static Path keyStore;
    private static String admin;
    private static OperationsServer operations;

    @BeforeAll
    static void start() throws Exception {
        keyStore = dir.resolve("ops.p12");
        keytool("-genkeypair", "-alias", "ops", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=careweave operations test", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD);
        admin = AdminToken.read(AdminToken.ensure(dir));
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.counter("careweave.test.marker").increment();
        operations = OperationsServer.start(ApiConfig.defaults().withPort(0)
                        .withAdminTokenFile(dir.resolve(AdminToken.FILE_NAME))
                        .withTls(new ApiConfig.Tls(keyStore, PASSWORD)),
                List.of(HealthCheck.of("component", () -> HealthCheck.Status.up("running"))), metrics);
    }

    @AfterAll
    static void stop() {
        if (operations != null) {
            operations.close();
        }
    }

    @Test
    void metricsAndHealthAnswerOverHttps() throws Exception {
        assertThat(operations.baseUri().getScheme()).isEqualTo("https");
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(keyStore)).build();

        HttpResponse<String> scraped = client.send(HttpRequest.newBuilder(operations.baseUri().resolve("/metrics"))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).contains("careweave_test_marker");
        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(operations.baseUri().resolve("/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(operations.baseUri().resolve("/health"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"component\"");
    }

    @Test
    void plainHttpGetsNoAnswerSoTheTokenIsNeverSentInClearToAnAnswer() {
        URI plain = URI.create("http://127.0.0.1:" + operations.port() + "/metrics");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aKeyStoreThatDoesNotOpenStopsTheStart() {
        ApiConfig wrong = ApiConfig.defaults().withPort(0).withAdminTokenFile(dir.resolve(AdminToken.FILE_NAME))
                .withTls(new ApiConfig.Tls(keyStore, "not-the-password"));
        assertThatThrownBy(() -> OperationsServer.start(wrong, List.of(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))).hasStackTraceContaining("key store");
    }

    private static SSLContext trusting(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ops", keys.getCertificate("ops"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static void keytool(String... arguments) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
