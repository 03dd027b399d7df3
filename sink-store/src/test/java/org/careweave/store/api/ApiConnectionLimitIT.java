package org.careweave.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.careweave.platform.Platform;
import org.careweave.platform.junit.EmbeddedPlatformExtension;
import org.careweave.store.auth.AdminToken;
import org.careweave.store.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Connections beyond api.max.connections are not accepted until one closes: idle connections opened without end
 * cannot take the file descriptors the process needs for Kafka and the database.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class ApiConnectionLimitIT {

    private static final int LIMIT = 5;

    @TempDir
    Path dir;

    @Test
    void aRequestBeyondTheLimitWaitsUntilAConnectionCloses(Platform platform) throws Exception {
        List<Socket> idle = new ArrayList<>();
        try (ApiServer api = ApiServer.start(ApiConfig.defaults().withPort(0).withMaxConnections(LIMIT)
                        .withAdminTokenFile(AdminToken.ensure(dir)),
                TestDatabases.fresh(platform, "api_connlimit_it"), "api-connlimit-it.", RetestIntervals.none(),
                List.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            URI openApi = URI.create(api.baseUri() + "/api/openapi.json");
            assertThat(get(openApi).statusCode()).isEqualTo(200);

            for (int i = 0; i < LIMIT; i++) {
                idle.add(new Socket(api.baseUri().getHost(), api.port()));
            }
            Thread.sleep(500); // accepted by Jetty

            assertThatThrownBy(() -> get(openApi)).as("not accepted while the limit's connections are open")
                    .isInstanceOf(HttpTimeoutException.class);

            for (Socket s : idle) {
                s.close();
            }
            assertThat(get(openApi).statusCode()).as("served once they closed").isEqualTo(200);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
