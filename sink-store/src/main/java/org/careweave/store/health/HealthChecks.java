package org.careweave.store.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.careweave.platform.KafkaConnection;
import org.careweave.store.StoreEndpoints;
import org.careweave.store.db.SqlErrors;

/** Checks of the platform's services for {@code /health}. */
public final class HealthChecks {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private HealthChecks() {
    }

    /** Kafka and the schema registry. The API adds its own database check; the app adds the sink and processors. */
    public static List<HealthCheck> platform(StoreEndpoints endpoints) {
        return List.of(kafka(endpoints.kafka()), schemaRegistry(endpoints.schemaRegistryUrl()));
    }

    /** UP when the cluster answers with its brokers. Keeps one admin client, closed with the API server. */
    public static HealthCheck kafka(KafkaConnection kafka) {
        return new KafkaCheck(kafka);
    }

    /** UP when the registry answers its global configuration with 200. */
    public static HealthCheck schemaRegistry(String url) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        URI config = URI.create(url.endsWith("/") ? url + "config" : url + "/config");
        return HealthCheck.of("schema-registry", () -> {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(config).timeout(TIMEOUT).GET()
                        .build(), HttpResponse.BodyHandlers.discarding());
                return response.statusCode() == 200 ? HealthCheck.Status.up("reachable")
                        : HealthCheck.Status.down("HTTP " + response.statusCode());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return HealthCheck.Status.down("interrupted");
            } catch (Exception e) {
                return HealthCheck.Status.down("unreachable: " + e.getClass().getSimpleName());
            }
        });
    }

    /** UP when a pooled connection answers. */
    public static HealthCheck database(DataSource dataSource) {
        return HealthCheck.of("database", () -> {
            try (Connection c = dataSource.getConnection()) {
                return c.isValid((int) TIMEOUT.toSeconds()) ? HealthCheck.Status.up("reachable")
                        : HealthCheck.Status.down("connection not valid");
            } catch (Exception e) {
                return HealthCheck.Status.down("unreachable: " + SqlErrors.describe(e));
            }
        });
    }

    private static final class KafkaCheck implements HealthCheck, AutoCloseable {
        private final KafkaConnection kafka;
        private Admin admin;

        KafkaCheck(KafkaConnection kafka) {
            this.kafka = kafka;
        }

        @Override
        public String name() {
            return "kafka";
        }

        @Override
        public synchronized Status check() {
            try {
                if (admin == null) {
                    int timeoutMs = (int) TIMEOUT.toMillis();
                    Map<String, Object> config = kafka.clientConfig();
                    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "careweave-health");
                    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
                    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
                    admin = Admin.create(config);
                }
                Collection<Node> nodes = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return nodes.isEmpty() ? Status.down("no brokers") : Status.up(nodes.size() + " broker(s)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Status.down("interrupted");
            } catch (ExecutionException | TimeoutException e) {
                return Status.down("unreachable: " + (e instanceof ExecutionException && e.getCause() != null
                        ? e.getCause().getClass().getSimpleName() : e.getClass().getSimpleName()));
            } catch (RuntimeException e) {
                return Status.down("unreachable: " + e.getClass().getSimpleName());
            }
        }

        @Override
        public synchronized void close() {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
                admin = null;
            }
        }
    }
}
