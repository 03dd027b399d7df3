package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.auth.AdminToken;
import org.careweave.store.testing.CuttableProxy;
import org.careweave.store.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The database out of reach under a running API (the network to it cut): a read answers 503 with a time to retry
 * after, not 500, and reads work again once the database is back. Before, an app got 500 ("internal error") and could
 * not tell a fault of careweave from a moment to wait.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class ApiDatabaseOutageIT {

    @TempDir
    Path dir;

    @Test
    void aReadWhileTheDatabaseIsOutOfReachIsAnsweredUnavailable(Platform platform) throws Exception {
        StoreEndpoints direct = TestDatabases.fresh(platform, "api_outage_it");
        URI database = URI.create(direct.jdbcUrl().substring("jdbc:".length()));
        try (CuttableProxy proxy = new CuttableProxy(database.getHost(), database.getPort())) {
            StoreEndpoints viaProxy = direct.withJdbcUrl(direct.jdbcUrl()
                    .replace(":" + database.getPort() + "/", ":" + proxy.port() + "/"));
            Path adminFile = AdminToken.ensure(dir);
            String admin = AdminToken.read(adminFile);
            try (ApiServer api = ApiServer.start(ApiConfig.defaults().withPort(0).withAdminTokenFile(adminFile),
                    viaProxy, "api-outage-it.", RetestIntervals.none(), List.of(),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                String search = api.baseUri() + "/api/persons?identifier="
                        + URLEncoder.encode("https://fhir.nhs.uk/Id/nhs-number|9990000530", StandardCharsets.UTF_8);
                assertThat(get(search, admin).statusCode()).isEqualTo(200);

                proxy.cut();
                HttpResponse<String> unavailable = get(search, admin);

                assertThat(unavailable.statusCode()).isEqualTo(503);
                assertThat(unavailable.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
                assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("5");
                assertThat(unavailable.body()).contains("urn:careweave:problem:unavailable")
                        .contains("The database did not answer");

                proxy.mend();
                assertThat(get(search, admin).statusCode()).as("once the database is back").isEqualTo(200);
            }
        }
    }

    private static HttpResponse<String> get(String uri, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}
