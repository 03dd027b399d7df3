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
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.auth.AdminToken;
import org.careweave.store.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The query API over HTTPS when given a key store: TLS only, with its own certificate, tokens as over HTTP. */
@ExtendWith(EmbeddedPlatformExtension.class)
class ApiTlsIT {

    private static final String PASSWORD = "invented-" + UUID.randomUUID();

    @TempDir
    static Path dir;
    private static Path keyStore;
    private static StoreEndpoints endpoints;
    private static String admin;
    private static ApiServer api;

    @BeforeAll
    static void start(Platform platform) throws Exception {
        keyStore = dir.resolve("api.p12");
        keytool("-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=careweave api test", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD);
        endpoints = TestDatabases.fresh(platform, "apitlsit");
        admin = AdminToken.read(AdminToken.ensure(dir));
        api = ApiServer.start(ApiConfig.defaults().withPort(0).withAdminTokenFile(dir.resolve("admin.token"))
                        .withTls(new ApiConfig.Tls(keyStore, PASSWORD)), endpoints, "apitlsit.",
                (system, code) -> Optional.empty(), List.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void answersOverHttpsToAClientThatTrustsItsCertificate() throws Exception {
        assertThat(api.baseUri().getScheme()).isEqualTo("https");
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(keyStore)).build();

        HttpResponse<String> openApi = client.send(HttpRequest.newBuilder(api.baseUri().resolve("/api/openapi.json"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(openApi.statusCode()).isEqualTo(200);
        HttpResponse<String> search = client.send(HttpRequest.newBuilder(api.baseUri().resolve(
                "/api/persons?identifier=RHMX1%7CNOBODY")).header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat(search.body()).isEqualTo("{\"persons\":[]}");
        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(api.baseUri().resolve(
                "/api/persons?identifier=RHMX1%7CNOBODY")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() {
        HttpClient client = HttpClient.newHttpClient();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(api.baseUri().resolve("/api/openapi.json"))
                .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void plainHttpGetsNoAnswerFromTheApi() {
        URI plain = URI.create("http://127.0.0.1:" + api.port() + "/api/openapi.json");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // The port speaks TLS only: a plain request gets a TLS alert back, which is no HTTP answer.
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void aKeyStoreThatDoesNotOpenStopsTheStartWithItsCause() {
        ApiConfig wrong = ApiConfig.defaults().withPort(0).withTls(new ApiConfig.Tls(keyStore, "not-the-password"));
        assertThatThrownBy(() -> ApiServer.start(wrong, endpoints, "apitlsit.", (system, code) -> Optional.empty(),
                List.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
                .hasStackTraceContaining("key store");
    }

    private static SSLContext trusting(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        Certificate certificate = keys.getCertificate("api");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("api", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static void keytool(String... arguments) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
