package org.careweave.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What goes on the wire: headers that no registry without authentication would notice. The registry's behaviour is
 * tested against the real one in the integration tests; this local HTTP endpoint only records requests.
 */
class RegistryHttpAuthTest {

    private HttpServer server;
    private final List<Map<String, List<String>>> requestHeaders = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requestHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
            byte[] body = "{\"id\":7}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sendsBasicAuthAndTheConfluentContentType() {
        SchemaRegistryClient client = SchemaRegistryClient.fromConfigs(Map.of(
                "schema.registry.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "careweave:s3cret"));

        int id = client.register("t-value", Schema.create(Schema.Type.STRING));

        assertThat(id).isEqualTo(7);
        Map<String, List<String>> headers = requestHeaders.get(0);
        assertThat(headers.get("Authorization")).containsExactly("Basic Y2FyZXdlYXZlOnMzY3JldA==");
        assertThat(headers.get("Content-type")).containsExactly("application/vnd.schemaregistry.v1+json");
    }

    @Test
    void registersEachSubjectAndSchemaOnce() {
        SchemaRegistryClient client = SchemaRegistryClient.fromConfigs(Map.of(
                "schema.registry.url", "http://127.0.0.1:" + server.getAddress().getPort()));

        client.register("t-value", Schema.create(Schema.Type.STRING));
        client.register("t-value", Schema.create(Schema.Type.STRING));

        assertThat(client.requestsSent()).isEqualTo(1);
        assertThat(requestHeaders.get(0)).doesNotContainKey("Authorization");
    }
}
