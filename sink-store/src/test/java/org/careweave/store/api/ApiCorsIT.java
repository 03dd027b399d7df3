package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

/**
 * A clinicians' web app served from an allowed origin may call the API from the browser (CORS); any other origin gets
 * no permission, and the API's tokens and audit apply as always.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class ApiCorsIT {

    private static final String APP = "https://records.example-trust.invalid";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static String admin;
    private static ApiServer api;

    @BeforeAll
    static void start(Platform platform) throws Exception {
        StoreEndpoints endpoints = TestDatabases.fresh(platform, "apicorsit");
        admin = AdminToken.read(AdminToken.ensure(dir));
        api = ApiServer.start(ApiConfig.defaults().withPort(0).withAdminTokenFile(dir.resolve("admin.token"))
                        .withCorsOrigins(List.of(APP)), endpoints, "apicorsit.",
                (system, code) -> Optional.empty(), List.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void anAllowedOriginMayAskWithABearerTokenAndReadTheAnswer() throws Exception {
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(search())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", APP).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization,if-none-match").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(preflight.statusCode()).isBetween(200, 204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(APP);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("authorization");

        HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(search()).header("Origin", APP)
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).contains(APP);
        assertThat(read.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("ETag");
    }

    @Test
    void anyOtherOriginGetsNoPermissionAndATokenIsStillNeeded() throws Exception {
        HttpResponse<String> elsewhere = HTTP.send(HttpRequest.newBuilder(search())
                .header("Origin", "https://elsewhere.invalid").header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(elsewhere.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> noToken = HTTP.send(HttpRequest.newBuilder(search()).header("Origin", APP).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
    }

    @Test
    void originsAreCheckedAtStartAndAnyOriginIsNeverAllowed() {
        assertThat(ApiConfig.origins(" https://a.example.invalid , http://localhost:3000,"))
                .containsExactly("https://a.example.invalid", "http://localhost:3000");
        assertThat(ApiConfig.origins("")).isEmpty();
        for (String bad : List.of("*", "https://a.example.invalid/app", "a.example.invalid", "ftp://a.invalid")) {
            assertThatThrownBy(() -> ApiConfig.origins(bad)).as(bad).hasMessageContaining("api.cors.origins");
        }
    }

    private static URI search() {
        return api.baseUri().resolve("/api/persons?identifier=RHMX1%7CNOBODY");
    }
}
